import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Fewer indexes on `beneficiaries` (decisions/0064): each one is a B-tree insert for every person an
 * import or the seeder writes. Dropped, because no statement reads them (bench/registry-plans.ts):
 * `beneficiaries_name` (name_simplified: the search reads the name grams, the substring test is a
 * LIKE '%…%'), `beneficiaries_pinyin` (name_pinyin: the leading column of `beneficiaries_name_order`,
 * which serves the pinyin range) and, on SQLite, `beneficiaries_status_path` (status, org_path: the
 * leading columns of `beneficiaries_status_path_birth`; PostgreSQL dropped it in 0008).
 * `beneficiaries_birth` (birth_date) is merged into the district list index: a district's list and
 * count filtered by birth dates read birth_date from that index (the filter is one district's range
 * there, instead of a city-wide birth range with a row read per match).
 */
export function beneficiaryIndexes0040(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('beneficiaries_name').execute();
      await db.schema.dropIndex('beneficiaries_pinyin').execute();
      await db.schema.dropIndex('beneficiaries_birth').execute();
      if (dialect === 'sqlite') await db.schema.dropIndex('beneficiaries_status_path').ifExists().execute();
      await db.schema.dropIndex('beneficiaries_district_name').execute();
      await db.schema
        .createIndex('beneficiaries_district_name')
        .on('beneficiaries')
        .columns(['district_path', 'name_pinyin', 'id', 'status', 'org_path', 'birth_date'])
        .execute();
    },
  };
}
