import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NeedAttachment, NeedStatus } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import {
  cleanFileName,
  cleanImage,
  cleanUpload,
  DOCUMENT_TYPES,
  sniffDocument,
  sniffUpload,
  type UploadRules,
} from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { TERMINAL_STATUSES } from './needs.machine.js';
import { needsRepo } from './needs.repo.js';
import { actionsFor, seesMilitary, toAttachment } from './needs.view.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const RULES: UploadRules = {
  maxBytes: MAX_ATTACHMENT_BYTES,
  accept: ['pdf', 'jpeg', 'png'],
  empty: () => badRequest('attachment_empty', 'need.attachmentEmpty'),
  tooLarge: () => new AppError(413, 'body_too_large', 'need.attachmentTooLarge', { limit: '10 MB' }),
  type: () => new AppError(415, 'attachment_type', 'need.attachmentType'),
  corrupt: () => badRequest('attachment_type', 'need.attachmentType'),
};

/** The type of an upload by its content (never by its name), or null when it is not accepted. */
export function sniffAttachment(buf: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  const kind = buf.length ? sniffDocument(buf) : null;
  return kind === 'pdf' || kind === 'png' || kind === 'jpeg' ? DOCUMENT_TYPES[kind] : null;
}

/** JPEG/PNG through the one upload pipeline (pixel limit, metadata dropped). */
export const stripJpeg = (buf: Buffer) => cleanImage(buf, 'image/jpeg', RULES.corrupt!);
export const stripPng = (buf: Buffer) => cleanImage(buf, 'image/png', RULES.corrupt!);

/** Attachments of a case: materials from the requester, evidence from the handlers. */
export class NeedAttachments {
  readonly dir: string;

  constructor(private readonly p: Platform) {
    this.dir = path.join(p.config.dataDir, 'needs');
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.bin`);
  }

  async upload(
    ctx: RequestCtx,
    needId: string,
    q: { fileName: string; purpose: 'material' | 'evidence'; militaryOnly?: 'true' | 'false' },
    data: Buffer,
  ): Promise<NeedAttachment> {
    const type = sniffUpload(data, RULES);
    const fileName = cleanFileName(q.fileName);
    const clean = cleanUpload(data, type, RULES).data;
    const military = seesMilitary(ctx.actor);
    const militaryOnly = q.militaryOnly === 'true';
    if (militaryOnly && !military) throw badRequest('military_field_not_allowed', 'need.militaryFieldNotAllowed');
    const db = this.p.handle.db;
    return db.transaction().execute(async (trx) => {
      const r = await needsRepo.get(trx, ctx.actor.scope, needId);
      if (!r) throw notFound();
      if (TERMINAL_STATUSES.includes(r.status as NeedStatus)) throw conflict('need_closed', 'need.closed');
      const handlers = await needsRepo.handlers(trx, SYSTEM_SCOPE, needId);
      const can = actionsFor(
        ctx.actor,
        r,
        handlers.map((h) => h.org_id),
      );
      if (!can.includes('attach')) throw forbidden();
      const id = uuidv7();
      const row = {
        id,
        need_id: needId,
        org_path: r.org_path,
        file_name: fileName,
        content_type: type,
        size: clean.length,
        sha256: createHash('sha256').update(clean).digest('hex'),
        purpose: q.purpose,
        military_only: militaryOnly ? 1 : 0,
        uploaded_by: ctx.actor.userId,
        created_at: nowIso(),
      };
      await needsRepo.insertAttachment(trx, row);
      await needsRepo.addEvent(trx, {
        needId,
        orgPath: r.org_path,
        actor: { id: ctx.actor.userId, name: ctx.actor.displayName, orgName: ctx.actor.orgName },
        kind: 'attached',
        note: q.fileName,
        militaryOnly,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.attach',
        entityType: 'need',
        entityId: needId,
        changes: {
          attachment: [null, id],
          purpose: q.purpose,
          size: clean.length,
          military_only: militaryOnly,
          ...(militaryOnly ? {} : { file_name: q.fileName }),
        },
      });
      // written inside the transaction: a failed write rolls the row back
      fs.mkdirSync(this.dir, { recursive: true });
      fs.writeFileSync(this.fileOf(id), clean);
      return toAttachment(row, military);
    });
  }

  /** The attachment if the caller may see it (military-only ones stay on that side). */
  async get(ctx: RequestCtx, needId: string, attachmentId: string) {
    const db = this.p.handle.db;
    const r = await needsRepo.get(db, ctx.actor.scope, needId);
    if (!r) throw notFound();
    const a = await needsRepo.attachment(db, SYSTEM_SCOPE, needId, attachmentId, seesMilitary(ctx.actor));
    if (!a || !fs.existsSync(this.fileOf(a.id))) throw new AppError(404, 'not_found', 'need.attachmentNotFound');
    return { row: a, file: this.fileOf(a.id) };
  }
}
