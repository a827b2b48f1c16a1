import { sql } from 'kysely';
import type { Tx } from '../db/index.js';
import { prefixEnd } from './scope.js';

/**
 * Every table whose rows carry their owner's org path. Moving an org rewrites the paths of its
 * subtree in all of them in one transaction. Modules add their tables here as they land.
 */
export const SCOPED_TABLES: readonly { table: string; pathColumn: string }[] = [
  { table: 'users', pathColumn: 'org_path' },
  { table: 'campaigns', pathColumn: 'org_path' },
  { table: 'campaign_items', pathColumn: 'org_path' },
  { table: 'campaign_tasks', pathColumn: 'org_path' },
  { table: 'campaign_assignments', pathColumn: 'org_path' },
  { table: 'campaign_reports', pathColumn: 'org_path' },
  { table: 'campaign_files', pathColumn: 'org_path' },
  { table: 'campaign_reminders', pathColumn: 'org_path' },
  { table: 'campaign_inspections', pathColumn: 'org_path' },
  { table: 'campaign_rectifications', pathColumn: 'org_path' },
  { table: 'needs', pathColumn: 'org_path' },
  { table: 'need_handlers', pathColumn: 'org_path' },
  { table: 'need_events', pathColumn: 'org_path' },
  { table: 'need_tags', pathColumn: 'org_path' },
  { table: 'need_attachments', pathColumn: 'org_path' },
  { table: 'notifications', pathColumn: 'org_path' },
  { table: 'visit_plans', pathColumn: 'org_path' },
  { table: 'visit_teams', pathColumn: 'org_path' },
  { table: 'visit_targets', pathColumn: 'org_path' },
  { table: 'visit_budget_lines', pathColumn: 'org_path' },
  { table: 'visits', pathColumn: 'org_path' },
  { table: 'visit_photos', pathColumn: 'org_path' },
  { table: 'visit_coverage', pathColumn: 'org_path' },
];

/** Rewrites `oldPrefix…` to `newPrefix…` in the path column of every scoped table and of orgs. */
export async function rewritePaths(trx: Tx, oldPrefix: string, newPrefix: string): Promise<void> {
  const end = prefixEnd(oldPrefix);
  const from = oldPrefix.length + 1;
  const depthDelta = newPrefix.split('/').length - oldPrefix.split('/').length;
  await sql`UPDATE orgs SET path = ${newPrefix} || substr(path, ${from}), depth = depth + ${depthDelta}
            WHERE path >= ${oldPrefix} AND path < ${end}`.execute(trx);
  for (const { table, pathColumn } of SCOPED_TABLES) {
    const col = sql.ref(pathColumn);
    await sql`UPDATE ${sql.table(table)} SET ${col} = ${newPrefix} || substr(${col}, ${from})
              WHERE ${col} >= ${oldPrefix} AND ${col} < ${end}`.execute(trx);
  }
}
