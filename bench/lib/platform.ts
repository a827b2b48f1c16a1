// A platform over a fresh database for the in-process benches (bench/import-seed.ts, lib/benefits.ts):
// a SQLite file in a temporary folder, or a PostgreSQL database of its own at BENCH_PG_URL; `close`
// closes it and removes the folder and the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/platform/config.js';
import { createPlatform } from '../../packages/server/src/platform/context.js';

export type Dialect = 'sqlite' | 'postgres';
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement on the PostgreSQL server at PG_URL (CREATE/DROP DATABASE). */
async function admin(sqlText: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

/** A platform (demo configuration, silent) over a fresh database; `tag` names the folder and database. */
export async function freshPlatform(dialect: Dialect, tag: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sy-bench-${tag}-`));
  let url = `sqlite:${path.join(dataDir, 'bench.db')}`;
  const dbName = `sy_bench_${tag}_${process.pid}`;
  if (dialect === 'postgres') {
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${dbName}`);
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const p = createPlatform(loadConfig({ databaseUrl: url, dataDir, demo: true, logLevel: 'silent' }));
  const close = async () => {
    await p.handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  };
  return { p, close };
}

/** Where benches keep seeded data sets between runs (BENCH_CACHE_DIR to move it). */
export const CACHE_ROOT = process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'shuangyong-bench-cache');

/**
 * The migrations a cached data set was built with: a new migration makes the cache stale. Named
 * by the newest migration file (they are numbered).
 */
function schemaVersion() {
  const dir = new URL('../../packages/server/src/platform/db/migrations/', import.meta.url);
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_/.test(f))
    .sort()
    .at(-1)!
    .replace(/\.ts$/, '');
}

/**
 * A platform over a copy of a cached data set: `build` fills a fresh database once (and may write
 * files into `dir`), returning what the bench needs to know of it (`M`, JSON); later runs with the
 * same `key` (and schema) copy the database — the SQLite file, or a PostgreSQL database made with
 * the cached one as its template — and the key file, and skip `build`. `fresh` rebuilds.
 * The copy is removed by `close`; the cache stays (under CACHE_ROOT).
 */
export async function cachedPlatform<M>(
  dialect: Dialect,
  tag: string,
  key: string,
  fresh: boolean,
  build: (p: ReturnType<typeof createPlatform>, dir: string) => Promise<M>,
) {
  const slug = `${key}-${dialect}-${schemaVersion()}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  const dir = path.join(CACHE_ROOT, slug);
  const manifestFile = path.join(dir, 'manifest.json');
  const template = `sy_cache_${slug}`.slice(0, 63);
  let cached = !fresh && fs.existsSync(manifestFile);
  if (cached && dialect === 'postgres') {
    // the cache folder may have outlived the database (a restarted server)
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      cached = (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    } finally {
      await c.end();
    }
  }
  if (!cached) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    let url = `sqlite:${path.join(dir, 'bench.db')}`;
    if (dialect === 'postgres') {
      await admin(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${template}`);
      const u = new URL(PG_URL);
      u.pathname = `/${template}`;
      url = u.toString();
    }
    const p = createPlatform(loadConfig({ databaseUrl: url, dataDir: dir, demo: true, logLevel: 'silent' }));
    let manifest: M;
    try {
      manifest = await build(p, dir);
      p.handle.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await p.handle.close();
    }
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as M;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sy-bench-${tag}-`));
  fs.copyFileSync(path.join(dir, 'keys.json'), path.join(dataDir, 'keys.json'));
  let url = `sqlite:${path.join(dataDir, 'bench.db')}`;
  const dbName = `sy_bench_${tag}_${process.pid}`;
  const t0 = performance.now();
  if (dialect === 'postgres') {
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${dbName} TEMPLATE ${template} STRATEGY FILE_COPY`);
    const u = new URL(PG_URL);
    u.pathname = `/${dbName}`;
    url = u.toString();
  } else {
    fs.copyFileSync(path.join(dir, 'bench.db'), path.join(dataDir, 'bench.db'));
  }
  const copyS = (performance.now() - t0) / 1000;
  const p = createPlatform(loadConfig({ databaseUrl: url, dataDir, demo: true, logLevel: 'silent' }));
  const close = async () => {
    await p.handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  };
  return { p, close, manifest, dir, cached, copyS };
}
