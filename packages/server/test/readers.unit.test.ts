import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openReaders } from '../src/platform/db/readers.js';
import { spinner, sqliteFile } from './sqlite-file-fixtures.js';

const database = sqliteFile('sy-readers-');

describe('SQLite readers in worker threads', () => {
  it('read what the server connection committed, and refuse to write', async () => {
    const handle = database.open({ readers: 2 });
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
    const handle = database.open({ readers: 1 });
    handle.sqlite!.exec('create table t (id integer primary key)');
    const loop = spinner();
    // a statement that runs until the loop has had many turns meanwhile (no clock involved)
    const long = sql<{ n: number }>`
      with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000000) select count(*) as n from c`
      .execute(handle.reader)
      .then((r) => {
        loop.stop();
        return r.rows[0]!.n;
      });
    while (loop.turns < 50 && !loop.stopped) await new Promise((r) => setImmediate(r));
    expect(loop.turns).toBeGreaterThanOrEqual(50);
    expect(await long).toBe(3000000);
  });

  it('queue statements beyond the pool and answer them all', async () => {
    const handle = database.open({ readers: 2 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sql<{ v: number }>`select ${i} * 2 as v`.execute(handle.reader)),
    );
    expect(answers.map((a) => a.rows[0]!.v)).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('start one at a time, when a statement finds none free, up to the pool size', async () => {
    const handle = database.open({ readers: 0 });
    handle.sqlite!.exec('create table t (id integer primary key)');
    const pool = openReaders(path.resolve(handle.url.slice('sqlite:'.length)), 3);
    try {
      expect(pool.started()).toBe(0);
      await sql`select count(*) as n from t`.execute(pool.db);
      await sql`select count(*) as n from t`.execute(pool.db);
      expect(pool.started()).toBe(1);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => sql<{ v: number }>`select ${i} as v`.execute(pool.db)),
      );
      expect(answers.map((a) => a.rows[0]!.v)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(pool.started()).toBe(3);
    } finally {
      await pool.close();
    }
  });

  it('are not started for an in-memory database', async () => {
    const handle = database.open({}, 'sqlite::memory:');
    expect(handle.reader).toBe(handle.db);
  });
});
