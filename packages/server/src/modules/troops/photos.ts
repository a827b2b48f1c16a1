import fs from 'node:fs';
import path from 'node:path';
import { type ActivityDetail, type activityPhotoQuery, t } from '@shuangyong/shared';
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
  type UploadRules,
} from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ConfidentialityChecks } from '../atmosphere/atmosphere.module.js';
import type { ActivitiesService } from './activities.service.js';
import { seesMilitary } from './activities.view.js';
import { troopsRepo } from './troops.repo.js';

export const MAX_ACTIVITY_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_ACTIVITY_PHOTOS = 20;

const RULES: UploadRules = {
  maxBytes: MAX_ACTIVITY_PHOTO_BYTES,
  accept: ['jpeg', 'png'],
  empty: () => badRequest('photo_empty', 'troops.photoEmpty'),
  tooLarge: () => new AppError(413, 'body_too_large', 'troops.photoTooLarge', { limit: '10 MB' }),
  type: () => new AppError(415, 'photo_type', 'troops.photoType'),
};

/**
 * Photos of activities: the original's GPS and camera are read for the confidentiality checks
 * (atmosphere's service), the caption is checked like every text the civilian side reads, then the
 * platform's upload pipeline (sniffing, pixel limit, metadata stripping, file-name cleaning) runs
 * before anything is written. A photo marked military-only stays out of the civilian view.
 */
export class ActivityPhotos {
  readonly dir: string;

  constructor(
    private readonly p: Platform,
    private readonly activities: ActivitiesService,
    private readonly checks: ConfidentialityChecks,
  ) {
    this.dir = path.join(p.config.dataDir, 'troops');
  }

  fileOf(id: string) {
    return path.join(this.dir, `${id}.img`);
  }

  async add(
    ctx: RequestCtx,
    activityId: string,
    q: z.infer<typeof activityPhotoQuery>,
    data: Buffer,
  ): Promise<{ created: boolean; detail: ActivityDetail }> {
    const type = sniffUpload(data, RULES);
    const militaryOnly = q.militaryOnly === 'true';
    // a caption the civilian side reads must pass the checks
    if (q.caption && !militaryOnly) {
      const labels = await this.checks.blockingLabels(ctx.actor, q.caption);
      if (labels)
        throw badRequest('confidentiality', 'troops.confidentiality', { field: t('troops.field.caption'), labels });
    }
    const meta = this.checks.imageMetadata(data);
    const clean = cleanUpload(data, type, RULES).data;
    const sha256 = sha256Hex(clean);
    const id = uuidv7();
    const { created } = await storeCheckedPhoto(this.p.handle.db, {
      sha256,
      data: clean,
      files: [this.fileOf(id)],
      max: MAX_ACTIVITY_PHOTOS,
      tooMany: () => conflict('too_many_photos', 'troops.tooManyPhotos', { max: MAX_ACTIVITY_PHOTOS }),
      parent: (trx) => this.activities.forChange(trx, ctx, activityId),
      kept: (trx) => troopsRepo.photoBySha(trx, SYSTEM_SCOPE, activityId, sha256),
      count: async (trx) => (await troopsRepo.photos(trx, SYSTEM_SCOPE, activityId)).length,
      insert: async (trx, r) => {
        await troopsRepo.insertPhoto(trx, {
          id,
          activity_id: activityId,
          org_path: r.org_path,
          file_name: cleanFileName(q.fileName),
          content_type: type,
          size: clean.length,
          sha256,
          caption: q.caption,
          metadata: JSON.stringify(meta),
          shows_service_members: q.showsServiceMembers === 'true' ? 1 : 0,
          military_only: militaryOnly ? 1 : 0,
          uploaded_by: ctx.actor.userId,
          created_at: nowIso(),
        });
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'troops.photo.add',
          entityType: 'troop_activity',
          entityId: activityId,
          changes: { photo: [null, id], gps: [null, meta.gps], military_only: [null, militaryOnly] },
        });
      },
    });
    return { created, detail: await this.activities.detail(ctx, activityId) };
  }

  async remove(ctx: RequestCtx, activityId: string, photoId: string): Promise<ActivityDetail> {
    await removeStoredPhoto(this.p.handle.db, {
      files: [this.fileOf(photoId)],
      parent: (trx) => this.activities.forChange(trx, ctx, activityId),
      has: async (trx) => !!(await troopsRepo.photo(trx, SYSTEM_SCOPE, activityId, photoId)),
      notFound: () => new AppError(404, 'not_found', 'troops.photoNotFound'),
      remove: async (trx) => {
        await troopsRepo.deletePhoto(trx, photoId);
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'troops.photo.remove',
          entityType: 'troop_activity',
          entityId: activityId,
          changes: { photo: [photoId, null] },
        });
      },
    });
    return this.activities.detail(ctx, activityId);
  }

  /** The stripped file; a military-only photo is not found for the civilian side. */
  async get(ctx: RequestCtx, activityId: string, photoId: string) {
    const db = this.p.handle.db;
    if (!(await this.activities.visible(db, ctx.actor.scope, activityId))) throw notFound();
    const ph = await troopsRepo.photo(db, SYSTEM_SCOPE, activityId, photoId);
    if (!ph || (ph.military_only === 1 && !seesMilitary(ctx.actor)) || !fs.existsSync(this.fileOf(ph.id)))
      throw new AppError(404, 'not_found', 'troops.photoNotFound');
    return { row: ph, file: this.fileOf(ph.id) };
  }
}
