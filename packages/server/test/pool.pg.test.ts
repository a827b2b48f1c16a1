import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/index.js';
import { freshDatabase } from './helpers.js';

// The platform's PostgreSQL connections plan no parallel query (decisions/0087): a parallel worker is
// a new server process, whose start was most of a name search's time at 10^6 on a small server.
it('plans without parallel workers on the platform’s PostgreSQL connections', async (ctx) => {
  const db = await freshDatabase();
  const handle = openDatabase(db.url);
  ctx.onTestFinished(async () => {
    await handle.close();
    await db.drop();
  });
  expect(handle.dialect).toBe('postgres');
  const { rows } = await sql<{ v: string }>`SELECT current_setting('max_parallel_workers_per_gather') AS v`.execute(
    handle.db,
  );
  expect(rows[0]!.v).toBe('0');
});
