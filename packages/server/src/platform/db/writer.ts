import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { CompiledQuery, DatabaseConnection, Driver, Kysely, QueryResult } from 'kysely';
import type { DbHandle, Tx } from './index.js';
import type { Database } from './schema.js';
import { raw, sqliteKysely, WorkerConnection, workerSource } from './sqlite-worker.js';

// Long writes on SQLite off the event loop (docs/decisions/0058-sqlite-writer-worker.md).
//
// better-sqlite3 runs a statement on the thread that calls it: an import commit of 10^5 persons
// held the event loop for its whole duration in slices. Here such a write runs on a worker thread
// with a write connection of its own, in one transaction (BEGIN IMMEDIATE: it holds SQLite's write
// lock from the start, so nothing can chain into the audit log between its read of the chain's end
// and its append). While it runs, the server's connection goes on reading (WAL) and its writes wait
// — asynchronously, at the `WriteGate` — instead of spinning in SQLite's busy handler on the event
// loop (up to busy_timeout, then SQLITE_BUSY).

/**
 * Where the server's connection writes wait while a long write holds SQLite's write lock in the
 * writer worker. Closed from just before the worker's BEGIN until after its COMMIT or ROLLBACK.
 */
export class WriteGate {
  private held = 0;
  private waiters: (() => void)[] = [];

  get open(): boolean {
    return this.held === 0;
  }

  close(): void {
    this.held++;
  }

  release(): void {
    if (this.held > 0) this.held--;
    if (this.held === 0) for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves when the gate is open (at once when it is). */
  wait(): Promise<void> {
    return this.open ? Promise.resolve() : new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

// ---------------------------------------------------------------------------------------------
// The server's own connection: Kysely's SqliteDriver, with the gate.

class MainConnection implements DatabaseConnection {
  /** True while this connection object owns the open transaction. */
  owner = false;
  constructor(private readonly driver: GatedSqliteDriver) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.driver.prepare(compiled.sql);
    if (this.owner) return run<R>(stmt, compiled.parameters);
    // a statement outside the transaction waits for it to end (it would join it), and a write for
    // the gate; it runs in the same turn as the check that found both clear
    return this.driver.when(!stmt.readonly, () => run<R>(stmt, compiled.parameters));
  }

  /**
   * `.stream(n)` where the server's connection is the reader (an in-memory database, no readers):
   * the statement runs at once, as any other on this connection, and its rows are handed out n at a
   * time — an open cursor here would hold the connection for the stream's consumer.
   */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

function run<R>(stmt: Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (stmt.reader) return { rows: stmt.all(parameters as unknown[]) as R[] };
  const { changes, lastInsertRowid } = stmt.run(parameters as unknown[]);
  return {
    rows: [],
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
  };
}

/**
 * Kysely's SQLite driver for the server's one connection, with two changes: transactions begin
 * IMMEDIATE (they take the write lock at once; a deferred BEGIN that reads and then writes failed
 * with SQLITE_BUSY when another connection wrote in between), and writes wait at the `WriteGate`
 * while the writer worker holds the write lock. Statements outside a transaction wait for it to
 * end, as Kysely's connection mutex made them (each runs synchronously, so they need no lock of
 * their own).
 */
class GatedSqliteDriver implements Driver {
  private tx: { done: Promise<void>; end: () => void } | null = null;

  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly gate: WriteGate,
  ) {}

  async init() {}

  prepare(text: string): Statement {
    return this.sqlite.prepare(text);
  }

  /**
   * Runs `fn` as soon as no transaction is open and, for a write, the gate is open — in the same
   * turn as the check (an `await` in between would let another transaction begin).
   */
  async when<T>(write: boolean, fn: () => T): Promise<T> {
    for (;;) {
      if (this.tx) await this.tx.done;
      else if (write && !this.gate.open) await this.gate.wait();
      else return fn();
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new MainConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection) {
    await this.when(true, () => {
      let end!: () => void;
      const done = new Promise<void>((resolve) => {
        end = resolve;
      });
      this.tx = { done, end };
      (connection as MainConnection).owner = true;
      try {
        this.sqlite.prepare('begin immediate').run();
      } catch (err) {
        this.finish(connection);
        throw err;
      }
    });
  }

  private finish(connection: DatabaseConnection) {
    (connection as MainConnection).owner = false;
    const tx = this.tx;
    this.tx = null;
    tx?.end();
  }

  async commitTransaction(connection: DatabaseConnection) {
    try {
      this.sqlite.prepare('commit').run();
    } finally {
      this.finish(connection);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    try {
      if (this.sqlite.inTransaction) this.sqlite.prepare('rollback').run();
    } finally {
      this.finish(connection);
    }
  }

  async releaseConnection() {}

  async destroy() {
    this.sqlite.close();
  }
}

/** A Kysely instance over the server's better-sqlite3 connection, its writes gated by `gate`. */
export function mainSqlite(sqlite: SqliteDatabase, gate: WriteGate): Kysely<Database> {
  return sqliteKysely(new GatedSqliteDriver(sqlite, gate));
}

// ---------------------------------------------------------------------------------------------
// The writer worker.

/**
 * The worker: a write connection of its own (the server's pragmas but no memory map — it writes
 * through its page cache, of 32 MiB as the readers' (decisions/0095); automatic checkpoints off, the checkpoint worker copies the WAL back), statements prepared once and cached
 * by their text (a bulk load reuses the same few multi-row INSERTs). A ROLLBACK after SQLite already
 * rolled the transaction back (on some errors) answers as done.
 */
const WORKER = workerSource(
  [
    'const db = new Database(workerData.file, { fileMustExist: true });',
    "db.pragma('journal_mode = WAL');",
    "db.pragma('synchronous = NORMAL');",
    "db.pragma('foreign_keys = ON');",
    "db.pragma('busy_timeout = 60000');",
    "db.pragma('cache_size = -32768');",
    "db.pragma('wal_autocheckpoint = 0');",
  ],
  "if (m.sql === 'ROLLBACK' && !db.inTransaction) return parentPort.postMessage({ id: m.id, rows: [] });",
);

/** One writer connection; a second transaction waits for the first to end. */
class WriterDriver implements Driver {
  readonly connection: WorkerConnection;
  private lock: Promise<void> = Promise.resolve();
  private unlock: (() => void) | null = null;

  constructor(file: string) {
    this.connection = new WorkerConnection({ source: WORKER, file, role: 'writer', keep: false });
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    for (;;) {
      const current = this.lock;
      await current;
      if (current === this.lock) break;
    }
    this.lock = new Promise<void>((resolve) => {
      this.unlock = resolve;
    });
    return this.connection;
  }

  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('BEGIN IMMEDIATE'));
  }

  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('COMMIT'));
  }

  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('ROLLBACK'));
  }

  async releaseConnection() {
    const u = this.unlock;
    this.unlock = null;
    u?.();
  }

  async destroy() {
    await this.connection.close();
  }
}

export interface Writer {
  db: Kysely<Database>;
  /** The worker's connection (the writer's transactions' only one). */
  connection: WorkerConnection;
  close(): Promise<void>;
}

/** The writer for a database file: its worker starts at the first statement, not before. */
export function openWriter(file: string): Writer {
  const driver = new WriterDriver(file);
  const db = sqliteKysely(driver);
  return { db, connection: driver.connection, close: () => driver.destroy() };
}

/**
 * Transactions of the writer worker, with the worker's connection (bulkInsert sends their rows as
 * statements instead of using the server's connection, several in one message: `writerBatch`).
 */
const writerTransactions = new WeakMap<object, WorkerConnection>();

export function inWriter(executor: object): boolean {
  return writerTransactions.has(executor);
}

export function markWriterTransaction(trx: object, connection: WorkerConnection): void {
  writerTransactions.set(trx, connection);
}

/**
 * Runs row-less statements in a transaction of the writer worker (`inWriter(trx)`) as one message:
 * the worker runs them back to back instead of one per round trip through a busy event loop
 * (decisions/0069). Call it between the transaction's other statements, never beside one
 * (the caller awaits each).
 */
export function writerBatch(trx: object, statements: readonly CompiledQuery[]): Promise<QueryResult<never>> {
  const connection = writerTransactions.get(trx);
  if (!connection) return Promise.reject(new Error('writerBatch: not a transaction of the writer worker'));
  return connection.executeBatch(statements);
}

/**
 * Runs `fn` in one transaction of the writer worker when the database is a SQLite file (the gate
 * closed meanwhile), else in a transaction of the server's connection or pool. Inside, write only
 * through `trx` (a write on `handle.db` would wait for the gate this holds); reads on `handle.db` or
 * `handle.reader` do not see the transaction's rows until it commits.
 */
export async function longWrite<T>(handle: DbHandle, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const { writer, gate } = handle;
  if (!writer || !gate) return handle.db.transaction().execute(fn);
  gate.close();
  try {
    return await writer.db.transaction().execute(async (trx) => {
      markWriterTransaction(trx, writer.connection);
      return fn(trx);
    });
  } finally {
    gate.release();
  }
}
