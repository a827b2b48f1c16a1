import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Reconciliation discrepancies are cases (decisions/0055): each has an owner org (the roster's
 * district office by default, reassignable; optionally one of its users), the deadline it already had, and the sweep's claims
 * (`escalated_at`, `reminded_at`) as needs have. Existing rows are owned by their district. The
 * sweep reads open rows not yet escalated, by deadline.
 */
export function discrepancyCases0037(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('benefit_discrepancies').addColumn('owner_org_id', 'text').execute();
      await db.schema.alterTable('benefit_discrepancies').addColumn('owner_user_id', 'text').execute();
      await db.schema.alterTable('benefit_discrepancies').addColumn('assigned_at', 'text').execute();
      await db.schema.alterTable('benefit_discrepancies').addColumn('escalated_at', 'text').execute();
      await db.schema.alterTable('benefit_discrepancies').addColumn('reminded_at', 'text').execute();
      await sql`UPDATE benefit_discrepancies SET owner_org_id = org_id, assigned_at = created_at`.execute(db);
      await db.schema
        .createIndex('benefit_discrepancies_due')
        .on('benefit_discrepancies')
        .columns(['status', 'escalated_at', 'deadline'])
        .execute();
    },
  };
}
