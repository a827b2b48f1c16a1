import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { PhotoError, stripMetadata } from './photos.js';
import { visitsRepo } from './visits.repo.js';

export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
export const MAX_PHOTOS_PER_VISIT = 9;

/**
 * Visit photos on the local disk (data dir), metadata stripped before anything is written; the
 * row and its audit entry share one transaction, and a failed transaction removes the files.
 */
export class PhotoStore {
  readonly dir: string;
  constructor(private readonly p: Platform) {
    this.dir = path.join(p.config.dataDir, 'visit-photos');
  }

  private file(id: string, thumb = false) {
    return path.join(this.dir, thumb ? `${id}.thumb` : `${id}.img`);
  }

  async add(ctx: RequestCtx, visitId: string, data: Buffer) {
    if (data.length > MAX_PHOTO_BYTES)
      throw new AppError(413, 'photo_too_large', 'visits.photoTooLarge', {
        limit: `${MAX_PHOTO_BYTES / 1024 / 1024} MB`,
      });
    let stripped: ReturnType<typeof stripMetadata>;
    try {
      stripped = stripMetadata(data);
    } catch (err) {
      if (err instanceof PhotoError)
        throw err.reason === 'type'
          ? new AppError(415, 'photo_type', 'visits.photoType')
          : badRequest('photo_corrupt', 'visits.photoCorrupt');
      throw err;
    }
    const id = uuidv7();
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.file(id), stripped.data);
    if (stripped.thumbnail) fs.writeFileSync(this.file(id, true), stripped.thumbnail);
    try {
      await this.p.handle.db.transaction().execute(async (trx) => {
        const v = await visitsRepo.visit(trx, ctx.actor.scope, visitId);
        if (!v) throw notFound();
        const n = await trx
          .selectFrom('visit_photos')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('visit_id', '=', visitId)
          .executeTakeFirstOrThrow();
        if (Number(n.n) >= MAX_PHOTOS_PER_VISIT)
          throw badRequest('photo_too_many', 'visits.photoTooMany', { max: MAX_PHOTOS_PER_VISIT });
        await trx
          .insertInto('visit_photos')
          .values({
            id,
            visit_id: visitId,
            org_id: v.org_id,
            org_path: v.org_path,
            content_type: stripped.type,
            size: stripped.data.length,
            sha256: createHash('sha256').update(stripped.data).digest('hex'),
            has_thumbnail: stripped.thumbnail ? 1 : 0,
            uploaded_by: ctx.actor.userId,
            created_at: nowIso(),
          })
          .execute();
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'visit.photo',
          entityType: 'visit',
          entityId: visitId,
          changes: { photo: id, size: stripped.data.length },
        });
      });
    } catch (err) {
      fs.rmSync(this.file(id), { force: true });
      fs.rmSync(this.file(id, true), { force: true });
      throw err;
    }
    return { id, contentType: stripped.type, size: stripped.data.length, createdAt: nowIso() };
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
