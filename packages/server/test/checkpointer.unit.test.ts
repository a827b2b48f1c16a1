import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DbHandle, openDatabase, refreshStatistics } from '../src/platform/db/index.js';

let handle: DbHandle | null = null;
let dir = '';
let file = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-ckpt-'));
  file = path.join(dir, 'db.sqlite');
});
afterEach(async () => {
  await handle?.close();
  handle = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const PAGES = 3000;

/** One commit of ~PAGES pages: past the 1000 at which the committing connection would checkpoint itself. */
function bigCommit(h: DbHandle) {
  const sqlite = h.sqlite!;
  sqlite.exec('create table t (id integer primary key, body text)');
  const insert = sqlite.prepare('insert into t (body) values (?)');
  sqlite.transaction(() => {
    for (let i = 0; i < PAGES; i++) insert.run('x'.repeat(4000));
  })();
}

describe('WAL checkpoints off the event loop (SQLite)', () => {
  it('leaves the copying to the worker, not to the connection that commits', async () => {
    handle = openDatabase(`sqlite:${file}`, { checkpointIntervalMs: 0 });
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    bigCommit(handle);
    // the commit left its pages in the WAL: the database file has not grown
    expect(fs.statSync(file).size).toBeLessThan(PAGES * 4000);
    const info = await handle.checkpointer!.checkpoint();
    expect(info.log).toBeGreaterThanOrEqual(PAGES);
    expect(info.checkpointed).toBe(info.log);
    expect(fs.statSync(file).size).toBeGreaterThan(PAGES * 4000);
    await handle.close();
    handle = openDatabase(`sqlite:${file}`);
    expect(handle.sqlite!.prepare('select count(*) as n from t').get()).toEqual({ n: PAGES });
  });

  it('checkpoints on its own while the server runs', async () => {
    handle = openDatabase(`sqlite:${file}`);
    bigCommit(handle);
    while (fs.statSync(file).size < PAGES * 4000) await new Promise((r) => setTimeout(r, 50));
    const info = await handle.checkpointer!.checkpoint();
    expect(info.checkpointed).toBe(info.log);
  });

  it('deferred (serve): the connection checkpoints by itself until startBackground starts the worker', async () => {
    handle = openDatabase(`sqlite:${file}`, { checkpointIntervalMs: 0, deferBackground: true });
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    handle.startBackground();
    handle.startBackground();
    expect(handle.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    bigCommit(handle);
    const info = await handle.checkpointer!.checkpoint();
    expect(info.log).toBeGreaterThanOrEqual(PAGES);
    expect(info.checkpointed).toBe(info.log);
  });

  it("holds the server's writes at the gate while the statistics refresh holds the write lock", async () => {
    handle = openDatabase(`sqlite:${file}`, { checkpointIntervalMs: 0 });
    bigCommit(handle);
    // the refresh's ANALYZE takes SQLite's write lock in the worker: a write of the server's
    // connection must wait for it at the gate (asynchronously), not in SQLite's busy handler
    const refresh = refreshStatistics(handle);
    expect(handle.gate!.open).toBe(false);
    const write = handle.db
      .insertInto('t' as never)
      .values({ body: 'y' } as never)
      .execute();
    await refresh;
    await write;
    expect(handle.gate!.open).toBe(true);
    expect(handle.sqlite!.prepare('select count(*) as n from t').get()).toEqual({ n: PAGES + 1 });
    expect(handle.sqlite!.prepare("select count(*) as n from sqlite_stat1 where tbl = 't'").get()).toEqual({ n: 1 });
  });

  it("cuts a large WAL back in the worker, the server's writes held at the gate, never on the server's connection", async () => {
    handle = openDatabase(`sqlite:${file}`, { checkpointIntervalMs: 20, walLimitBytes: 1024 * 1024 });
    // the connection that restarts the WAL would truncate it on the event loop (decisions/0085)
    expect(handle.sqlite!.pragma('journal_size_limit', { simple: true })).toBe(-1);
    const gate = handle.gate!;
    const closed = vi.spyOn(gate, 'close');
    bigCommit(handle); // ~12 MB of WAL
    while (!fs.existsSync(`${file}-wal`) || fs.statSync(`${file}-wal`).size > 0)
      await new Promise((r) => setTimeout(r, 20));
    expect(closed).toHaveBeenCalled();
    await gate.wait(); // released once the worker has answered
    await handle.db
      .insertInto('t' as never)
      .values({ body: 'y' } as never)
      .execute();
    expect(handle.sqlite!.prepare('select count(*) as n from t').get()).toEqual({ n: PAGES + 1 });
  });

  it('does not start a worker for an in-memory database', async () => {
    handle = openDatabase('sqlite::memory:');
    expect(handle.checkpointer).toBeUndefined();
  });
});
