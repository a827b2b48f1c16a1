import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

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
 *   (status, org_path) index and the index carries the columns a rule reads, so the rule is answered
 *   from the index alone — 10^5 matches were 10^5 random table reads (1.2–1.9 s on SQLite, ~3 s on
 *   PostgreSQL at 10^6 persons). The registry's queries use the same leading columns as before.
 */
export function targetListIndexes0008(dialect: Dialect): Migration {
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
      if (dialect === 'postgres') {
        // drafts have no owner yet: keep their NULLs out of the unique index (SQLite's column
        // constraint cannot be replaced without rebuilding the table; its NULLs append cheaply)
        await sql`ALTER TABLE visit_targets DROP CONSTRAINT visit_targets_owner_key_key`.execute(db);
        await sql`CREATE UNIQUE INDEX visit_targets_owner_key ON visit_targets (owner_key)
          WHERE owner_key IS NOT NULL`.execute(db);
      }
      await sql`CREATE INDEX visit_targets_path ON visit_targets (org_path, campaign_id)
        WHERE status = 'planned'`.execute(db);
      // PostgreSQL keeps the carried columns out of the key (INCLUDE) and the index replaces the
      // (status, org_path) one. SQLite has no INCLUDE: the columns join the key (~190 B a person),
      // and the narrow index stays beside it for the registry's range scans (decisions/0009).
      if (dialect === 'postgres') {
        await sql`CREATE INDEX beneficiaries_status_path_birth ON beneficiaries (status, org_path, birth_date)
          INCLUDE (household_id, categories, name, org_id, id)`.execute(db);
        await db.schema.dropIndex('beneficiaries_status_path').execute();
      } else
        await db.schema
          .createIndex('beneficiaries_status_path_birth')
          .on('beneficiaries')
          .columns(['status', 'org_path', 'birth_date', 'household_id', 'categories', 'name', 'org_id', 'id'])
          .execute();
      // a household's facts (active members, the oldest one) from the index alone, beside each match
      await db.schema.dropIndex('beneficiaries_household').execute();
      if (dialect === 'postgres')
        await sql`CREATE INDEX beneficiaries_household ON beneficiaries (household_id)
          INCLUDE (status, birth_date, name)`.execute(db);
      else
        await db.schema
          .createIndex('beneficiaries_household')
          .on('beneficiaries')
          .columns(['household_id', 'status', 'birth_date', 'name'])
          .execute();
    },
  };
}
