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

// What the database readers (readers.ts) and the writer (writer.ts) share: a worker thread with a
// better-sqlite3 connection of its own, answering statements sent as messages.

/**
 * The source of a worker: plain CommonJS evaluated from a string, given the resolved path of
 * better-sqlite3 (`betterSqlite3Path`), so the bundle and the sources start it the same way (as the
 * checkpointer). `open` holds the lines that open `db` (connection options and pragmas); statements
 * are prepared once and cached by their text (SQLite re-prepares one by itself after a schema
 * change). A message with `batch` (statements that return no rows) runs them in order and answers
 * once, with the sum of their changes; the first that fails answers for the batch (the rest do not run). `onError`, a line run first when a statement fails (`m` the message, `err` the error),
 * may answer the message itself with `return parentPort.postMessage(…)`. A message with `open`
 * (a statement that returns rows) starts a cursor over its rows and answers with the first `chunk`
 * of them, `more` with the next chunk, each answer saying whether the rows are `done`; `close` (or
 * any other statement) closes the cursor (`WorkerConnection.streamQuery`).
 */
export function workerSource(open: string[], onError?: string): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
${open.join('\n')}
const statements = new Map();
const prepared = (text) => {
  let stmt = statements.get(text);
  if (!stmt) {
    stmt = db.prepare(text);
    if (statements.size >= 200) statements.clear();
    statements.set(text, stmt);
  }
  return stmt;
};
// one open cursor at most (a stream holds its connection: nothing else runs on it meanwhile)
let cursor = null;
const closeCursor = () => {
  const c = cursor;
  cursor = null;
  try {
    if (c) c.return();
  } catch {}
};
parentPort.on('message', (m) => {
  try {
    if (m.open || m.more) {
      if (m.open) {
        closeCursor();
        cursor = db.prepare(m.open.sql).iterate(m.open.params);
      }
      const rows = [];
      while (cursor && rows.length < m.chunk) {
        const r = cursor.next();
        if (r.done) cursor = null;
        else rows.push(r.value);
      }
      return parentPort.postMessage({ id: m.id, rows, done: cursor === null });
    }
    closeCursor();
    if (m.close) return parentPort.postMessage({ id: m.id, rows: [] });
    if (m.batch) {
      let changes = 0;
      for (const q of m.batch) changes += prepared(q.sql).run(q.params).changes;
      return parentPort.postMessage({ id: m.id, rows: [], changes });
    }
    const stmt = prepared(m.sql);
    if (stmt.reader) parentPort.postMessage({ id: m.id, rows: stmt.all(m.params) });
    else {
      const r = stmt.run(m.params);
      parentPort.postMessage({ id: m.id, rows: [], changes: r.changes });
    }
  } catch (err) {${onError ? `\n    ${onError}` : ''}
    parentPort.postMessage({ id: m.id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;
}

export const betterSqlite3Path = (): string => createRequire(import.meta.url).resolve('better-sqlite3');

interface Pending {
  resolve: (r: QueryResult<unknown> & { done?: boolean }) => void;
  reject: (e: Error) => void;
}

interface Answer {
  id: number;
  rows: unknown[];
  changes?: number;
  /** A chunk of a stream: the last one. */
  done?: boolean;
  error?: { message: string; code?: string };
}

export interface WorkerConnectionOptions {
  /** The worker's source (`workerSource`). */
  source: string;
  file: string;
  /** 'reader' or 'writer': named in the errors. */
  role: string;
  /**
   * Started at once and replaced when it dies (a reader: the pool keeps its size); otherwise started
   * at the first statement and again at the first one after it died (the writer).
   */
  keep: boolean;
  /** Called as each answer arrives; a promise it returns holds the answer back until then (platform/turns.ts). */
  admit?: () => Promise<void> | undefined;
}

/** A Kysely connection whose statements run in a worker thread (`workerSource`). */
export class WorkerConnection implements DatabaseConnection {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private closed = false;
  private readonly module = betterSqlite3Path();

  constructor(private readonly options: WorkerConnectionOptions) {
    if (options.keep) this.worker = this.spawn();
  }

  private spawn(): Worker {
    const { source, file, role, keep } = this.options;
    const worker = new Worker(source, { eval: true, workerData: { file, module: this.module } });
    worker.unref();
    worker.on('message', (m: Answer) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) worker.unref();
      const settle = () => {
        if (m.error) p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
        else
          p.resolve({
            rows: m.rows,
            ...(m.changes !== undefined ? { numAffectedRows: BigInt(m.changes) } : {}),
            ...(m.done !== undefined ? { done: m.done } : {}),
          });
      };
      // the request's work that goes on with this answer waits for its slice of a turn (readers)
      const wait = this.options.admit?.();
      if (wait) void wait.then(settle);
      else settle();
    });
    // a worker that dies fails what it was running (a transaction of its own is rolled back by
    // SQLite); a kept one is replaced, otherwise the next statement starts a new one
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      if (!keep) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (keep && !this.closed) this.worker = this.spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`database ${role} exited (${code})`)));
    return worker;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.post<R>({ sql: compiled.sql, params: compiled.parameters });
  }

  /**
   * Writes that return no rows, sent in one message and run one after the other without waiting
   * for the main thread in between (`workerSource`): the worker goes on writing while the event
   * loop is busy. Resolves with the sum of their changes.
   */
  executeBatch(statements: readonly CompiledQuery[]): Promise<QueryResult<never>> {
    return this.post<never>({ batch: statements.map((q) => ({ sql: q.sql, params: q.parameters })) });
  }

  private post<R>(message: object): Promise<QueryResult<R> & { done?: boolean }> {
    if (!this.worker) this.worker = this.spawn();
    const worker = this.worker;
    const id = this.next++;
    return new Promise<QueryResult<R> & { done?: boolean }>((resolve, reject) => {
      // the worker keeps the process alive only while it has a statement to answer
      if (!this.pending.size) worker.ref();
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      worker.postMessage({ id, ...message });
    });
  }

  /**
   * The rows of a statement `chunkSize` at a time (Kysely's `.stream(n)`): the worker keeps a cursor
   * and sends the next chunk when asked, so the main thread never receives (and deserialises) more
   * than a chunk in one turn of the loop, and a consumer that stops early leaves the rest unread.
   */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    let done = false;
    try {
      let r = await this.post<R>({ open: { sql: compiled.sql, params: compiled.parameters }, chunk: chunkSize });
      for (;;) {
        done = r.done === true;
        if (r.rows.length) yield { rows: r.rows };
        if (done) return;
        r = await this.post<R>({ more: true, chunk: chunkSize });
      }
    } finally {
      if (!done) await this.post({ close: true }).catch(() => {});
    }
  }

  async close() {
    this.closed = true;
    const w = this.worker;
    // a kept worker fails its pending statements as it exits; the other is forgotten first
    if (!this.options.keep) this.worker = null;
    await w?.terminate();
  }
}

/** A statement without parameters (transaction control). */
export const raw = (text: string) => ({ sql: text, parameters: [] }) as unknown as CompiledQuery;

/** A Kysely instance of the SQLite dialect over `driver`. */
export function sqliteKysely(driver: Driver): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}
