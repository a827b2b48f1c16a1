import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { DbHandle } from '../platform/db/index.js';
import { sqliteFile } from '../platform/db/index.js';

/**
 * SQLite: the online backup API copies a consistent snapshot while writes continue.
 * PostgreSQL: pg_dump's custom format (one consistent snapshot, restorable with pg_restore).
 */
export async function backup(handle: DbHandle, out: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  if (handle.dialect === 'sqlite') {
    await handle.sqlite!.backup(out);
    return;
  }
  const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', `--file=${out}`, handle.url], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`pg_dump failed (exit ${r.status ?? r.error?.message})`);
}

/** Restores into an empty target: a new SQLite file or an empty PostgreSQL database. */
export async function restore(from: string, targetUrl: string): Promise<void> {
  if (!fs.existsSync(from)) throw new Error(`backup file not found: ${from}`);
  if (targetUrl.startsWith('sqlite:')) {
    const file = sqliteFile(targetUrl);
    if (fs.existsSync(file))
      throw new Error(`target database already exists: ${file} (restore only into a new data dir)`);
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.copyFileSync(from, file);
    const db = new SqliteDatabase(file);
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`restored database fails its integrity check: ${String(check)}`);
    } finally {
      db.close();
    }
    return;
  }
  const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${targetUrl}`, from], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`pg_restore failed (exit ${r.status ?? r.error?.message})`);
}
