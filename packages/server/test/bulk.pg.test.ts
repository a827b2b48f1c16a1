import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertFlat, type PgInsert, pgInserts } from '../src/platform/db/bulk.js';
import { type DbHandle, openDatabase } from '../src/platform/db/index.js';
import { freshDatabase } from './helpers.js';

// PostgreSQL's bulk path: columns sent as array literals the program writes itself, several tables
// in one statement (the import's batch of new people, with its counts).
let handle: DbHandle;
let drop: () => Promise<void>;
beforeAll(async () => {
  const db = await freshDatabase();
  handle = openDatabase(db.url);
  drop = db.drop;
  await sql`CREATE TABLE parent (id text PRIMARY KEY, label text, n integer)`.execute(handle.db);
  await sql`CREATE TABLE child (id text PRIMARY KEY, parent_id text NOT NULL REFERENCES parent (id))`.execute(
    handle.db,
  );
  await sql`CREATE TABLE tally (k text PRIMARY KEY, n integer NOT NULL)`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
  await drop?.();
});

/** Text that an array literal must quote or escape, and text that only looks special. */
const AWKWARD = ['a"b', 'c\\d', '{x,y}', 'NULL', '', ' lead and trail ', '张·三 \t', 'e\\"f', '"', '\\'];

/** Counts added to what is there (as the import's counts are). */
const tally: PgInsert = {
  table: 'tally',
  rows: { columns: ['k', 'n'], values: ['a', 2, 'b', 1] },
  suffix: sql`ON CONFLICT (k) DO UPDATE SET n = tally.n + excluded.n`,
};

describe('PostgreSQL bulk inserts', () => {
  it('sends any text, numbers and NULLs as written', async () => {
    await bulkInsertFlat(handle, 'parent', {
      columns: ['id', 'label', 'n'],
      values: AWKWARD.flatMap((label, i) => [`p${i}`, label, i % 3 ? i : null]),
    });
    const { rows } = await sql<{ id: string; label: string; n: number | null }>`
      SELECT id, label, n FROM parent ORDER BY id`.execute(handle.db);
    expect(rows).toEqual(
      AWKWARD.map((label, i) => ({ id: `p${i}`, label, n: i % 3 ? i : null })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('writes several tables and an upsert in one statement, foreign keys checked at its end', async () => {
    // the child rows come before their parents in the statement: checked only once all are in
    const statement = await pgInserts(handle, handle.db, [
      { table: 'child', rows: { columns: ['id', 'parent_id'], values: ['c1', 'q1', 'c2', 'q2'] } },
      { table: 'parent', rows: { columns: ['id', 'label', 'n'], values: ['q1', 'x', 1, 'q2', null, 2] } },
      tally,
    ]);
    expect(statement).toBeDefined();
    const compiled = statement!.compile(handle.db);
    // one statement, one parameter per column, each a single text
    expect(compiled.sql.match(/INSERT INTO/g)).toHaveLength(3);
    expect(compiled.parameters).toHaveLength(7);
    expect(compiled.parameters.every((p) => typeof p === 'string')).toBe(true);
    await handle.db.executeQuery(compiled);
    // the tally's part alone again: the upsert adds to what is there
    await (await pgInserts(handle, handle.db, [tally]))!.execute(handle.db);
    const counts = await sql<{ k: string; n: number }>`SELECT k, n FROM tally ORDER BY k`.execute(handle.db);
    expect(counts.rows).toEqual([
      { k: 'a', n: 4 },
      { k: 'b', n: 2 },
    ]);
    const children = await sql<{ id: string; label: string | null }>`
      SELECT c.id, p.label FROM child c JOIN parent p ON p.id = c.parent_id ORDER BY c.id`.execute(handle.db);
    expect(children.rows).toEqual([
      { id: 'c1', label: 'x' },
      { id: 'c2', label: null },
    ]);
    // a child without its parent fails the whole statement: nothing of it stays
    const orphan = await pgInserts(handle, handle.db, [
      { table: 'parent', rows: { columns: ['id', 'label', 'n'], values: ['q3', 'y', 3] } },
      { table: 'child', rows: { columns: ['id', 'parent_id'], values: ['c3', 'nobody'] } },
    ]);
    await expect(orphan!.execute(handle.db)).rejects.toThrow(/foreign key/);
    const q3 = await sql<{ n: string }>`SELECT count(*)::text AS n FROM parent WHERE id = 'q3'`.execute(handle.db);
    expect(q3.rows[0]!.n).toBe('0');
  });

  it('leaves a table too large for one statement to the table-by-table path', async () => {
    const many = { columns: ['k', 'n'], values: Array.from({ length: 5001 }, (_, i) => [`k${i}`, i]).flat() };
    expect(await pgInserts(handle, handle.db, [{ table: 'tally', rows: many }])).toBeUndefined();
    expect(await pgInserts(handle, handle.db, [{ table: 'tally', rows: { columns: [], values: [] } }])).toBeUndefined();
  });
});
