import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Issue 21, the rest of it: 性质 (因战/因公/因病) of a disability on the person's category and on
 * a standard; annual confirmation (年度确认) per person and year, whose late recording produces
 * back pay (so `benefit_backpay.standard_id` becomes optional, beside `confirmation_id`); rosters of
 * a quarter (`period_from`..`period_to`, months); bank accounts sealed like ID numbers.
 */
export function benefitsConfirmation0028(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      // war / duty / illness; null: not recorded (a standard without one applies to every 性质)
      await db.schema.alterTable('beneficiary_categories').addColumn('disability_cause', 'text').execute();
      await db.schema.alterTable('benefit_standards').addColumn('disability_cause', 'text').execute();

      await db.schema
        .createTable('benefit_confirmations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('confirmed_on', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('benefit_confirmations_person')
        .on('benefit_confirmations')
        .columns(['beneficiary_id', 'year'])
        .unique()
        .execute();
      await db.schema
        .createIndex('benefit_confirmations_path')
        .on('benefit_confirmations')
        .columns(['org_path', 'year'])
        .execute();

      if (dialect === 'postgres') {
        await sql`ALTER TABLE benefit_backpay ALTER COLUMN standard_id DROP NOT NULL`.execute(db);
        await db.schema.alterTable('benefit_backpay').addColumn('confirmation_id', 'text').execute();
      } else {
        // SQLite cannot drop NOT NULL: the table is rebuilt (nothing refers to it)
        await sql`CREATE TABLE benefit_backpay_0028 (
          id text PRIMARY KEY, org_path text NOT NULL, beneficiary_id text NOT NULL, month text NOT NULL,
          benefit_type text NOT NULL, standard_id text REFERENCES benefit_standards (id), due_fen integer NOT NULL,
          paid_fen integer NOT NULL, owed_fen integer NOT NULL, roster_id text, created_at text NOT NULL,
          confirmation_id text)`.execute(db);
        await sql`INSERT INTO benefit_backpay_0028 (id, org_path, beneficiary_id, month, benefit_type, standard_id,
            due_fen, paid_fen, owed_fen, roster_id, created_at)
          SELECT id, org_path, beneficiary_id, month, benefit_type, standard_id, due_fen, paid_fen, owed_fen, roster_id,
            created_at FROM benefit_backpay`.execute(db);
        await sql`DROP TABLE benefit_backpay`.execute(db);
        await sql`ALTER TABLE benefit_backpay_0028 RENAME TO benefit_backpay`.execute(db);
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
      }

      // a roster pays the months period_from..period_to: one month, or a quarter ('2026-Q1')
      await db.schema.alterTable('benefit_rosters').addColumn('period_from', 'text').execute();
      await db.schema.alterTable('benefit_rosters').addColumn('period_to', 'text').execute();
      await sql`UPDATE benefit_rosters SET period_from = period, period_to = period`.execute(db);
      await db.schema
        .createIndex('benefit_rosters_months')
        .on('benefit_rosters')
        .columns(['org_path', 'period_from', 'period_to'])
        .execute();

      // the account a person is paid into: sealed like the ID number, masked for lists
      await db.schema
        .createTable('benefit_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull().unique())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('bank_name', 'text', (c) => c.notNull())
        .addColumn('account_enc', 'text', (c) => c.notNull())
        .addColumn('account_masked', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('benefit_accounts_path').on('benefit_accounts').columns(['org_path']).execute();
      await db.schema.alterTable('benefit_returns').addColumn('account_enc', 'text').execute();
    },
  };
}
