import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * PostgreSQL: the name grams lose their foreign key to `beneficiaries` (decisions/0086). Its trigger
 * checked every gram row an import or the seeder writes against the people's primary key, a third of
 * the grams' statement at 10^6 people; the grams are only ever written by INSERT … SELECT from the
 * people's own rows (registry.repo.ts), no person is ever deleted (a merge marks `merged_into`), and
 * the name search joins each gram to its person. SQLite keeps its key: dropping one there means
 * rebuilding the table (~5 rows a person), and its cost there is not measured.
 */
export function nameGramsNoFk0042(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const { rows } = await sql<{ name: string }>`
        SELECT conname AS name FROM pg_constraint
        WHERE conrelid = 'beneficiary_name_grams'::regclass AND contype = 'f'`.execute(db);
      for (const r of rows) await sql`ALTER TABLE beneficiary_name_grams DROP CONSTRAINT ${sql.id(r.name)}`.execute(db);
    },
  };
}
