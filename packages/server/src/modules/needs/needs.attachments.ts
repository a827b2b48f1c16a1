import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NeedAttachment, NeedStatus } from '@shuangyong/shared';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.js';
import { checkImagePixels, cleanFileName } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { TERMINAL_STATUSES } from './needs.machine.js';
import { needsRepo } from './needs.repo.js';
import { actionsFor, seesMilitary, toAttachment } from './needs.view.js';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** PNG chunks kept: the image itself and its colour information; text, time and EXIF chunks go. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs']);

/** The type of an upload by its content (never by its name), or null when it is not accepted. */
export function sniffAttachment(buf: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buf.length > 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * Drops the metadata segments of a JPEG (APP1–APP15: EXIF with GPS, XMP, IPTC; and comments)
 * and keeps the image data as is. A file that does not parse is refused.
 */
export function stripJpeg(buf: Buffer): Buffer {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) throw badRequest('attachment_type', 'need.attachmentType');
    const marker = buf[i + 1]!;
    if (marker === 0xda) {
      out.push(buf.subarray(i)); // start of scan: the rest is image data
      return Buffer.concat(out);
    }
    const len = buf.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (len < 2 || end > buf.length) throw badRequest('attachment_type', 'need.attachmentType');
    const metadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe;
    if (!metadata) out.push(buf.subarray(i, end));
    i = end;
  }
  throw badRequest('attachment_type', 'need.attachmentType');
}

/** Keeps only the PNG chunks that draw the image (drops tEXt/iTXt/zTXt/eXIf/tIME …). */
export function stripPng(buf: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  while (i + 12 <= buf.length) {
    const len = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + len;
    if (end > buf.length) throw badRequest('attachment_type', 'need.attachmentType');
    if (PNG_KEEP.has(type)) out.push(buf.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  throw badRequest('attachment_type', 'need.attachmentType');
}

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
    if (!data.length) throw badRequest('attachment_empty', 'need.attachmentEmpty');
    if (data.length > MAX_ATTACHMENT_BYTES)
      throw new AppError(413, 'body_too_large', 'need.attachmentTooLarge', { limit: '10 MB' });
    const type = sniffAttachment(data);
    if (!type) throw new AppError(415, 'attachment_type', 'need.attachmentType');
    if (type !== 'application/pdf') checkImagePixels(data);
    const fileName = cleanFileName(q.fileName);
    const clean = type === 'image/jpeg' ? stripJpeg(data) : type === 'image/png' ? stripPng(data) : data;
    const military = seesMilitary(ctx.actor);
    const militaryOnly = q.militaryOnly === 'true';
    if (militaryOnly && !military) throw badRequest('military_field_not_allowed', 'need.militaryFieldNotAllowed');
    const db = this.p.handle.db;
    return db.transaction().execute(async (trx) => {
      const r = await needsRepo.get(trx, ctx.actor.scope, needId);
      if (!r) throw notFound();
      if (TERMINAL_STATUSES.includes(r.status as NeedStatus)) throw conflict('need_closed', 'need.closed');
      const handlers = await needsRepo.handlers(trx, needId);
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
      await trx.insertInto('need_attachments').values(row).execute();
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
    let qb = db.selectFrom('need_attachments').selectAll().where('id', '=', attachmentId).where('need_id', '=', needId);
    if (!seesMilitary(ctx.actor)) qb = qb.where('military_only', '=', 0);
    const a = await qb.executeTakeFirst();
    if (!a || !fs.existsSync(this.fileOf(a.id))) throw new AppError(404, 'not_found', 'need.attachmentNotFound');
    return { row: a, file: this.fileOf(a.id) };
  }
}
