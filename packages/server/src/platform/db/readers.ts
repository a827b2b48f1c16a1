import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from './schema.js';

/**
 * A reader: a worker thread with its own read-only better-sqlite3 connection to the database file.
 * It prepares each statement once (cached by its text; SQLite re-prepares it by itself after a
 * schema change) and answers rows. Plain CommonJS evaluated from a string, given the resolved path
 * of better-sqlite3, so the bundle and the sources start it the same way (as the checkpointer).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -32768');
db.pragma('mmap_size = 268435456');
const statements = new Map();
parentPort.on('message', (m) => {
  try {
    let stmt = statements.get(m.sql);
    if (!stmt) {
      stmt = db.prepare(m.sql);
      if (statements.size >= 200) statements.clear();
      statements.set(m.sql, stmt);
    }
    if (stmt.reader) parentPort.postMessage({ id: m.id, rows: stmt.all(m.params) });
    else {
      const r = stmt.run(m.params);
      parentPort.postMessage({ id: m.id, rows: [], changes: r.changes });
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

interface Pending {
  resolve: (r: QueryResult<unknown>) => void;
  reject: (e: Error) => void;
}

class ReaderConnection implements DatabaseConnection {
  private worker!: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(
    private readonly file: string,
    private readonly module: string,
  ) {
    this.spawn();
  }

  private spawn() {
    const worker = new Worker(WORKER, { eval: true, workerData: { file: this.file, module: this.module } });
    worker.unref();
    worker.on(
      'message',
      (m: { id: number; rows: unknown[]; changes?: number; error?: { message: string; code?: string } }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (!this.pending.size) worker.unref();
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
        else p.resolve({ rows: m.rows, ...(m.changes !== undefined ? { numAffectedRows: BigInt(m.changes) } : {}) });
      },
    );
    // a reader that dies fails what it was running and is replaced; the pool keeps its size
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (!this.closed) this.spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`database reader exited (${code})`)));
    this.worker = worker;
  }

  closed = false;

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const id = this.next++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      // a reader keeps the process alive only while it has a statement to answer
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.worker.postMessage({ id, sql: compiled.sql, params: compiled.parameters });
    });
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by the readers (pages are read by keyset)
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported by the database readers');
  }

  async close() {
    this.closed = true;
    await this.worker.terminate();
  }
}

/** A Kysely driver over a fixed pool of reader connections; a query waits for a free one. */
class ReaderPoolDriver implements Driver {
  private readonly all: ReaderConnection[];
  private readonly free: ReaderConnection[];
  private readonly waiting: ((c: ReaderConnection) => void)[] = [];

  constructor(file: string, size: number) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.all = Array.from({ length: size }, () => new ReaderConnection(file, module));
    this.free = [...this.all];
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const c = this.free.pop();
    if (c) return c;
    return new Promise<ReaderConnection>((resolve) => this.waiting.push(resolve));
  }

  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery({ sql: 'BEGIN', parameters: [] } as unknown as CompiledQuery);
  }

  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery({ sql: 'COMMIT', parameters: [] } as unknown as CompiledQuery);
  }

  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery({ sql: 'ROLLBACK', parameters: [] } as unknown as CompiledQuery);
  }

  async releaseConnection(c: DatabaseConnection) {
    const next = this.waiting.shift();
    if (next) next(c as ReaderConnection);
    else this.free.push(c as ReaderConnection);
  }

  async destroy() {
    await Promise.all(this.all.map((c) => c.close()));
  }
}

/** How many readers a database file gets: two by default; SQLITE_READERS overrides it (0: none, reads on the server's connection). */
export function readerCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SQLITE_READERS ?? 2);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 8) : 2;
}

/**
 * A Kysely instance whose statements run in a pool of worker threads, each with a read-only
 * connection of its own (docs/decisions/0031-sqlite-readers-in-workers.md). WAL lets them read
 * while the server's connection writes; each statement sees the last commit before it started. For
 * the long reads of requests (lists, searches, exports): the event loop only sends the statement
 * and receives the rows.
 */
export function openReaders(file: string, size: number): { db: Kysely<Database>; close(): Promise<void> } {
  const driver = new ReaderPoolDriver(file, size);
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  // the workers are stopped even when no query ever ran (Kysely destroys only a driver it initialised)
  return { db, close: () => driver.destroy() };
}
