import fs from 'node:fs';
import path from 'node:path';
import type { PublicityDetail, publicityPhotoQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import {
  cleanFileName,
  cleanUpload,
  imageMetadata,
  removeStoredPhoto,
  sha256Hex,
  sniffUpload,
  storeCheckedPhoto,
  type UploadRules,
} from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { atmosphereRepo } from './atmosphere.repo.js';
import type { PublicityService } from './publicity.service.js';

export const MAX_PUBLICITY_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PUBLICITY_PHOTOS = 30;

/** What a photo of the atmosphere module (publicity items, events) may be. */
export const RULES: UploadRules = {
  maxBytes: MAX_PUBLICITY_PHOTO_BYTES,
  accept: ['jpeg', 'png'],
  empty: () => badRequest('photo_empty', 'atmosphere.photoEmpty'),
  tooLarge: () => new AppError(413, 'body_too_large', 'atmosphere.photoTooLarge', { limit: '10 MB' }),
  type: () => new AppError(415, 'photo_type', 'atmosphere.photoType'),
};

/**
 * Photos of publicity items: what the original carried (GPS, camera) is read for the checks, then
 * stripped before the file is written. Adding or removing a photo changes the content hash, so an
 * item under review or approved goes back to draft.
 */
export class PublicityPhotos {
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly publicity: PublicityService,
  ) {
    this.dir = path.join(p.config.dataDir, 'publicity');
  }

  fileOf(id: string) {
    return path.join(this.dir, `${id}.img`);
  }

  async add(
    ctx: RequestCtx,
    itemId: string,
    q: z.infer<typeof publicityPhotoQuery>,
    data: Buffer,
  ): Promise<PublicityDetail> {
    const type = sniffUpload(data, RULES);
    const meta = imageMetadata(data);
    const clean = cleanUpload(data, type, RULES).data;
    const id = uuidv7();
    const sha256 = sha256Hex(clean);
    await storeCheckedPhoto(this.p.handle.db, {
      sha256,
      data: clean,
      files: [this.fileOf(id)],
      max: MAX_PUBLICITY_PHOTOS,
      tooMany: () => conflict('too_many_photos', 'atmosphere.tooManyPhotos', { max: MAX_PUBLICITY_PHOTOS }),
      parent: (trx) => this.publicity.forAction(trx, ctx, itemId, 'photos'),
      count: async (trx) => (await atmosphereRepo.photos(trx, SYSTEM_SCOPE, itemId)).length,
      insert: async (trx, r) => {
        await atmosphereRepo.insertPhoto(trx, {
          id,
          item_id: itemId,
          org_path: r.org_path,
          file_name: cleanFileName(q.fileName),
          content_type: type,
          size: clean.length,
          sha256,
          caption: q.caption,
          metadata: JSON.stringify(meta),
          shows_service_members: q.showsServiceMembers === 'true' ? 1 : 0,
          uploaded_by: ctx.actor.userId,
          created_at: nowIso(),
        });
        const { back } = await this.publicity.contentChanged(trx, r, {});
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'publicity.photo.add',
          entityType: 'publicity_item',
          entityId: itemId,
          changes: { photo: [null, id], gps: meta.gps, ...(back ? { status: [r.status, 'draft'] } : {}) },
        });
      },
    });
    return this.publicity.detail(ctx, itemId);
  }

  async remove(ctx: RequestCtx, itemId: string, photoId: string): Promise<PublicityDetail> {
    await removeStoredPhoto(this.p.handle.db, {
      files: [this.fileOf(photoId)],
      parent: (trx) => this.publicity.forAction(trx, ctx, itemId, 'photos'),
      has: async (trx) => !!(await atmosphereRepo.photo(trx, SYSTEM_SCOPE, itemId, photoId)),
      notFound: () => new AppError(404, 'not_found', 'atmosphere.photoNotFound'),
      remove: async (trx, r) => {
        await atmosphereRepo.deletePhoto(trx, photoId);
        const { back } = await this.publicity.contentChanged(trx, r, {});
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'publicity.photo.remove',
          entityType: 'publicity_item',
          entityId: itemId,
          changes: { photo: [photoId, null], ...(back ? { status: [r.status, 'draft'] } : {}) },
        });
      },
    });
    return this.publicity.detail(ctx, itemId);
  }

  async get(ctx: RequestCtx, itemId: string, photoId: string) {
    const db = this.p.handle.db;
    if (!(await this.publicity.visible(db, ctx.actor.scope, itemId))) throw notFound();
    const ph = await atmosphereRepo.photo(db, SYSTEM_SCOPE, itemId, photoId);
    if (!ph || !fs.existsSync(this.fileOf(ph.id))) throw new AppError(404, 'not_found', 'atmosphere.photoNotFound');
    return { row: ph, file: this.fileOf(ph.id) };
  }
}
