import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './index.js';

// The registry's name index (decisions/0087) is written by one statement, here because migration
// 0043 builds the index with it as well as the registry's repository (modules/registry/registry.repo.ts).

/** Which people a name index statement covers: `from` names them `b`, `where` picks them. */
export interface People {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>;
}

/**
 * The statement that writes the name index of `people`, made by the database from their
 * `name_simplified` (the same tokens as `nameTokens`: the name without middle dots and spaces — the
 * only space `normalizeQuery` leaves — cut into its characters and pairs of neighbours). Nothing
 * per gram crosses from the program (decisions/0064). `replace` rewrites the people's entries (an
 * org move); a new person has none yet.
 */
export function nameIndexStatement(dialect: Dialect, people: People, replace = false) {
  if (dialect === 'sqlite')
    return sql`
      WITH RECURSIVE p(rid, district_path, name) AS (
        SELECT b.rowid, b.district_path, replace(replace(b.name_simplified, '·', ''), ' ', '')
        FROM ${people.from} WHERE ${people.where}
      ), c(rid, district_path, name, i) AS (
        SELECT rid, district_path, name, 1 FROM p WHERE name <> ''
        UNION ALL SELECT rid, district_path, name, i + 1 FROM c WHERE i < length(name)
      ), g(rid, district_path, gram) AS (
        SELECT rid, district_path, substr(name, i, 1) FROM c
        UNION SELECT rid, district_path, substr(name, i, 2) FROM c WHERE i < length(name)
      )
      ${sql.raw(replace ? 'INSERT OR REPLACE' : 'INSERT')} INTO beneficiary_name_index (rowid, tokens)
      SELECT rid, group_concat(gram || ' ' || district_path || gram, ' ') FROM g GROUP BY rid`;
  return sql`
    INSERT INTO beneficiary_name_index (beneficiary_id, tokens)
    SELECT b.id, array_agg(DISTINCT t.token ORDER BY t.token)
    FROM ${people.from}
      CROSS JOIN LATERAL (SELECT replace(replace(b.name_simplified, '·', ''), ' ', '') AS name) AS n
      CROSS JOIN LATERAL generate_series(1, char_length(n.name)) AS i
      CROSS JOIN LATERAL (VALUES (substr(n.name, i, 1)),
        (CASE WHEN i < char_length(n.name) THEN substr(n.name, i, 2) END)) AS g(gram)
      CROSS JOIN LATERAL (VALUES (g.gram), (b.district_path || g.gram)) AS t(token)
    WHERE g.gram IS NOT NULL AND ${people.where}
    GROUP BY b.id ORDER BY b.id${sql.raw(replace ? ' ON CONFLICT (beneficiary_id) DO UPDATE SET tokens = excluded.tokens' : '')}`;
}
