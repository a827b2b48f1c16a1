import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** Money (fen) and the counters summed from it: columns that can pass 2^31 on PostgreSQL. */
const WIDE_COLUMNS: [string, string[]][] = [
  ['visit_coverage', ['planned', 'visited', 'visits', 'cash_fen', 'goods_fen']],
  ['visit_targets', ['cash_fen', 'goods_fen']],
  ['visit_budget_lines', ['budget_fen', 'spent_fen']],
  ['visits', ['cash_fen', 'goods_fen']],
  ['merit_citations', ['reward_fen']],
];

/**
 * Sums of money in fen overflow PostgreSQL's `integer` (2^31 fen ≈ 2,147 万元): a community's
 * coverage row over a campaign, a city budget line (the API accepts up to 10 亿元). The 10^6-person
 * benchmark data set hit it ("integer out of range" while rebuilding the coverage counters). On
 * PostgreSQL these columns become `bigint` (read back as numbers: int8 has a type parser in
 * db/index.ts); SQLite's INTEGER is 64-bit already.
 */
export function moneyBigint0007(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      for (const [table, columns] of WIDE_COLUMNS)
        await sql`ALTER TABLE ${sql.table(table)} ${sql.join(
          columns.map((c) => sql`ALTER COLUMN ${sql.id(c)} TYPE bigint`),
        )}`.execute(db);
    },
  };
}
