import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../src/platform/db/index.js';
import { freshDatabase } from './helpers.js';

// `.stream(n)` on the reader of either dialect (decisions/0075): the SQLite readers' cursor in their
// worker, pg-cursor on PostgreSQL — a large result reaches the main thread n rows at a time.
describe('streaming a large result from the reader', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let handle: DbHandle;
  beforeAll(async () => {
    db = await freshDatabase();
    handle = openDatabase(db.url, { readers: 1 });
    await sql`create table stream_t (id integer primary key, label text not null)`.execute(handle.db);
    await sql`insert into stream_t (id, label) select i, 'row ' || i from (
      with recursive c(i) as (select 1 union all select i + 1 from c where i < 2500) select i from c) s`.execute(
      handle.db,
    );
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  const query = () =>
    handle.reader
      .selectFrom('stream_t' as never)
      .select(['id' as never, 'label' as never])
      .orderBy('id' as never);

  it('hands the rows over in chunks of the size asked, in order', async () => {
    const chunks: number[][] = [];
    for await (const r of handle.reader.getExecutor().stream(query().compile(), 1000))
      chunks.push((r.rows as { id: number }[]).map((x) => Number(x.id)));
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(chunks.flat()).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  it('lets a consumer stop early, and the connection serves the next statement', async () => {
    const seen: string[] = [];
    for await (const r of query().stream(100)) {
      seen.push((r as { label: string }).label);
      if (seen.length === 150) break;
    }
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => `row ${i + 1}`));
    const n = await sql<{ n: number }>`select count(*) as n from stream_t`.execute(handle.reader);
    expect(Number(n.rows[0]!.n)).toBe(2500);
  });

  it('fails with the statement, and the connection serves the next one', async () => {
    await expect(
      handle.reader.getExecutor().stream(sql`select nope from stream_t`.compile(handle.reader), 10).next(),
    ).rejects.toThrow(/nope/);
    const n = await sql<{ n: number }>`select count(*) as n from stream_t`.execute(handle.reader);
    expect(Number(n.rows[0]!.n)).toBe(2500);
  });
});
