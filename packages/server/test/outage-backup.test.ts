import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backup, restore } from '../src/cli/backup.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { dialect, freshDatabase, signedIn, type TestEnv, testEnv } from './helpers.js';

describe('backup while writing', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv();
  });
  afterAll(async () => env?.close());

  const rowHashes = async (
    handle: ReturnType<typeof createPlatform>['handle'],
    table: 'orgs' | 'audit_log' | 'users',
  ) => {
    const rows = await handle.db.selectFrom(table).selectAll().execute();
    return new Map(
      rows.map((r) => [String((r as { id: string }).id), createHash('sha256').update(JSON.stringify(r)).digest('hex')]),
    );
  };

  it('takes a consistent snapshot while writes continue; the restore equals it row for row', async () => {
    const admin = await signedIn(env.app, 'admin', '10.13.1.1');
    const root = (await admin.get('/api/v1/orgs/tree')).json().items[0].id;
    let stop = false;
    let n = 0;
    const writer = (async () => {
      while (!stop) {
        const res = await admin.post('/api/v1/orgs', {
          parentId: root,
          name: `备份测试${'甲乙丙丁戊己庚辛壬癸'[n % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(n / 10) % 10]}${n >= 100 ? '甲' : ''}`,
          type: 'enterprise',
        });
        expect(res.statusCode).toBeLessThan(500);
        n++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    while (n < 20) await new Promise((r) => setTimeout(r, 5));
    const file = path.join(env.dataDir, 'live.backup');
    await backup(env.p.handle, file);
    const writtenAtBackupEnd = n;
    stop = true;
    await writer;
    expect(n).toBeGreaterThan(20);

    const target = dialect === 'sqlite' ? null : await freshDatabase();
    const targetUrl = target ? target.url : `sqlite:${path.join(env.dataDir, 'restored', 'x.db')}`;
    await restore(file, targetUrl);
    const restored = createPlatform(
      loadConfig({ databaseUrl: targetUrl, dataDir: env.dataDir, keyFile: env.p.config.keyFile }),
    );
    try {
      // the snapshot is internally consistent: its audit chain verifies and every org has its audit row
      expect((await restored.audit.verify(restored.handle.db)).ok).toBe(true);
      const orgs = await restored.handle.db.selectFrom('orgs').select('id').where('type', '=', 'enterprise').execute();
      const audited = await restored.handle.db
        .selectFrom('audit_log')
        .select('entity_id')
        .where('action', '=', 'org.create')
        .execute();
      expect(new Set(audited.map((a) => a.entity_id))).toEqual(new Set(orgs.map((o) => o.id)));
      expect(orgs.length).toBeGreaterThanOrEqual(20);
      expect(orgs.length).toBeLessThanOrEqual(writtenAtBackupEnd + 1);
      // and every restored row is identical to the live one
      for (const table of ['orgs', 'users', 'audit_log'] as const) {
        const live = await rowHashes(env.p.handle, table);
        for (const [id, hash] of await rowHashes(restored.handle, table))
          expect(live.get(id), `${table} ${id}`).toBe(hash);
      }
    } finally {
      await restored.handle.close();
      await target?.drop();
    }
  });
});
