import { sql } from 'kysely';
import type { Tx } from '../db/index.js';
import { districtOf, prefixEnd } from './scope.js';

/**
 * Every table whose rows carry their owner's org path. Moving an org rewrites the paths of its
 * subtree in all of them in one transaction. Modules add their tables here as they land.
 */
export const SCOPED_TABLES: readonly { table: string; pathColumn: string; districtColumn?: string }[] = [
  { table: 'users', pathColumn: 'org_path' },
  { table: 'service_members', pathColumn: 'org_path' },
  { table: 'households', pathColumn: 'org_path' },
  { table: 'beneficiaries', pathColumn: 'org_path', districtColumn: 'district_path' },
  { table: 'beneficiary_categories', pathColumn: 'org_path', districtColumn: 'district_path' },
  { table: 'beneficiary_counts', pathColumn: 'org_path' },
  { table: 'transfers', pathColumn: 'from_path' },
  { table: 'transfers', pathColumn: 'to_path' },
  { table: 'merges', pathColumn: 'org_path' },
  { table: 'plaque_events', pathColumn: 'org_path' },
  { table: 'merit_citations', pathColumn: 'org_path' },
  { table: 'couplet_deliveries', pathColumn: 'org_path' },
  { table: 'jobs', pathColumn: 'org_path' },
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
  { table: 'visit_daily', pathColumn: 'org_path' },
  { table: 'cockpit_briefs', pathColumn: 'org_path' },
  { table: 'atmosphere_items', pathColumn: 'org_path' },
  { table: 'atmosphere_photos', pathColumn: 'org_path' },
  { table: 'atmosphere_reviews', pathColumn: 'org_path' },
  { table: 'atmosphere_exemplars', pathColumn: 'org_path' },
  { table: 'atmosphere_exemplars', pathColumn: 'concerned_path' },
  { table: 'atmosphere_exemplar_reviews', pathColumn: 'org_path' },
  { table: 'atmosphere_exemplar_items', pathColumn: 'org_path' },
  { table: 'atmosphere_events', pathColumn: 'org_path' },
  { table: 'atmosphere_events', pathColumn: 'partner_path' },
  { table: 'atmosphere_event_invitations', pathColumn: 'org_path' },
  { table: 'atmosphere_event_photos', pathColumn: 'org_path' },
  { table: 'modelcity_evidence', pathColumn: 'org_path' },
  { table: 'modelcity_owners', pathColumn: 'org_path' },
  { table: 'troop_activities', pathColumn: 'org_path' },
  { table: 'troop_activities', pathColumn: 'place_path', districtColumn: 'district_path' },
  { table: 'troop_activity_photos', pathColumn: 'org_path' },
  { table: 'troop_activity_stats', pathColumn: 'org_path' },
  { table: 'troop_partnerships', pathColumn: 'org_path' },
  { table: 'troop_partnerships', pathColumn: 'place_path' },
  { table: 'troop_partnership_plans', pathColumn: 'org_path' },
  { table: 'troop_emergencies', pathColumn: 'org_path' },
  { table: 'troop_emergency_dispatches', pathColumn: 'org_path' },
  { table: 'troop_emergency_events', pathColumn: 'org_path' },
  { table: 'benefit_standards', pathColumn: 'region_path' },
  { table: 'benefit_rosters', pathColumn: 'org_path' },
  { table: 'benefit_roster_lines', pathColumn: 'org_path' },
  { table: 'benefit_backpay', pathColumn: 'org_path' },
  { table: 'benefit_returns', pathColumn: 'org_path' },
  { table: 'benefit_discrepancies', pathColumn: 'org_path' },
  { table: 'benefit_confirmations', pathColumn: 'org_path' },
  { table: 'benefit_accounts', pathColumn: 'org_path' },
];

/**
 * Tables derived from paths in a way a prefix rewrite cannot follow (a row per ancestor of a
 * path, decisions/0050): their owners register a rebuild, run by `rewritePaths` after the rewrite.
 */
type Rebuild = (trx: Tx, moved: { newPrefix: string }) => Promise<unknown>;
const REBUILT_AFTER_MOVE = new Map<string, Rebuild>();

/** Registers the rebuild of `table`, run inside every org move (`newPrefix`: the moved subtree's new path). */
export function rebuildAfterMove(table: string, rebuild: Rebuild): void {
  REBUILT_AFTER_MOVE.set(table, rebuild);
}

/** The tables an org move rebuilds (their path columns need no prefix rewrite). */
export function tablesRebuiltAfterMove(): string[] {
  return [...REBUILT_AFTER_MOVE.keys()];
}

/**
 * Rewrites `oldPrefix…` to `newPrefix…` in the path column of every scoped table and of orgs, then
 * rebuilds the tables registered with `rebuildAfterMove`.
 */
export async function rewritePaths(trx: Tx, oldPrefix: string, newPrefix: string): Promise<void> {
  const end = prefixEnd(oldPrefix);
  const from = oldPrefix.length + 1;
  const depthDelta = newPrefix.split('/').length - oldPrefix.split('/').length;
  await sql`UPDATE orgs SET path = ${newPrefix} || substr(path, ${from}), depth = depth + ${depthDelta}
            WHERE path >= ${oldPrefix} AND path < ${end}`.execute(trx);
  for (const { table, pathColumn, districtColumn } of SCOPED_TABLES) {
    const col = sql.ref(pathColumn);
    await sql`UPDATE ${sql.table(table)} SET ${col} = ${newPrefix} || substr(${col}, ${from})
              WHERE ${col} >= ${oldPrefix} AND ${col} < ${end}`.execute(trx);
    // every row of the moved subtree now lies below newPrefix, so its district is newPrefix's
    if (districtColumn)
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(districtColumn)} = ${districtOf(newPrefix)}
                WHERE ${col} >= ${newPrefix} AND ${col} < ${prefixEnd(newPrefix)}`.execute(trx);
  }
  for (const rebuild of REBUILT_AFTER_MOVE.values()) await rebuild(trx, { newPrefix });
}
