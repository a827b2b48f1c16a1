import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../src/platform/db/index.js';

let handle: DbHandle | null = null;
let dir = '';
let file = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-readers-'));
  file = path.join(dir, 'db.sqlite');
});
afterEach(async () => {
  await handle?.close();
  handle = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQLite readers in worker threads', () => {
  it('read what the server connection committed, and refuse to write', async () => {
    handle = openDatabase(`sqlite:${file}`, { readers: 2 });
    expect(handle.reader).not.toBe(handle.db);
    handle.sqlite!.exec("create table t (id integer primary key, name text); insert into t (name) values ('a'), ('b')");
    const first = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.reader);
    expect(first.rows).toEqual([{ n: 2 }]);
    handle.sqlite!.exec("insert into t (name) values ('c')");
    const rows = await sql<{ name: string }>`select name from t where id > ${1} order by id`.execute(handle.reader);
    expect(rows.rows.map((r) => r.name)).toEqual(['b', 'c']);
    await expect(sql`insert into t (name) values ('d')`.execute(handle.reader)).rejects.toThrow(/readonly/i);
    expect(handle.sqlite!.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
  });

  it('keep the event loop free while a long statement runs', async () => {
    handle = openDatabase(`sqlite:${file}`, { readers: 1 });
    handle.sqlite!.exec('create table t (id integer primary key)');
    let turns = 0;
    let done = false;
    const spin = () => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    // a statement that runs until the loop has had many turns meanwhile (no clock involved)
    const long = sql<{ n: number }>`
      with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000000) select count(*) as n from c`
      .execute(handle.reader)
      .then((r) => {
        done = true;
        return r.rows[0]!.n;
      });
    while (turns < 50 && !done) await new Promise((r) => setImmediate(r));
    expect(turns).toBeGreaterThanOrEqual(50);
    expect(await long).toBe(3000000);
  });

  it('queue statements beyond the pool and answer them all', async () => {
    handle = openDatabase(`sqlite:${file}`, { readers: 2 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sql<{ v: number }>`select ${i} * 2 as v`.execute(handle!.reader)),
    );
    expect(answers.map((a) => a.rows[0]!.v)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('are not started for an in-memory database', async () => {
    handle = openDatabase('sqlite::memory:');
    expect(handle.reader).toBe(handle.db);
  });
});
