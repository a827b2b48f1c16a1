import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';
import { nameIndexStatement } from '../name-index.js';

/**
 * The name grams become an inverted index (decisions/0087): one entry a person holding its tokens —
 * each 1- and 2-character piece of the name without middle dots and spaces, as it is and behind the
 * person's district path (`建国`, `650200/650203/建国`). The grams' B-tree of ~5 rows a person (and,
 * on SQLite, its second index) took a random leaf for nearly every row an import wrote.
 * - SQLite: an FTS5 table whose rowid is the person's rowid; the `ascii` tokenizer keeps every
 *   non-ASCII character and, with `tokenchars`, the '-', '_', '.' and '/' of names and paths in a
 *   token; `detail=none`, as a search asks for one token.
 * - PostgreSQL: a row a person with its tokens as text[] under a GIN index.
 * The entries of the people already registered are made here (by the statement the registry writes
 * them with, platform/db/name-index.ts); the grams' table is dropped.
 */
export function nameIndex0043(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE beneficiary_name_index USING fts5(
                    tokens, tokenize = "ascii tokenchars '-_./'", detail = none)`.execute(db);
      } else {
        await sql`CREATE TABLE beneficiary_name_index (beneficiary_id text PRIMARY KEY, tokens text[] NOT NULL)`.execute(
          db,
        );
      }
      // the entries of the people already registered (the GIN index is built after them, in bulk)
      await nameIndexStatement(dialect, { from: sql`beneficiaries AS b`, where: sql`1 = 1` }).execute(db);
      if (dialect === 'postgres')
        await sql`CREATE INDEX beneficiary_name_index_tokens ON beneficiary_name_index USING gin (tokens)`.execute(db);
      await db.schema.dropTable('beneficiary_name_grams').execute();
    },
  };
}
