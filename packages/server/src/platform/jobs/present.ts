import type { Job } from '@shuangyong/shared';
import type { JobRow } from './jobs.js';

/** A job as the API shows it (progress polling, results), whichever module created it. */
export function toJob(j: JobRow): Job {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status as Job['status'],
    total: j.total,
    processed: j.processed,
    fileName: j.file_name,
    result: j.result ? (JSON.parse(j.result) as Record<string, unknown>) : null,
    error: j.error,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
  };
}
