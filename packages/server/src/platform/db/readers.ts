import type { DatabaseConnection, Driver, Kysely } from 'kysely';
import { admitTurn } from '../turns.js';
import type { Database } from './schema.js';
import { raw, sqliteKysely, WorkerConnection, workerSource } from './sqlite-worker.js';

/**
 * A reader: a worker thread with its own read-only better-sqlite3 connection to the database file.
 * No memory map (decisions/0070): pages a reader reads through a map count in the process's RSS, once
 * per map (each reader's and the main connection's), ~100 MB over issue 21's reconciliation benchmark;
 * read into its page cache (32 MiB) they are bounded, and the reconciliation was no slower.
 */
const WORKER = workerSource([
  'const db = new Database(workerData.file, { readonly: true, fileMustExist: true });',
  "db.pragma('busy_timeout = 5000');",
  "db.pragma('cache_size = -32768');",
  "db.pragma('mmap_size = 0');",
]);

/**
 * A Kysely driver over a pool of up to `size` reader connections; a query waits for a free one.
 * A reader starts when a query finds none free and the pool is not full, so an idle server holds
 * no reader threads (each is a V8 isolate with its own SQLite cache; decisions/0063) and one
 * reader serves one request at a time; a started reader stays (and is replaced if it dies).
 */
class ReaderPoolDriver implements Driver {
  private readonly all: WorkerConnection[] = [];
  private readonly free: WorkerConnection[] = [];
  private readonly waiting: ((c: WorkerConnection) => void)[] = [];

  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const c = this.free.pop();
    if (c) return c;
    if (this.all.length < this.size) {
      const started = new WorkerConnection({
        source: WORKER,
        file: this.file,
        role: 'reader',
        keep: true,
        admit: admitTurn,
      });
      this.all.push(started);
      return started;
    }
    return new Promise<WorkerConnection>((resolve) => this.waiting.push(resolve));
  }

  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('BEGIN'));
  }

  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('COMMIT'));
  }

  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(raw('ROLLBACK'));
  }

  async releaseConnection(c: DatabaseConnection) {
    const next = this.waiting.shift();
    if (next) next(c as WorkerConnection);
    else this.free.push(c as WorkerConnection);
  }

  async destroy() {
    await Promise.all(this.all.map((c) => c.close()));
  }

  /** Readers started so far. */
  get started(): number {
    return this.all.length;
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
export function openReaders(
  file: string,
  size: number,
): { db: Kysely<Database>; close(): Promise<void>; started(): number } {
  const driver = new ReaderPoolDriver(file, size);
  const db = sqliteKysely(driver);
  // the workers are stopped even when no query ever ran (Kysely destroys only a driver it initialised)
  return { db, close: () => driver.destroy(), started: () => driver.started };
}
