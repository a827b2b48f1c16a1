import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * The name grams become an inverted index (decisions/0087): one entry a person holding its tokens —
 * each 1- and 2-character piece of the name without middle dots and spaces, as it is and behind the
 * person's district path (`建国`, `650200/650203/建国`). The grams' B-tree of ~5 rows a person (and,
 * on SQLite, its second index) took a random leaf for nearly every row an import wrote.
 * - SQLite: an FTS5 table whose rowid is the person's rowid; the `ascii` tokenizer keeps every
 *   non-ASCII character and, with `tokenchars`, the '-', '_', '.' and '/' of names and paths in a
 *   token; `detail=none`, as a search asks for one token.
 * - PostgreSQL: a row a person with its tokens as text[] under a GIN index.
 * The entries of the people already registered are made here; the grams' table is dropped. This is
 * a snapshot of registry.repo.ts `nameIndexStatement` as it was written with this migration.
 */
export function nameIndex0043(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'sqlite') {
        await sql`CREATE VIRTUAL TABLE beneficiary_name_index USING fts5(
                    tokens, tokenize = "ascii tokenchars '-_./'", detail = none)`.execute(db);
        await sql`
          WITH RECURSIVE p(rid, district_path, name) AS (
            SELECT rowid, district_path, replace(replace(name_simplified, '·', ''), ' ', '') FROM beneficiaries
          ), c(rid, district_path, name, i) AS (
            SELECT rid, district_path, name, 1 FROM p WHERE name <> ''
            UNION ALL SELECT rid, district_path, name, i + 1 FROM c WHERE i < length(name)
          ), g(rid, district_path, gram) AS (
            SELECT rid, district_path, substr(name, i, 1) FROM c
            UNION SELECT rid, district_path, substr(name, i, 2) FROM c WHERE i < length(name)
          )
          INSERT INTO beneficiary_name_index (rowid, tokens)
          SELECT rid, group_concat(gram || ' ' || district_path || gram, ' ') FROM g GROUP BY rid`.execute(db);
      } else {
        await sql`CREATE TABLE beneficiary_name_index (beneficiary_id text PRIMARY KEY, tokens text[] NOT NULL)`.execute(
          db,
        );
        await sql`
          INSERT INTO beneficiary_name_index (beneficiary_id, tokens)
          SELECT b.id, array_agg(DISTINCT t.token ORDER BY t.token)
          FROM beneficiaries AS b
            CROSS JOIN LATERAL (SELECT replace(replace(b.name_simplified, '·', ''), ' ', '') AS name) AS n
            CROSS JOIN LATERAL generate_series(1, char_length(n.name)) AS i
            CROSS JOIN LATERAL (VALUES (substr(n.name, i, 1)),
              (CASE WHEN i < char_length(n.name) THEN substr(n.name, i, 2) END)) AS g(gram)
            CROSS JOIN LATERAL (VALUES (g.gram), (b.district_path || g.gram)) AS t(token)
          WHERE g.gram IS NOT NULL
          GROUP BY b.id`.execute(db);
        await sql`CREATE INDEX beneficiary_name_index_tokens ON beneficiary_name_index USING gin (tokens)`.execute(db);
      }
      await db.schema.dropTable('beneficiary_name_grams').execute();
    },
  };
}
