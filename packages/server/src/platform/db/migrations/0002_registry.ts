import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Registry of entitled persons (优抚对象). Personal data (ID number, phone, address) is stored
 * only encrypted (`*_enc`), with a blind index for exact lookup (`id_bi`) and a masked copy for
 * lists (`*_masked`). Every row carries its owner's org path for scope filters.
 */
export function registry0002(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('service_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('event_date', 'text')
        .addColumn('unit_code_name', 'text')
        .addColumn('certificate_no', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('households')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('address_enc', 'text')
        .addColumn('address_masked', 'text')
        .addColumn('plaque_status', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('plaque_eligible', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('households_path').on('households').columns(['org_path']).execute();
      await db.schema
        .createIndex('households_plaque')
        .on('households')
        .columns(['plaque_eligible', 'plaque_status', 'org_path'])
        .execute();

      await db.schema
        .createTable('beneficiaries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        // the first two segments of org_path ('650200/650203/'): lists of a district are an equality
        // on it, so an index can deliver them already in name order (no sort of the whole district)
        .addColumn('district_path', pathType, (c) => c.notNull())
        .addColumn('household_id', 'text', (c) => c.references('households.id'))
        .addColumn('service_member_id', 'text', (c) => c.references('service_members.id'))
        .addColumn('relation', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_simplified', 'text', (c) => c.notNull())
        .addColumn('name_pinyin', 'text', (c) => c.notNull())
        .addColumn('name_initials', 'text', (c) => c.notNull())
        .addColumn('id_enc', 'text', (c) => c.notNull())
        .addColumn('id_bi', 'text', (c) => c.notNull().unique())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('sex', 'text', (c) => c.notNull())
        .addColumn('phone_enc', 'text')
        .addColumn('phone_masked', 'text')
        .addColumn('address_enc', 'text')
        .addColumn('address_masked', 'text')
        .addColumn('categories', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('status_date', 'text')
        .addColumn('note', 'text')
        .addColumn('merged_into', 'text')
        .addColumn('created_by', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // lists: a district's people in name order, status and path checked from the index itself
      await db.schema
        .createIndex('beneficiaries_district_name')
        .on('beneficiaries')
        .columns(['district_path', 'name_pinyin', 'id', 'status', 'org_path'])
        .execute();
      await db.schema
        .createIndex('beneficiaries_status_path')
        .on('beneficiaries')
        .columns(['status', 'org_path'])
        .execute();
      await db.schema.createIndex('beneficiaries_household').on('beneficiaries').column('household_id').execute();
      // short-name and pinyin searches: prefix ranges on these
      await db.schema.createIndex('beneficiaries_name').on('beneficiaries').columns(['name_simplified']).execute();
      await db.schema.createIndex('beneficiaries_pinyin').on('beneficiaries').columns(['name_pinyin']).execute();
      await db.schema.createIndex('beneficiaries_initials').on('beneficiaries').columns(['name_initials']).execute();
      await db.schema.createIndex('beneficiaries_birth').on('beneficiaries').columns(['birth_date']).execute();

      // One row per (person, category): carries the person's status and path so that the common list
      // filter "district + category + status" is answered — and counted — from one covering index.
      await db.schema
        .createTable('beneficiary_categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text')
        .addColumn('end_date', 'text')
        .addColumn('disability_grade', 'integer')
        .addColumn('relation', 'text')
        .addColumn('certificate_no', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('district_path', pathType, (c) => c.notNull())
        .addColumn('sort_name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // "district + category (+ status), page 20 in name order, exact total" from one index:
      // the page is its first entries, the total a count over its (code, district) range
      await db.schema
        .createIndex('beneficiary_categories_list')
        .on('beneficiary_categories')
        .columns(['code', 'district_path', 'sort_name', 'beneficiary_id', 'status', 'org_path'])
        .execute();
      await db.schema
        .createIndex('beneficiary_categories_city')
        .on('beneficiary_categories')
        .columns(['code', 'sort_name', 'beneficiary_id', 'status'])
        .execute();
      await db.schema
        .createIndex('beneficiary_categories_filter')
        .on('beneficiary_categories')
        .columns(['code', 'status', 'org_path', 'beneficiary_id'])
        .execute();
      await db.schema
        .createIndex('beneficiary_categories_person')
        .on('beneficiary_categories')
        .columns(['beneficiary_id', 'code'])
        .unique()
        .execute();

      // Substring search on names: every 1- and 2-character piece of the simplified name points at the
      // person, so 建国 finds 张建国 through an index (trigram indexes find nothing below 3 characters).
      await db.schema
        .createTable('beneficiary_name_grams')
        .addColumn('gram', 'text', (c) => c.notNull())
        .addColumn('district_path', pathType, (c) => c.notNull())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id').onDelete('cascade'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addPrimaryKeyConstraint('beneficiary_name_grams_pk', ['gram', 'district_path', 'beneficiary_id'])
        .modifyEnd(dialect === 'sqlite' ? sql`WITHOUT ROWID` : sql``)
        .execute();
      await db.schema
        .createIndex('beneficiary_name_grams_person')
        .on('beneficiary_name_grams')
        .column('beneficiary_id')
        .execute();

      // 迁移: a person registered in another district moves by request, accepted by the receiver.
      await db.schema
        .createTable('transfers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
        .addColumn('from_org_id', 'text', (c) => c.notNull())
        .addColumn('from_path', pathType, (c) => c.notNull())
        .addColumn('to_org_id', 'text', (c) => c.notNull())
        .addColumn('to_path', pathType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decision_note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema.createIndex('transfers_to').on('transfers').columns(['to_path', 'status']).execute();
      await db.schema.createIndex('transfers_from').on('transfers').columns(['from_path', 'status']).execute();

      // Merges keep the absorbed record (merged_into) and a snapshot, so they can be undone.
      await db.schema
        .createTable('merges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('survivor_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
        .addColumn('merged_id', 'text', (c) => c.notNull().references('beneficiaries.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('undone_at', 'text')
        .execute();

      // 光荣牌: one plaque per household; its life is the list of events.
      await db.schema
        .createTable('plaque_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('event_date', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('note', 'text')
        .addColumn('hung_by', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('plaque_events_household')
        .on('plaque_events')
        .columns(['household_id', 'created_at'])
        .execute();

      // 立功喜报: per service member's award, with its delivery workflow.
      await db.schema
        .createTable('merit_citations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('member_name', 'text', (c) => c.notNull())
        .addColumn('unit_code_name', 'text')
        .addColumn('award_level', 'text', (c) => c.notNull())
        .addColumn('award_year', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('register_deadline', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text')
        .addColumn('address_verified_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('deliverers', 'text')
        .addColumn('reward_fen', 'integer')
        .addColumn('reported_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('merit_citations_path')
        .on('merit_citations')
        .columns(['org_path', 'award_year'])
        .execute();

      // 春联年画: delivered per household per year.
      await db.schema
        .createTable('couplet_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('household_id', 'text', (c) => c.notNull().references('households.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('delivered_at', 'text', (c) => c.notNull())
        .addColumn('delivered_by', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('couplet_household_year', ['household_id', 'year'])
        .execute();

      // Long work (imports, exports, letters): one row per job, progress polled by the browser.
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('params', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('file_name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_path').on('jobs').columns(['org_path', 'created_at']).execute();
    },
  };
}
