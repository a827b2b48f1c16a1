import { sql } from 'kysely';
import type { DbHandle, Queryable } from './index.js';

/**
 * Bulk insert behind one interface (DESIGN §2): SQLite runs one prepared statement per row inside
 * the caller's transaction (fastest there); PostgreSQL gets multi-row INSERTs sized under its
 * 65 535-parameter limit. Rows must all have the same keys. Inside a transaction pass it as
 * `executor` (SQLite's statements run on the same single connection, so they join it as well).
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
  const perStatement = Math.max(1, Math.floor(60_000 / columns.length));
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(
      chunk.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`),
    )}`.execute(executor);
  }
}
