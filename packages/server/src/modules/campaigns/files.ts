import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Tx } from '../../platform/db/index.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { acceptUpload, type UploadRules } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { campaignsRepo } from './campaigns.repo.js';

/**
 * Files of a campaign: the issuer's attachments to the notice, and the photos and documents an
 * assignee hands in with a report. Type by content (PDF, JPEG, PNG, DOCX, XLSX); images lose their
 * metadata (EXIF with GPS, XMP, text chunks); Office files pass the zip-bomb limits; 10 MB at most.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const refused = () => new AppError(415, 'file_type', 'campaigns.fileType');
const RULES: UploadRules = {
  maxBytes: MAX_FILE_BYTES,
  accept: ['pdf', 'jpeg', 'png', 'docx', 'xlsx'],
  empty: () => badRequest('file_empty', 'campaigns.fileEmpty'),
  tooLarge: () => new AppError(413, 'file_too_large', 'campaigns.fileTooLarge', { limit: '10 MB' }),
  type: refused,
};
/** The accepted type of an upload and its cleaned bytes (the platform's upload pipeline). */
export function inspectUpload(data: Buffer): { mime: string; data: Buffer } {
  const { mime, data: clean } = acceptUpload(data, RULES);
  return { mime, data: clean };
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
