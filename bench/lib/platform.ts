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
