import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * 政策待遇落实到位 (issue 21): benefit standards as data (history kept, never edited in place),
 * monthly payment rosters per district with their lines, back-pay owed after a retroactive
 * standard, the bank's return lines and the discrepancies reconciliation finds. Money is integer
 * fen (bigint on PostgreSQL, decisions/0002 and migration 0007), months are 'YYYY-MM' text.
 */
export function benefits0021(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  const fen = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('benefit_standards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('benefit_type', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('grade_min', 'integer')
        .addColumn('grade_max', 'integer')
        // national / province / city: amounts of different layers add up (city top-ups)
        .addColumn('layer', 'text', (c) => c.notNull())
        // '' everywhere, or an org path ('650200/') the standard applies below
        .addColumn('region_path', pathType, (c) => c.notNull())
        .addColumn('amount_fen', fen, (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_to', 'text')
        .addColumn('doc_no', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('withdrawn_at', 'text')
        .execute();
      await db.schema
        .createIndex('benefit_standards_key')
        .on('benefit_standards')
        .columns(['category', 'benefit_type', 'layer', 'valid_from'])
        .execute();

      await db.schema
        .createTable('benefit_rosters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('line_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('total_fen', fen, (c) => c.notNull().defaultTo(0))
        .addColumn('paid_fen', fen)
        .addColumn('return_file_name', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text')
        .addColumn('requested_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('reconciled_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_rosters_period')
        .on('benefit_rosters')
        .columns(['org_path', 'period'])
        .unique()
        .execute();

      await db.schema
        .createTable('benefit_roster_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('roster_id', 'text', (c) => c.notNull().references('benefit_rosters.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull())
        .addColumn('id_bi', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('benefit_type', 'text', (c) => c.notNull())
        // regular (the period's own month) or backpay (a past month after a standard change)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount_fen', fen, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_roster_lines_roster')
        .on('benefit_roster_lines')
        .columns(['roster_id', 'id_bi'])
        .execute();
      await db.schema
        .createIndex('benefit_roster_lines_person')
        .on('benefit_roster_lines')
        .columns(['beneficiary_id', 'month', 'benefit_type'])
        .execute();

      await db.schema
        .createTable('benefit_backpay')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('benefit_type', 'text', (c) => c.notNull())
        .addColumn('standard_id', 'text', (c) => c.notNull().references('benefit_standards.id'))
        .addColumn('due_fen', fen, (c) => c.notNull())
        .addColumn('paid_fen', fen, (c) => c.notNull())
        .addColumn('owed_fen', fen, (c) => c.notNull())
        .addColumn('roster_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_backpay_open')
        .on('benefit_backpay')
        .columns(['org_path', 'roster_id'])
        .execute();
      await db.schema
        .createIndex('benefit_backpay_person')
        .on('benefit_backpay')
        .columns(['beneficiary_id', 'month', 'benefit_type'])
        .execute();

      await db.schema
        .createTable('benefit_returns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('roster_id', 'text', (c) => c.notNull().references('benefit_rosters.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('row_number', 'integer', (c) => c.notNull())
        .addColumn('id_bi', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('amount_fen', fen, (c) => c.notNull())
        .addColumn('paid', 'integer', (c) => c.notNull())
        .addColumn('account_masked', 'text')
        .execute();
      await db.schema
        .createIndex('benefit_returns_person')
        .on('benefit_returns')
        .columns(['period', 'id_bi', 'roster_id'])
        .execute();
      await db.schema.createIndex('benefit_returns_roster').on('benefit_returns').columns(['roster_id']).execute();

      await db.schema
        .createTable('benefit_discrepancies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('roster_id', 'text', (c) => c.notNull().references('benefit_rosters.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('beneficiary_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('id_masked', 'text', (c) => c.notNull())
        .addColumn('expected_fen', fen, (c) => c.notNull())
        .addColumn('paid_fen', fen, (c) => c.notNull())
        .addColumn('row_number', 'integer')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text')
        .addColumn('resolution_note', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_discrepancies_path')
        .on('benefit_discrepancies')
        .columns(['org_path', 'status', 'period'])
        .execute();
      await db.schema
        .createIndex('benefit_discrepancies_roster')
        .on('benefit_discrepancies')
        .columns(['roster_id'])
        .execute();
    },
  };
}
