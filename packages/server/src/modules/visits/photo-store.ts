import fs from 'node:fs';
import path from 'node:path';
import { VISIT_MAX_PHOTO_BYTES, VISIT_MAX_PHOTOS, type VisitPhoto } from '@shuangyong/shared';
import type { FastifyBaseLogger } from 'fastify';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import {
  acceptUpload,
  MAX_IMAGE_PIXELS,
  removeFiles,
  sha256Hex,
  storeCheckedPhoto,
  type UploadRules,
} from '../../platform/files/index.js';
import { ThumbnailPool, type ThumbnailPoolOptions } from '../../platform/files/thumbnail-pool.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { photosRepo } from './photos.repo.js';
import { toPhoto } from './views.js';
import { visitsRepo } from './visits.repo.js';

export const MAX_PHOTO_BYTES = VISIT_MAX_PHOTO_BYTES;
export const MAX_PHOTOS_PER_VISIT = VISIT_MAX_PHOTOS;
/**
 * A photo declaring more pixels than this is refused: no camera photo within MAX_PHOTO_BYTES is
 * that large, and a small file declaring a huge picture (a decompression bomb) would make every
 * browser that opens it allocate gigabytes.
 */
export const MAX_PHOTO_PIXELS = MAX_IMAGE_PIXELS;

const PHOTO_RULES: UploadRules = {
  maxBytes: MAX_PHOTO_BYTES,
  accept: ['jpeg', 'png'],
  tooLarge: () =>
    new AppError(413, 'photo_too_large', 'visits.photoTooLarge', { limit: `${MAX_PHOTO_BYTES / 1024 / 1024} MB` }),
  type: () => new AppError(415, 'photo_type', 'visits.photoType'),
  corrupt: () => badRequest('photo_corrupt', 'visits.photoCorrupt'),
  pixels: (size, limit) => badRequest('photo_dimensions', 'visits.photoDimensions', { size, limit }),
};

/**
 * Visit photos on the local disk (data dir), metadata stripped before anything is written; the
 * row and its audit entry share one transaction, and a failed transaction removes the files.
 *
 * Thumbnails (`<id>.thumb`, a JPEG within 320×320) are made at upload time, in the thumbnail
 * worker, and the upload waits for it: the one who took the photo waits a second or two once,
 * while every list that shows it afterwards reads a small file, and has_thumbnail is right from the
 * first answer without a second write. A photo the worker cannot shrink (damaged pixels, more than
 * 24 MP, the queue full, the worker gone) is still stored, without a thumbnail of its own — the
 * camera's embedded preview when there is one, else none, and ?thumb=1 then serves the photo.
 *
 * The same file sent again to the same visit (a phone retrying an upload whose answer it lost)
 * stores nothing new: the photo already kept is answered, with `created: false`.
 */
export class PhotoStore {
  readonly dir: string;
  private readonly thumbnails: ThumbnailPool;
  constructor(
    private readonly p: Platform,
    thumbnails?: ThumbnailPoolOptions,
  ) {
    this.dir = path.join(p.config.dataDir, 'visit-photos');
    this.thumbnails = new ThumbnailPool(thumbnails);
  }

  /** Ends the thumbnail worker (the app's onClose). */
  close() {
    return this.thumbnails.close();
  }

  private file(id: string, thumb = false) {
    return path.join(this.dir, thumb ? `${id}.thumb` : `${id}.img`);
  }

  async add(
    ctx: RequestCtx,
    visitId: string,
    data: Buffer,
    log?: Pick<FastifyBaseLogger, 'warn'>,
  ): Promise<{ photo: VisitPhoto; created: boolean }> {
    const stripped = acceptUpload(data, PHOTO_RULES).image!;
    const bytes = stripped.data.length;
    const sha256 = sha256Hex(stripped.data);
    // the transaction below decides; these only spare a decode for an upload it would not store
    const kept = await photosRepo.same(this.p.handle.db, SYSTEM_SCOPE, visitId, sha256);
    if (kept && (await visitsRepo.visit(this.p.handle.db, ctx.actor.scope, visitId)))
      return { photo: toPhoto(kept), created: false };
    if ((await photosRepo.count(this.p.handle.db, SYSTEM_SCOPE, visitId)) >= MAX_PHOTOS_PER_VISIT)
      throw badRequest('photo_too_many', 'visits.photoTooMany', { max: MAX_PHOTOS_PER_VISIT });
    const id = uuidv7();
    const createdAt = nowIso();
    let thumbnail = stripped.thumbnail;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await fs.promises.writeFile(this.file(id), stripped.data);
      if (stripped.size) {
        // the pixels move to the worker (no copy); stripped.data is not read after this
        const made = await this.thumbnails.render(stripped.data, stripped.type, stripped.orientation, true);
        if (made.ok) thumbnail = made.jpeg;
        else
          log?.warn({ visitId, reason: made.reason, detail: made.message }, 'visit photo stored without a thumbnail');
      }
      if (thumbnail) await fs.promises.writeFile(this.file(id, true), thumbnail);
    } catch (err) {
      removeFiles([this.file(id), this.file(id, true)]);
      throw err;
    }
    const stored = await storeCheckedPhoto(this.p.handle.db, {
      sha256,
      files: [this.file(id), this.file(id, true)],
      max: MAX_PHOTOS_PER_VISIT,
      tooMany: () => badRequest('photo_too_many', 'visits.photoTooMany', { max: MAX_PHOTOS_PER_VISIT }),
      parent: async (trx) => {
        const v = await visitsRepo.visit(trx, ctx.actor.scope, visitId);
        if (!v) throw notFound();
        // PostgreSQL runs two uploads to one visit side by side: the visit's row lock makes the
        // second wait, then see the first's photo and count (SQLite has one writer already)
        if (this.p.handle.dialect === 'postgres') await photosRepo.lockVisit(trx, SYSTEM_SCOPE, visitId);
        return v;
      },
      kept: (trx) => photosRepo.same(trx, SYSTEM_SCOPE, visitId, sha256),
      count: (trx) => photosRepo.count(trx, SYSTEM_SCOPE, visitId),
      insert: async (trx, v) => {
        await photosRepo.insert(trx, {
          id,
          visit_id: visitId,
          org_id: v.org_id,
          org_path: v.org_path,
          content_type: stripped.type,
          size: bytes,
          sha256,
          has_thumbnail: thumbnail ? 1 : 0,
          uploaded_by: ctx.actor.userId,
          created_at: createdAt,
        });
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'visit.photo',
          entityType: 'visit',
          entityId: visitId,
          changes: { photo: id, size: bytes },
        });
      },
    });
    // a concurrent upload of the same file stored it first
    if (!stored.created) return { photo: toPhoto(stored.kept), created: false };
    return {
      photo: { id, contentType: stripped.type, size: bytes, hasThumbnail: thumbnail !== null, createdAt },
      created: true,
    };
  }

  async get(ctx: RequestCtx, id: string, thumb: boolean) {
    const row = await visitsRepo.photo(this.p.handle.db, ctx.actor.scope, id);
    if (!row) throw notFound();
    const useThumb = thumb && row.has_thumbnail === 1;
    const file = this.file(id, useThumb);
    if (!fs.existsSync(file)) throw notFound();
    return { row: useThumb ? { ...row, content_type: 'image/jpeg' } : row, file };
  }
}
