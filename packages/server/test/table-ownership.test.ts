import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform, type Platform } from '../src/platform/context.js';
import { migrateToLatest } from '../src/platform/db/index.js';
import { tableOwners } from '../src/platform/module.js';
import { freshDatabase } from './helpers.js';

let p: Platform;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await freshDatabase();
  drop = fresh.drop;
  p = createPlatform(loadConfig({ databaseUrl: fresh.url, dataDir: fresh.dataDir, logLevel: 'silent' }));
  await migrateToLatest(p.handle);
});
afterAll(async () => {
  await p?.handle.close();
  await drop?.();
});

describe('table ownership', () => {
  it('gives every table the migrations create exactly one owner: the platform or one module', async () => {
    // an FTS5 table's shadow tables (SQLite's own storage of the name index) belong to it
    const shadows =
      p.handle.dialect === 'sqlite'
        ? (
            await sql<{ name: string }>`SELECT name FROM pragma_table_list WHERE type = 'shadow'`.execute(p.handle.db)
          ).rows.map((r) => r.name)
        : [];
    const tables = (await p.handle.db.introspection.getTables())
      .map((t) => t.name)
      .filter((name) => !name.startsWith('kysely_') && !shadows.includes(name))
      .sort();
    const owners = tableOwners(MODULES);
    expect(tables.filter((t) => !owners.has(t))).toEqual([]);
    expect([...owners.keys()].filter((t) => !tables.includes(t))).toEqual([]);
  });
});
