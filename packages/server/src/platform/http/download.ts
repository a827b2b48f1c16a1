import type { FastifyRequest } from 'fastify';
import { auditActorOf } from '../auth/actor.js';
import type { Platform } from '../context.js';
import { ctxOf } from './pipeline.js';

/**
 * The `content-disposition` of a download: any file name (Chinese included) as RFC 6266 / 8187
 * `filename*`, so the browser saves it under that name.
 */
export function attachment(fileName: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The audit action of every download of a file that holds personal data. */
export const FILE_DOWNLOAD = 'file.download';

/**
 * Records who downloaded which file holding personal data (error reports, letters, attachments),
 * before a byte of it is sent: a failed audit write stops the download.
 */
export async function auditDownload(
  p: Platform,
  req: FastifyRequest,
  file: { kind: string; entityType: string; entityId: string; fileName?: string; extra?: Record<string, unknown> },
): Promise<void> {
  await p.audit.event(p.handle.db, auditActorOf(ctxOf(req)), {
    action: FILE_DOWNLOAD,
    entityType: file.entityType,
    entityId: file.entityId,
    changes: { kind: file.kind, ...(file.fileName ? { fileName: file.fileName } : {}), ...file.extra },
  });
}
