// Direct database access for the harness: admin statements, in-process query timings, query plans.
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { percentiles } from '../loadgen.mjs';
import { toPg } from './sql.mjs';

pg.types.setTypeParser(20, (v) => Number(v));

export const PG_BASE = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');

/** Runs one statement on the PostgreSQL maintenance database (CREATE/DROP DATABASE). */
export async function pgAdmin(sqlText) {
  const c = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    return (await c.query(sqlText)).rows;
  } finally {
    await c.end();
  }
}

export async function pgDatabaseExists(name) {
  return (await pgAdmin(`select 1 from pg_database where datname = '${name}'`)).length > 0;
}

/**
 * An existing SQLite database with the platform's pragmas (packages/server/src/platform/db/index.ts)
 * and a cache of prepared statements: prep(sql) → Statement.
 */
export function openSqlite(file) {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  const cache = new Map();
  const prep = (s) => {
    let st = cache.get(s);
    if (!st) {
      st = db.prepare(s);
      cache.set(s, st);
    }
    return st;
  };
  return { db, prep };
}

/**
 * A raw handle on the benchmark database, with the same SQLite pragmas as the platform
 * (packages/server/src/platform/db/index.ts): all(stmt) → rows.
 */
export async function openRaw(url) {
  if (url.startsWith('sqlite:')) {
    const { db, prep } = openSqlite(url.slice('sqlite:'.length));
    return {
      dialect: 'sqlite',
      all: async (q) => prep(q.sql).all(...(q.params ?? [])),
      run: async (s) => db.exec(s),
      version: db.prepare('select sqlite_version() as v').get().v,
      async plan(q) {
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.params ?? []));
        const depth = new Map([[0, -1]]);
        return rows.map((r) => {
          const d = (depth.get(r.parent) ?? -1) + 1;
          depth.set(r.id, d);
          return `${'  '.repeat(d)}${r.detail}`;
        });
      },
      close: async () => db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // the server's version and the settings that size its memory and checkpoints (docs/operations.md)
  const setting = async (name) => (await client.query(`show ${name}`)).rows[0][name];
  const version = `${await setting('server_version')}, shared_buffers ${await setting('shared_buffers')}, max_wal_size ${await setting('max_wal_size')}`;
  return {
    dialect: 'postgres',
    all: async (q) => (await client.query(toPg(q.sql), q.params ?? [])).rows,
    run: async (s) => client.query(s),
    version,
    async plan(q) {
      const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${toPg(q.sql)}`, q.params ?? []);
      return r.rows.map((x) => x['QUERY PLAN']);
    },
    close: () => client.end(),
  };
}

/**
 * Times statements in-process: `make(i)` gives the statements of iteration i, run one after the
 * other; up to `iterations` iterations or `maxMs` of wall time, after `warmup` untimed ones.
 * Returns p50/p95 per statement and of their sum.
 */
export async function timeRaw(h, make, { iterations = 200, maxMs = 30_000, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) for (const q of make(i)) await h.all(q);
  const per = [];
  const total = [];
  const until = performance.now() + maxMs;
  let i = 0;
  for (; i < iterations && performance.now() < until; i++) {
    let sum = 0;
    const stmts = make(i);
    for (let k = 0; k < stmts.length; k++) {
      const t0 = performance.now();
      await h.all(stmts[k]);
      const ms = performance.now() - t0;
      per[k] ??= [];
      per[k].push(ms);
      sum += ms;
    }
    total.push(sum);
  }
  return { iterations: i, per: per.map(percentiles), total: percentiles(total) };
}
