import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Model city (decisions/0046): who answers for an item of the assessment table, and the index
 * that makes one district's readiness a range scan.
 *
 * - `modelcity_owners`: an item of a round assigned to a lead org (one) and co-owners, with a
 *   deadline. The work itself is a task of the city's 创建 campaign (`task_id`): the owner's to-do
 *   is the campaigns' to-do, there is no second task system.
 * - `modelcity_evidence_scope`: (round, org_path, element, date) covers the per-element counts of
 *   a subtree (a district reads only its own rows, never the table's heap).
 * - `modelcity_evidence_element_path`: (round, element, org_path, date) lets the listed evidence of
 *   a district seek its own rows of each element instead of walking past other districts'.
 */
export function modelcityOwners0029(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('modelcity_owners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', 'text', (c) => c.notNull())
        // lead | co
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('task_id', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('modelcity_owners_item')
        .on('modelcity_owners')
        .columns(['item_id', 'org_id'])
        .unique()
        .execute();
      await db.schema.createIndex('modelcity_owners_path').on('modelcity_owners').columns(['org_path']).execute();
      await db.schema
        .createIndex('modelcity_evidence_scope')
        .on('modelcity_evidence')
        .columns(['round_id', 'org_path', 'element_id', 'evidence_date'])
        .execute();
      await db.schema
        .createIndex('modelcity_evidence_element_path')
        .on('modelcity_evidence')
        .columns(['round_id', 'element_id', 'org_path', 'evidence_date'])
        .execute();
    },
  };
}
