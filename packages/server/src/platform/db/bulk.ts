import { sql } from 'kysely';
import type { DbHandle, Queryable } from './index.js';

/** Rows per PostgreSQL statement: one array parameter per column. */
const PG_ROWS_PER_STATEMENT = 5000;

/** Column types of the tables bulk-inserted into, read once per database handle. */
const pgTypes = new WeakMap<DbHandle, Map<string, Map<string, string>>>();

async function columnTypes(handle: DbHandle, executor: Queryable, table: string): Promise<Map<string, string>> {
  const tables = pgTypes.get(handle) ?? new Map<string, Map<string, string>>();
  pgTypes.set(handle, tables);
  let types = tables.get(table);
  if (!types) {
    const { rows } = await sql<{ name: string; type: string }>`
      SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`.execute(executor);
    types = new Map(rows.map((r) => [r.name, r.type]));
    tables.set(table, types);
  }
  return types;
}

/**
 * Bulk insert behind one interface (DESIGN §2): SQLite runs one prepared statement per row inside
 * the caller's transaction (fastest there); PostgreSQL gets one array per column and expands them
 * with `unnest` — a statement has as many parameters as the table has columns, so the server
 * parses a few arrays rather than tens of thousands of bind parameters (at 10^5 rows about twice
 * as fast as multi-row VALUES; docs/decisions/0009-target-list-build.md). Rows must all have the
 * same keys. Inside a transaction pass it as `executor` (SQLite's statements run on the same
 * single connection, so they join it as well).
 */
export async function bulkInsert(
  handle: DbHandle,
  table: string,
  rows: Record<string, unknown>[],
  executor: Queryable = handle.db,
): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  if (handle.dialect === 'sqlite') {
    const stmt = handle.sqlite!.prepare(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const run = handle.sqlite!.transaction((batch: Record<string, unknown>[]) => {
      for (const r of batch) stmt.run(columns.map((c) => r[c] ?? null));
    });
    run(rows);
    return;
  }
  const types = await columnTypes(handle, executor, table);
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + PG_ROWS_PER_STATEMENT);
    const arrays = columns.map((c) => {
      const type = types.get(c);
      if (!type) throw new Error(`bulkInsert: ${table} has no column ${c}`);
      return sql`${chunk.map((r) => r[c] ?? null)}::${sql.raw(type)}[]`;
    });
    await sql`INSERT INTO ${sql.table(table)} (${cols}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(executor);
  }
}
