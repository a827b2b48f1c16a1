import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import type { DbHandle, Queryable } from './index.js';
import { inWriter, longWrite, writerBatch } from './writer.js';

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

/** Bound parameters per SQLite statement: below SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32). */
const SQLITE_MAX_PARAMS = 32_000;
/** Rows per SQLite statement: past a few hundred, longer statements gain nothing (measured). */
const SQLITE_MAX_ROWS = 500;

/** Prepared multi-row statements per connection, by their text (a bulk load reuses the same few). */
const sqliteStatements = new WeakMap<object, Map<string, { run(params: unknown[]): unknown }>>();

/** Multi-row INSERT texts by table, columns and row count: a bulk load reuses a few (each ~50 kB at 500 rows). */
const insertTexts = new Map<string, string>();

function insertText(table: string, columns: readonly string[], rows: number) {
  const key = `${table}\u0000${columns.join('\u0000')}\u0000${rows}`;
  let text = insertTexts.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    text = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${Array(rows).fill(tuple).join(', ')}`;
    if (insertTexts.size >= 64) insertTexts.clear();
    insertTexts.set(key, text);
  }
  return text;
}

function sqliteInsert(handle: DbHandle, table: string, columns: readonly string[], rows: number) {
  const sqlite = handle.sqlite!;
  const cache = sqliteStatements.get(sqlite) ?? new Map();
  sqliteStatements.set(sqlite, cache);
  const text = insertText(table, columns, rows);
  let stmt = cache.get(text);
  if (!stmt) {
    stmt = sqlite.prepare(text);
    if (cache.size > 64) cache.clear();
    cache.set(text, stmt);
  }
  return stmt;
}

/**
 * Bulk insert behind one interface (DESIGN §2). SQLite gets multi-row `INSERT … VALUES (…), (…)`
 * statements of up to 500 rows (one statement per 500 rows instead of one per row: the per-statement
 * cost — binding, the VDBE setup, the trace hooks — is paid once per batch), all inside one
 * transaction (the caller's when there is one: SQLite has a single connection, so the statements
 * join it). PostgreSQL gets one array per column expanded with `unnest` — a statement has as many
 * parameters as the table has columns, so the server parses a few arrays rather than tens of
 * thousands of bind parameters (at 10^5 rows about twice as fast as multi-row VALUES;
 * docs/decisions/0009-target-list-build.md). Rows must all have the same keys (the first row's,
 * a missing value is NULL). Inside a transaction pass it as `executor`; in a transaction of the
 * writer worker (`longWrite`) the same multi-row statements are sent there (the worker prepares
 * each text once). The rows are made flat (`FlatRows`) and written by `bulkInsertFlat`.
 */
export async function bulkInsert(
  handle: DbHandle,
  table: string,
  rows: Record<string, unknown>[],
  executor: Queryable = handle.db,
): Promise<void> {
  if (!rows.length) return;
  await bulkInsertFlat(handle, table, toFlatRows(rows), executor);
}

/** Row objects as `FlatRows`: the first row's keys in order, a missing value NULL (no columns when there is no row). */
export function toFlatRows(rows: readonly object[]): FlatRows {
  if (!rows.length) return { columns: [], values: [] };
  const columns = Object.keys(rows[0]!);
  const values: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const r of rows) for (const c of columns) values[k++] = (r as Record<string, unknown>)[c] ?? null;
  return { columns, values };
}

/**
 * Rows as one flat array of values, `columns.length` a row in column order (`null` for NULL, never
 * `undefined`): what a bulk loader that builds no object per row passes (the synthetic seeder).
 */
export interface FlatRows {
  columns: readonly string[];
  values: unknown[];
}

/**
 * The statements' slices of `count` rows of `width` columns: up to `per` rows each — SQLite's
 * (up to 500 rows, below its parameter limit) unless given.
 */
function* slices(
  width: number,
  count: number,
  per = Math.max(1, Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_PARAMS / width))),
) {
  for (let i = 0; i < count; i += per) yield { first: i, n: Math.min(per, count - i) };
}

/** The SQLite multi-row INSERTs of flat rows (up to 500 rows a statement). */
export function flatStatements(table: string, rows: FlatRows): CompiledQuery[] {
  const { columns, values } = rows;
  const width = columns.length;
  const statements: CompiledQuery[] = [];
  if (!width) return statements;
  for (const { first, n } of slices(width, values.length / width))
    statements.push(CompiledQuery.raw(insertText(table, columns, n), values.slice(first * width, (first + n) * width)));
  return statements;
}

/**
 * `bulkInsert` for rows already flat (`FlatRows`): multi-row INSERTs of up to 500 rows on SQLite
 * (sent to the writer worker inside its transaction, else run in one transaction of the
 * connection); `unnest` of one array per column on PostgreSQL. No object per row, no second copy
 * of every value.
 */
export async function bulkInsertFlat(
  handle: DbHandle,
  table: string,
  rows: FlatRows,
  executor: Queryable = handle.db,
): Promise<void> {
  const { columns, values } = rows;
  const width = columns.length;
  const count = values.length / width;
  if (!count) return;
  if (!Number.isInteger(count)) throw new Error(`bulkInsert: ${values.length} values for ${width} columns`);
  if (handle.dialect === 'sqlite') {
    if (inWriter(executor)) {
      await writerBatch(executor, flatStatements(table, rows));
      return;
    }
    handle.sqlite!.transaction(() => {
      for (const { first, n } of slices(width, count))
        sqliteInsert(handle, table, columns, n).run(values.slice(first * width, (first + n) * width));
    })();
    return;
  }
  const types = await columnTypes(handle, executor, table);
  for (const { first, n } of slices(width, count, PG_ROWS_PER_STATEMENT))
    await unnestInsert(table, types, columns, values, first, n).execute(executor);
}

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest(…)` of rows `first` to `first + n` of flat
 * `values`: one parameter per column, the column's values already written out as an array literal
 * (`arrayLiteral`), so the driver has nothing left to convert when the statement is sent.
 */
function unnestInsert(
  table: string,
  types: Map<string, string>,
  columns: readonly string[],
  values: readonly unknown[],
  first: number,
  n: number,
) {
  const arrays = columns.map((c, j) => {
    const type = types.get(c);
    if (!type) throw new Error(`bulkInsert: ${table} has no column ${c}`);
    return sql`${arrayLiteral(values, columns.length, j, first, n)}::${sql.raw(type)}[]`;
  });
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)})`;
}

/**
 * Column `column` of rows `first` to `first + n` of flat `values` (`width` a row) as a PostgreSQL
 * array literal: each value double-quoted with `"` and `\` escaped, NULL bare. Strings, numbers and
 * booleans only (what the bulk loaders write).
 */
function arrayLiteral(values: readonly unknown[], width: number, column: number, first: number, n: number) {
  const out = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    const v = values[(first + r) * width + column];
    if (v == null) out[r] = 'NULL';
    else if (typeof v === 'string') out[r] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out[r] = `"${v}"`;
    else throw new Error(`bulkInsert: a value of type ${typeof v} in column ${column}`);
  }
  return `{${out.join(',')}}`;
}

/** One table's part of `pgInserts`; `suffix` follows its SELECT (an `ON CONFLICT` clause). */
export interface PgInsert {
  table: string;
  rows: FlatRows;
  suffix?: RawBuilder<unknown>;
}

/**
 * Several tables' rows as ONE PostgreSQL statement: each insert but the last a data-modifying `WITH`
 * part, the last the statement's body (one round trip; foreign keys between them are checked at
 * the statement's end, after all of them). Undefined when a table has more rows than one
 * statement takes (`bulkInsertFlat` then writes them table by table) or there is nothing to write.
 */
export async function pgInserts(
  handle: DbHandle,
  executor: Queryable,
  inserts: readonly PgInsert[],
): Promise<RawBuilder<unknown> | undefined> {
  const parts: RawBuilder<unknown>[] = [];
  for (const { table, rows, suffix } of inserts) {
    const width = rows.columns.length;
    const count = width ? rows.values.length / width : 0;
    if (count > PG_ROWS_PER_STATEMENT) return undefined;
    if (!count) continue;
    const insert = unnestInsert(table, await columnTypes(handle, executor, table), rows.columns, rows.values, 0, count);
    parts.push(suffix ? sql`${insert} ${suffix}` : insert);
  }
  const body = parts.pop();
  if (!body) return undefined;
  if (!parts.length) return body;
  return sql`WITH ${sql.join(
    parts.map((p, i) => sql`${sql.raw(`w${i}`)} AS (${p})`),
    sql`, `,
  )} ${body}`;
}

/**
 * Runs a large load with the secondary indexes of `tables` dropped, then builds them again from
 * their saved definitions (one sort each instead of a random B-tree insert per row and index: the
 * seeder's 10^6 persons load several times faster). Indexes behind primary keys and UNIQUE
 * constraints stay (they check the rows). The indexes are rebuilt even when `load` fails. Only for
 * loaders that own the database while they run (the synthetic seeders): queries meanwhile would
 * run without their indexes.
 */
export async function withIndexesDeferred<T>(handle: DbHandle, tables: readonly string[], load: () => Promise<T>) {
  const db = handle.db;
  const list = sql.join(tables.map((t) => sql.lit(t)));
  const { rows: indexes } =
    handle.dialect === 'sqlite'
      ? await sql<{ name: string; def: string }>`
          SELECT name, sql AS def FROM sqlite_master
          WHERE type = 'index' AND tbl_name IN (${list}) AND sql IS NOT NULL`.execute(db)
      : await sql<{ name: string; def: string }>`
          SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename IN (${list})
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`.execute(
          db,
        );
  // dropped and built again in the writer worker on SQLite (a build at 10^6 rows takes seconds)
  await longWrite(handle, async (trx) => {
    for (const i of indexes) await sql`DROP INDEX ${sql.ref(i.name)}`.execute(trx);
  });
  try {
    return await load();
  } finally {
    await longWrite(handle, async (trx) => {
      for (const i of indexes) await sql.raw(i.def).execute(trx);
    });
  }
}
