import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bulkInsert, bulkInsertFlat } from '../src/platform/db/bulk.js';
import type { DbHandle } from '../src/platform/db/index.js';
import { longWrite, writerBatch } from '../src/platform/db/writer.js';
import { spinner, sqliteFile } from './sqlite-file-fixtures.js';

const database = sqliteFile('sy-writer-');

const count = (h: DbHandle) => (h.sqlite!.prepare('select count(*) as n from t').get() as { n: number }).n;

describe('SQLite writer worker (long writes)', () => {
  it('keeps the event loop turning while it writes, and commits or rolls back as one transaction', async () => {
    const handle = database.open({ readers: 0 });
    expect(handle.writer).toBeDefined();
    handle.sqlite!.exec('create table t (id integer primary key, name text not null)');
    const loop = spinner();
    let turnsAtCommit = -1;
    await longWrite(handle, async (trx) => {
      // a long statement in the worker: the loop turns many times meanwhile (no clock involved)
      await sql`insert into t (name) with recursive c(i) as (select 1 union all select i + 1 from c where i < 500000)
        select 'x' || i from c`.execute(trx);
      await bulkInsert(
        handle,
        't',
        Array.from({ length: 1200 }, (_, i) => ({ name: `bulk ${i}` })),
        trx,
      );
      // the server's connection reads the last commit meanwhile, not the worker's open transaction
      expect(count(handle)).toBe(0);
      turnsAtCommit = loop.turns;
    });
    loop.stop();
    expect(turnsAtCommit).toBeGreaterThanOrEqual(20);
    expect(count(handle)).toBe(501_200);

    await expect(
      longWrite(handle, async (trx) => {
        await sql`insert into t (name) values ('gone')`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(count(handle)).toBe(501_200);
  });

  it('runs a batch of statements in one message, in order, and a failing one fails the batch', async () => {
    const handle = database.open({ readers: 0 });
    handle.sqlite!.exec('create table t (id integer primary key, name text not null)');
    const q = (text: string, ...params: unknown[]) => CompiledQuery.raw(text, params);
    await longWrite(handle, async (trx) => {
      // the second statement reads what the first wrote: they ran in order in the worker
      const r = await writerBatch(trx, [
        q('insert into t (id, name) values (?, ?), (?, ?)', 1, 'a', 2, 'b'),
        q("insert into t (id, name) select id + 10, name || '2' from t"),
      ]);
      expect(r.numAffectedRows).toBe(4n);
      // flat rows: 1,200 rows in three statements, sent as one batch
      await bulkInsertFlat(
        handle,
        't',
        { columns: ['id', 'name'], values: Array.from({ length: 2400 }, (_, i) => (i % 2 ? `flat ${i}` : 100 + i)) },
        trx,
      );
    });
    expect(handle.sqlite!.prepare('select name from t where id in (11, 12) order by id').pluck().all()).toEqual([
      'a2',
      'b2',
    ]);
    expect(count(handle)).toBe(1_204);
    expect(handle.sqlite!.prepare('select name from t where id = 2498').pluck().get()).toBe('flat 2399');

    await expect(
      longWrite(handle, (trx) =>
        writerBatch(trx, [
          q("insert into t (id, name) values (5000, 'kept until the failure')"),
          q("insert into t (id, name) values (1, 'duplicate key')"),
          q("insert into t (id, name) values (5001, 'never run')"),
        ]),
      ),
    ).rejects.toThrow(/UNIQUE/);
    expect(count(handle)).toBe(1_204);
    await expect(writerBatch({}, [])).rejects.toThrow();
  });

  it("holds the server connection's writes at the gate until it commits, without blocking reads", async () => {
    const handle = database.open({ readers: 0 });
    handle.sqlite!.exec('create table t (id integer primary key, name text not null)');
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const inside = new Promise<void>((r) => {
      started = r;
    });
    const long = longWrite(handle, async (trx) => {
      await sql`insert into t (name) values ('worker')`.execute(trx);
      started();
      await held;
      order.push('worker commits');
    });
    await inside;
    // a read goes through at once; a write (alone or in a transaction) waits for the commit
    expect(
      (await handle.db
        .selectFrom('t' as never)
        .select(sql`count(*)`.as('n'))
        .executeTakeFirst()) as unknown,
    ).toEqual({
      n: 0,
    });
    const write = handle.db
      .insertInto('t' as never)
      .values({ name: 'server' } as never)
      .execute()
      .then(() => order.push('server write'));
    // two transactions released at once run one after the other (each BEGIN waits for the other's end)
    const txs = [1, 2].map((k) =>
      handle.db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into t (name) values (${`server tx ${k}`})`.execute(trx);
          await new Promise((r) => setImmediate(r));
          await sql`insert into t (name) values (${`server tx ${k} again`})`.execute(trx);
        })
        .then(() => order.push(`server transaction ${k}`)),
    );
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    release();
    await Promise.all([long, write, ...txs]);
    expect(order[0]).toBe('worker commits');
    expect(order).toHaveLength(4);
    expect(count(handle)).toBe(6);
  });

  it('is not started for an in-memory database (the transaction runs on the connection)', async () => {
    const handle = database.open({}, 'sqlite::memory:');
    expect(handle.writer).toBeUndefined();
    handle.sqlite!.exec('create table t (id integer primary key, name text not null)');
    await longWrite(handle, (trx) => bulkInsert(handle, 't', [{ name: 'a' }, { name: 'b' }], trx));
    expect(count(handle)).toBe(2);
  });
});
