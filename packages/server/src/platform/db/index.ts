import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, type PostgresCursorConstructor, SqliteAdapter, type Transaction } from 'kysely';
import type pg from 'pg';
import { SlicedPostgresDialect } from '../turns.js';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { migrationProvider } from './migrations/index.js';
import { openReaders, readerCount } from './readers.js';
import type { Database } from './schema.js';
import { mainSqlite, openWriter, WriteGate, type Writer } from './writer.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type Queryable = Db | Tx;

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  url: string;
  /** The raw better-sqlite3 handle (SQLite only): online backup, integrity check. */
  sqlite?: SqliteDatabase.Database;
  /** SQLite on a file: the worker that checkpoints the WAL off the event loop. */
  checkpointer?: Checkpointer;
  /**
   * Starts what runs beside the server and need not delay its start: on a SQLite file the
   * checkpoint worker and the planner statistics refresh (`PRAGMA optimize`, which grows with the
   * data). Opened with `deferBackground`, `serve` calls it once it answers requests
   * (decisions/0063); otherwise it ran at open and this does nothing. Idempotent.
   */
  startBackground(): void;
  pool?: pg.Pool;
  /**
   * Where long reads of requests go (lists, searches, exports). SQLite on a file: a pool of worker
   * threads with read-only connections (platform/db/readers.ts), so such a read never holds the event
   * loop; otherwise (PostgreSQL, in-memory SQLite) the same as `db`.
   */
  reader: Db;
  /**
   * SQLite on a file: the writer worker that long writes run in (`longWrite` in writer.ts), and the
   * gate the server connection's writes wait at while it holds the write lock (decisions/0058).
   */
  writer?: Writer;
  gate?: WriteGate;
  close(): Promise<void>;
}

let pgModule: typeof pg | undefined;

/**
 * pg, loaded when a PostgreSQL database is opened: a server on SQLite never loads it, nor the
 * fetch implementation (undici) its loading touches — together ~10% of the start-up's CPU
 * (decisions/0059). Synchronous (CommonJS), so opening a database stays synchronous.
 */
function loadPg(): typeof pg {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof pg;
    // pg returns int8 (COUNT, bigint) as strings; every count and seq here fits in a double.
    pgModule.types.setTypeParser(20, (v) => Number(v));
    pgModule.types.setTypeParser(1700, (v) => Number(v));
  }
  return pgModule;
}

/** The dialect a query builder speaks (a repo that has only its `Queryable` and needs a dialect's SQL). */
export function dialectOfQueryable(db: Queryable): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
}

export function sqliteFile(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

export function openDatabase(
  url: string,
  opts: {
    onPoolError?: (err: Error) => void;
    checkpointIntervalMs?: number;
    readers?: number;
    /** Long writes in a writer worker (SQLite file; default on, SQLITE_WRITER=0 turns it off). */
    writer?: boolean;
    /** The WAL's size beyond which the checkpoint worker truncates it (default 64 MiB; tests). */
    walLimitBytes?: number;
    /** Leave the checkpoint worker and the statistics refresh to `startBackground()` (`serve`). */
    deferBackground?: boolean;
  } = {},
): DbHandle {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const file = sqliteFile(url);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 268435456');
    sqlite.pragma('analysis_limit = 1000');
    // transactions BEGIN IMMEDIATE (they take the write lock at once: a deferred BEGIN that read and
    // then wrote failed with SQLITE_BUSY when another connection wrote in between), and writes wait
    // at the gate while the writer worker, the statistics refresh or the WAL's truncation holds the
    // lock (writer.ts)
    const gate = new WriteGate();
    const checkpointer =
      file !== ':memory:'
        ? startCheckpointer(sqlite, path.resolve(file), opts.checkpointIntervalMs, {
            deferred: opts.deferBackground,
            gate,
            walLimitBytes: opts.walLimitBytes,
          })
        : undefined;
    // Planner statistics: without them SQLite picks indexes blind (measured: seconds instead of
    // milliseconds at 10^6 rows). Refreshed in the checkpoint worker, so the start-up path does not
    // grow with the data (it took 5.5 s at 10^6 on the event loop; decisions/0032) — and with
    // `deferBackground`, only once the server is ready (decisions/0063).
    let background = false;
    const startBackground = () => {
      if (background) return;
      background = true;
      checkpointer?.start();
      if (checkpointer) void gatedOptimize(checkpointer, gate);
    };
    if (!opts.deferBackground) startBackground();
    const db = mainSqlite(sqlite, gate);
    const writer =
      file !== ':memory:' && (opts.writer ?? process.env.SQLITE_WRITER !== '0')
        ? openWriter(path.resolve(file))
        : undefined;
    const readers = file !== ':memory:' ? (opts.readers ?? readerCount()) : 0;
    const readerPool = readers > 0 ? openReaders(path.resolve(file), readers) : undefined;
    const reader = readerPool?.db ?? db;
    return {
      db,
      dialect,
      url,
      sqlite,
      checkpointer,
      startBackground,
      reader,
      writer,
      gate,
      close: async () => {
        await writer?.close();
        await readerPool?.close();
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  // No parallel query on the platform's connections (decisions/0087): a worker is a new server
  // process, whose start took ~100 ms of a 134 ms name search at 10^6 — on a small server the
  // cores it would use are the other requests'.
  const pool = new (loadPg().Pool)({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 3000,
    options: '-c max_parallel_workers_per_gather=0',
  });
  // A lost server connection must never crash the process: idle clients report through the pool,
  // and a client in use reports through its own 'error' event (its query then fails → 503).
  pool.on('error', (err) => opts.onPoolError?.(err));
  pool.on('connect', (client) => client.on('error', (err) => opts.onPoolError?.(err)));
  // pg-cursor: `.stream(n)` reads a large result n rows at a time, so no turn of the loop parses
  // more than a chunk (decisions/0075)
  const cursor = createRequire(import.meta.url)('pg-cursor') as PostgresCursorConstructor;
  // the answers wait for their slice of a turn of the event loop, with their connection back in the
  // pool (platform/turns.ts, decisions/0084)
  const db = new Kysely<Database>({ dialect: new SlicedPostgresDialect({ pool, cursor }) });
  return {
    db,
    dialect,
    url,
    pool,
    reader: db,
    startBackground: () => {},
    close: async () => {
      await db.destroy();
    },
  };
}

/** Where a worker thread of its own reads this database: the SQLite file or the PostgreSQL URL (null in memory). */
export function exportSource(
  handle: Pick<DbHandle, 'dialect' | 'url'>,
): { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string } | null {
  if (handle.dialect === 'postgres') return { dialect: 'postgres', url: handle.url };
  const file = sqliteFile(handle.url);
  return file === ':memory:' ? null : { dialect: 'sqlite', file: path.resolve(file) };
}

export async function migrateToLatest(handle: DbHandle): Promise<string[]> {
  // numbers are handed out per piece of work and land in any order: a database that already ran a
  // higher one still runs a lower one that arrives later (each migration is independent of the rest)
  const migrator = new Migrator({
    db: handle.db,
    provider: migrationProvider(handle.dialect),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  // statistics for the indexes a migration just made: the start-up `optimize` ran before it, and
  // without them SQLite took a wide covering index for the export's range scan (50% slower)
  if (applied.length) refreshStatistics(handle);
  return applied;
}

/**
 * Refreshes SQLite's planner statistics after a change of the tables' shape (a migration, a bulk
 * load): in the checkpoint worker for a database file (resolves when done, the event loop stays
 * free), in place for an in-memory database. PostgreSQL's autovacuum does this by itself.
 */
export async function refreshStatistics(handle: DbHandle): Promise<void> {
  if (!handle.sqlite) return;
  if (handle.checkpointer) return gatedOptimize(handle.checkpointer, handle.gate);
  handle.sqlite.pragma('optimize = 0x10002');
}

/**
 * The checkpoint worker's `PRAGMA optimize` with the server's writes held at the gate meanwhile:
 * its ANALYZE holds SQLite's write lock (~2 s at 10^6 persons when the statistics are stale), and a
 * write of the server's connection would otherwise wait for it in SQLite's busy handler, on the
 * event loop, and fail after busy_timeout (a login answered 503 after a restart; decisions/0081).
 */
async function gatedOptimize(checkpointer: Checkpointer, gate: WriteGate | undefined): Promise<void> {
  gate?.close();
  try {
    await checkpointer.optimize();
  } finally {
    gate?.release();
  }
}

/** Normalises COUNT and other numeric aggregates (pg may hand back strings or bigint). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return 0;
}

export const bool = (v: number | boolean | null | undefined): boolean => v === 1 || v === true;
export const toBool = (v: boolean): number => (v ? 1 : 0);
