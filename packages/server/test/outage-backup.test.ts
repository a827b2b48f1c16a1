import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { backup, restore } from '../src/cli/backup.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { dialect, freshDatabase, signedIn, type TestEnv, testEnv } from './helpers.js';

/** A TCP proxy in front of PostgreSQL that the test can cut and restore (an outage without stopping the shared server). */
function proxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: () =>
      new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port))),
    cut: () => {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      up = true;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

describe.runIf(dialect === 'postgres')('PostgreSQL outage', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv();
  });
  afterAll(async () => env?.close());

  it('answers 503 problem+json while the database is unreachable and recovers by itself', async () => {
    const url = new URL(env.url);
    const px = proxy({ host: url.hostname, port: Number(url.port || 5432) });
    const port = await px.listen();
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const p = createPlatform(
      loadConfig({ databaseUrl: url.toString(), dataDir: env.dataDir, keyFile: env.p.config.keyFile, demo: true }),
    );
    const { app } = await buildApp(p, { webDir: '/nonexistent' });
    try {
      const klmy = await signedIn(app, 'klmy', '10.13.0.1');
      expect((await klmy.get('/api/v1/orgs/tree')).statusCode).toBe(200);
      px.cut();
      for (const res of [await klmy.get('/api/v1/orgs/tree'), await app.inject({ method: 'GET', url: '/readyz' })]) {
        expect(res.statusCode).toBe(503);
        expect(res.headers['content-type']).toContain('problem+json');
        expect(res.json().detail).toMatch(/数据库/);
      }
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      px.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await klmy.get('/api/v1/orgs/tree')).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      px.restore();
      await app.close();
      await p.handle.close();
      await px.close();
    }
  });
});

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
