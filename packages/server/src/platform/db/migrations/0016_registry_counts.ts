import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Totals without counting (issue 15, decisions/0029): `beneficiary_counts` holds how many persons
 * (code '*') and how many category rows (code = the category) each org has per status. Every writer
 * of the registry updates it in the same transaction (`registryRepo.applyCounts`); the list's exact
 * total is a sum over the orgs in scope. `shuangyong doctor` compares it with a rebuild.
 *
 * And the default sort (name, id) gets an index that serves it under every scope
 * (decisions/0030): the city-wide list (no district equality) walks (name_pinyin, id) with status
 * and path read from the index; an org-scoped list walks (org_id, name_pinyin, id); with a category
 * the city-wide walk also reads the path from the index.
 */
export function registryCounts0016(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('beneficiary_counts')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('beneficiary_counts_pk', ['org_id', 'code', 'status'])
        .execute();
      // a subtree's total: one range of this index per (code), status and n read from it
      await db.schema
        .createIndex('beneficiary_counts_path')
        .on('beneficiary_counts')
        .columns(['code', 'org_path', 'status', 'n'])
        .execute();
      // the counts of the rows already there
      await sql`INSERT INTO beneficiary_counts (org_id, org_path, code, status, n)
        SELECT org_id, org_path, '*', status, count(*) FROM beneficiaries GROUP BY org_id, org_path, status`.execute(
        db,
      );
      await sql`INSERT INTO beneficiary_counts (org_id, org_path, code, status, n)
        SELECT b.org_id, b.org_path, bc.code, b.status, count(*)
        FROM beneficiary_categories bc JOIN beneficiaries b ON b.id = bc.beneficiary_id
        GROUP BY b.org_id, b.org_path, bc.code, b.status`.execute(db);

      await db.schema
        .createIndex('beneficiaries_name_order')
        .on('beneficiaries')
        .columns(['name_pinyin', 'id', 'status', 'org_path'])
        .execute();
      await db.schema
        .createIndex('beneficiaries_org_name')
        .on('beneficiaries')
        .columns(['org_id', 'name_pinyin', 'id', 'status'])
        .execute();
      // (code, sort_name, beneficiary_id, status) + org_path: replaces beneficiary_categories_city
      await db.schema
        .createIndex('beneficiary_categories_order')
        .on('beneficiary_categories')
        .columns(['code', 'sort_name', 'beneficiary_id', 'status', 'org_path'])
        .execute();
      await db.schema.dropIndex('beneficiary_categories_city').execute();
    },
  };
}
