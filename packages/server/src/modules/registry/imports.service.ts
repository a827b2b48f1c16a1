import type { Job } from '@shuangyong/shared';
import type { RequestCtx } from '../../platform/auth/actor.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { toJob } from '../../platform/jobs/present.js';
import { IMPORT_KIND } from './import.js';

/** How long a finished import stays on its user's to-do list. */
export const RECENT_IMPORT_DAYS = 7;

/**
 * The caller's own roster imports that finished in the last week and wait on them: checked and
 * waiting for 确认导入, or failed. The import page lists them; the home page's to-do is their total.
 */
export class ImportJobs {
  constructor(private readonly jobs: Jobs) {}

  async recent(ctx: RequestCtx, page: number, pageSize: number, now = new Date()) {
    const since = new Date(now.getTime() - RECENT_IMPORT_DAYS * 86_400_000).toISOString();
    const { rows, total } = await this.jobs.finishedOf(ctx.actor.userId, IMPORT_KIND, since, page, pageSize);
    const items: Job[] = rows.map(toJob);
    return { items, total, page, pageSize };
  }
}
