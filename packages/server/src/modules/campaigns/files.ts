import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Tx } from '../../platform/db/index.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { cleanImage, readZipDirectory, sniffImage } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { campaignsRepo } from './campaigns.repo.js';

/**
 * Files of a campaign: the issuer's attachments to the notice, and the photos and documents an
 * assignee hands in with a report. Type by content (PDF, JPEG, PNG, DOCX, XLSX); images lose their
 * metadata (EXIF with GPS, XMP, text chunks); Office files pass the zip-bomb limits; 10 MB at most.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const FILE_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

const refused = () => new AppError(415, 'file_type', 'campaigns.fileType');
/** The accepted type of an upload and its cleaned bytes; anything else is refused with 415. */
export function inspectUpload(data: Buffer): { mime: string; data: Buffer } {
  if (data.length === 0) throw badRequest('file_empty', 'campaigns.fileEmpty');
  if (data.length > MAX_FILE_BYTES)
    throw new AppError(413, 'file_too_large', 'campaigns.fileTooLarge', { limit: '10 MB' });
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: FILE_TYPES.pdf, data };
  const image = sniffImage(data);
  if (image) return { mime: image, data: cleanImage(data, image, refused) };
  if (data.readUInt32LE(0) === 0x04034b50) {
    const names = new Set(readZipDirectory(data).entries.map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('word/document.xml')) return { mime: FILE_TYPES.docx, data };
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return { mime: FILE_TYPES.xlsx, data };
  }
  throw refused();
}

/** One cleaning of file names for every upload route (platform/files/upload.ts). */
export { cleanFileName } from '../../platform/files/index.js';

export interface FileOwner {
  campaignId: string;
  type: 'campaign' | 'assignment';
  id: string;
  orgPath: string;
}

export class CampaignFiles {
  readonly dir: string;

  constructor(private readonly p: Platform) {
    this.dir = path.join(p.config.dataDir, 'campaigns');
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.bin`);
  }

  /** Stores a checked upload inside the caller's transaction (the row rolls back if the write fails). */
  async store(trx: Tx, ctx: RequestCtx, owner: FileOwner, fileName: string, upload: { mime: string; data: Buffer }) {
    const row = {
      id: uuidv7(),
      campaign_id: owner.campaignId,
      owner_type: owner.type,
      owner_id: owner.id,
      org_path: owner.orgPath,
      file_name: fileName,
      mime: upload.mime,
      size: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'),
      uploaded_by: ctx.actor.userId,
      created_at: nowIso(),
    };
    await campaignsRepo.insertFile(trx, row);
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action: 'campaign.file.upload',
      entityType: owner.type === 'campaign' ? 'campaign' : 'campaign_assignment',
      entityId: owner.id,
      changes: { file: [null, row.id], name: fileName, size: row.size, mime: row.mime },
    });
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.fileOf(row.id), upload.data);
    return { id: row.id, name: row.file_name, mime: row.mime, size: row.size, createdAt: row.created_at };
  }
}
