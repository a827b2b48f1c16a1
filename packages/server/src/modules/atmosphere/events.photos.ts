import fs from 'node:fs';
import path from 'node:path';
import type { EventDetail, eventPhotoQuery } from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, notFound } from '../../platform/errors.js';
import {
  cleanFileName,
  cleanUpload,
  removeStoredPhoto,
  sha256Hex,
  sniffUpload,
  storeCheckedPhoto,
} from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ConfidentialityChecks } from './checks.service.js';
import { eventsRepo } from './events.repo.js';
import type { EventsService } from './events.service.js';
import { RULES } from './photos.js';

export const MAX_EVENT_PHOTOS = 30;

/**
 * Photos of a held event: the original's GPS and camera are read for the confidentiality checks
 * before the upload pipeline strips them; a caption with a finding that must go is refused; the
 * photo findings are computed on every read (decisions/0028, 0043).
 */
export class EventPhotos {
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly events: EventsService,
    private readonly checks: ConfidentialityChecks,
  ) {
    this.dir = path.join(p.config.dataDir, 'events');
  }

  fileOf(id: string) {
    return path.join(this.dir, `${id}.img`);
  }

  async add(ctx: RequestCtx, eventId: string, q: z.infer<typeof eventPhotoQuery>, data: Buffer): Promise<EventDetail> {
    const type = sniffUpload(data, RULES);
    if (q.caption) {
      const labels = await this.checks.blockingLabels(ctx.actor, q.caption);
      if (labels) throw badRequest('confidentiality', 'events.captionRefused', { labels });
    }
    const meta = this.checks.imageMetadata(data);
    const clean = cleanUpload(data, type, RULES).data;
    const sha256 = sha256Hex(clean);
    const id = uuidv7();
    await storeCheckedPhoto(this.p.handle.db, {
      sha256,
      data: clean,
      files: [this.fileOf(id)],
      max: MAX_EVENT_PHOTOS,
      tooMany: () => conflict('too_many_photos', 'events.tooManyPhotos', { max: MAX_EVENT_PHOTOS }),
      parent: (trx) => this.events.forPhotos(trx, ctx, eventId),
      kept: (trx) => eventsRepo.photoBySha(trx, SYSTEM_SCOPE, eventId, sha256),
      count: async (trx) => (await eventsRepo.photos(trx, SYSTEM_SCOPE, eventId)).length,
      insert: async (trx, r) => {
        await eventsRepo.insertPhoto(trx, {
          id,
          event_id: eventId,
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
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'event.photo.add',
          entityType: 'event',
          entityId: eventId,
          changes: { photo: [null, id], gps: [null, meta.gps], camera: [null, !!meta.camera] },
        });
      },
    });
    return this.events.detail(ctx, eventId);
  }

  async remove(ctx: RequestCtx, eventId: string, photoId: string): Promise<EventDetail> {
    await removeStoredPhoto(this.p.handle.db, {
      files: [this.fileOf(photoId)],
      parent: (trx) => this.events.forPhotos(trx, ctx, eventId),
      has: async (trx) => !!(await eventsRepo.photo(trx, SYSTEM_SCOPE, eventId, photoId)),
      notFound: () => new AppError(404, 'not_found', 'atmosphere.photoNotFound'),
      remove: async (trx) => {
        await eventsRepo.deletePhoto(trx, photoId);
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'event.photo.remove',
          entityType: 'event',
          entityId: eventId,
          changes: { photo: [photoId, null] },
        });
      },
    });
    return this.events.detail(ctx, eventId);
  }

  async get(ctx: RequestCtx, eventId: string, photoId: string) {
    const db = this.p.handle.db;
    if (!(await this.events.visible(db, ctx.actor, eventId))) throw notFound();
    const ph = await eventsRepo.photo(db, SYSTEM_SCOPE, eventId, photoId);
    if (!ph || !fs.existsSync(this.fileOf(ph.id))) throw new AppError(404, 'not_found', 'atmosphere.photoNotFound');
    return { row: ph, file: this.fileOf(ph.id) };
  }
}

/** Used in messages: the type's Chinese name. */
export const eventTypeLabel = (type: string) => t(`events.type.${type}`);
