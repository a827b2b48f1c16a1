import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Indexes shaped for building target lists of 10^5 households (issue 5; measured in
 * docs/benchmarks.md and docs/decisions/0009-target-list-build.md):
 *
 * - A draft list of 10^5 rows paid for every campaign-wide index of `visit_targets` (each ~1 s per
 *   10^5 rows at 10^6 targets on SQLite: its new entries land all over a large index, so nearly every
 *   page is read, journalled and written). Now a draft row only enters indexes led by its plan id,
 *   where a new plan's entries are appended:
 *   - the priority order of the not-yet-visited list and the org path index serve confirmed targets
 *     only (`status = 'planned'`, which their queries state), so they become partial; confirming a
 *     plan adds its rows;
 *   - (target_key, campaign_id) gives way to (plan_id, target_key): a household's owner in the
 *     campaign is found by the unique `owner_key` (campaign|target_key, set at confirmation), and
 *     overlaps with other draft plans by probing each draft plan's own keys.
 * - Age rules read the active persons of a subtree born before a date: `birth_date` joins the
 *   (status, org_path) index so the date is tested in the index and only matching persons are read
 *   from the table (the registry's queries use the same leading columns as before).
 */
export function targetListIndexes0008(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('visit_targets_priority').execute();
      await sql`CREATE INDEX visit_targets_priority ON visit_targets
        (campaign_id, status, visit_count, priority_rank, oldest_birth) WHERE status = 'planned'`.execute(db);
      await db.schema.dropIndex('visit_targets_key').execute();
      await db.schema
        .createIndex('visit_targets_plan_key')
        .on('visit_targets')
        .columns(['plan_id', 'target_key'])
        .execute();
      await db.schema.dropIndex('visit_targets_path').execute();
      await sql`CREATE INDEX visit_targets_path ON visit_targets (org_path, campaign_id)
        WHERE status = 'planned'`.execute(db);
      await db.schema
        .createIndex('beneficiaries_status_path_birth')
        .on('beneficiaries')
        .columns(['status', 'org_path', 'birth_date'])
        .execute();
      await db.schema.dropIndex('beneficiaries_status_path').execute();
    },
  };
}
