import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { migrateToLatest } from '../src/platform/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo.js';
import { freePort, startServer as startCli } from './cli.js';
import { messyXlsx } from './fixtures/messy-sheets.js';
import { dialect, freshDatabase } from './helpers.js';
import { makeId } from './registry-fixtures.js';

let db: Awaited<ReturnType<typeof freshDatabase>>;
let env: Record<string, string>;

function startServer(port: number): Promise<ChildProcess> {
  return startCli(port, env);
}

beforeAll(async () => {
  db = await freshDatabase();
  env = { DATABASE_URL: db.url, DATA_DIR: db.dataDir, KEY_FILE: path.join(db.dataDir, 'keys.json') };
  const p = createPlatform(loadConfig({ databaseUrl: db.url, dataDir: db.dataDir, keyFile: env.KEY_FILE, demo: true }));
  await migrateToLatest(p.handle);
  await seedDemo(p);
  await p.handle.close();
});
afterAll(async () => db?.drop());

/** Each test starts the server from sources (tsx) twice; on a busy 2-core machine that alone can take 30 s. */
const SERVER_PROCESS_TIMEOUT = 180_000;

describe('crash safety', () => {
  it(
    'keeps every acknowledged write after kill -9 during a burst, and the database stays intact',
    async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const server = await startServer(port);
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
      });
      const { csrfToken, org } = (await login.json()) as { csrfToken: string; org: { id: string } };
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

      const acked: { id: string; name: string }[] = [];
      const rejected: string[] = [];
      let stop = false;
      let seq = 0;
      const worker = async () => {
        while (!stop) {
          const name = `压测单位${seq++}`;
          try {
            const res = await fetch(`${base}/api/v1/orgs`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
              body: JSON.stringify({ parentId: org.id, name, type: 'enterprise' }),
            });
            if (res.status === 201) acked.push({ id: ((await res.json()) as { id: string }).id, name });
            else rejected.push(`${res.status} ${await res.text()}`);
          } catch {
            return; // the server is gone
          }
        }
      };
      const workers = Array.from({ length: 8 }, worker);
      while (acked.length < 120 && rejected.length === 0) await new Promise((r) => setTimeout(r, 10));
      server.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      if (server.exitCode === null && server.signalCode === null) await new Promise((r) => server.once('exit', r));
      expect(rejected).toEqual([]);

      // restart on the same data: migrations and start-up must cope with the interrupted state
      const again = await startServer(port);
      again.kill('SIGTERM');
      await new Promise((r) => again.once('exit', r));

      const p = createPlatform(loadConfig({ databaseUrl: db.url, dataDir: db.dataDir, keyFile: env.KEY_FILE }));
      try {
        const rows = await p.handle.db
          .selectFrom('orgs')
          .select(['id', 'name'])
          .where('type', '=', 'enterprise')
          .execute();
        const stored = new Map(rows.map((r) => [r.id, r.name]));
        const missing = acked.filter((a) => stored.get(a.id) !== a.name);
        expect(missing).toEqual([]);
        expect(acked.length).toBeGreaterThanOrEqual(120);
        // every stored org has exactly its one audit row: no half-applied change survived
        const audited = await p.handle.db
          .selectFrom('audit_log')
          .select('entity_id')
          .where('action', '=', 'org.create')
          .execute();
        expect(new Set(audited.map((a) => a.entity_id))).toEqual(new Set(rows.map((r) => r.id)));
        if (dialect === 'sqlite') {
          const check = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(p.handle.db);
          expect(check.rows[0]?.integrity_check).toBe('ok');
        }
        expect((await p.audit.verify(p.handle.db)).ok).toBe(true);
      } finally {
        await p.handle.close();
      }
    },
    SERVER_PROCESS_TIMEOUT,
  );

  it(
    'never leaves an import half applied when killed during the commit, and finishes it after restart',
    async () => {
      const N = 30_000;
      const start = Date.UTC(1940, 0, 1);
      const rows = Array.from({ length: N }, (_, i) => {
        const birth = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
        return [
          i + 1,
          `导入${[...String(i)].map((d) => '零一二三四五六七八九'[Number(d)]).join('')}`,
          makeId('650203', birth, 300),
          '退役军人',
        ];
      });
      const file = await messyXlsx({
        header: ['序号', '姓名', '身份证号', '类别'],
        rows,
        totals: null,
        blankAfter: [],
      });
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      let server = await startServer(port);
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'klmy', password: DEMO_PASSWORD }),
      });
      const { csrfToken, org } = (await login.json()) as { csrfToken: string; org: { id: string } };
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const headers = { cookie, 'x-csrf-token': csrfToken };
      const up = await fetch(`${base}/api/v1/beneficiaries/imports?orgId=${org.id}&fileName=big.xlsx`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body: file,
      });
      expect(up.status).toBe(202);
      const jobId = ((await up.json()) as { id: string }).id;
      const status = async () =>
        ((await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers })).json()) as { status: string }).status;
      while ((await status()) !== 'validated') await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${base}/api/v1/jobs/${jobId}/commit`, { method: 'POST', headers })).status).toBe(202);
      await new Promise((r) => setTimeout(r, 1200)); // into the commit: re-reading the file, then the transaction
      server.kill('SIGKILL');
      await new Promise((r) => server.once('exit', r));

      const imported = async () => {
        const p = createPlatform(loadConfig({ databaseUrl: db.url, dataDir: db.dataDir, keyFile: env.KEY_FILE }));
        try {
          const r = await p.handle.db
            .selectFrom('beneficiaries')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('name', 'like', '导入%')
            .executeTakeFirstOrThrow();
          return Number(r.n);
        } finally {
          await p.handle.close();
        }
      };
      expect([0, N]).toContain(await imported());

      // after a restart the interrupted commit runs again (its transaction was rolled back)
      server = await startServer(port);
      const again = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'klmy', password: DEMO_PASSWORD }),
      });
      const h2 = {
        cookie: (again.headers.get('set-cookie') ?? '').split(';')[0]!,
        'x-csrf-token': ((await again.json()) as { csrfToken: string }).csrfToken,
      };
      let final = '';
      for (let i = 0; i < 600 && !['succeeded', 'failed'].includes(final); i++) {
        final = ((await (await fetch(`${base}/api/v1/jobs/${jobId}`, { headers: h2 })).json()) as { status: string })
          .status;
        if (!['succeeded', 'failed'].includes(final)) await new Promise((r) => setTimeout(r, 200));
      }
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      expect(final).toBe('succeeded');
      expect(await imported()).toBe(N);
    },
    SERVER_PROCESS_TIMEOUT,
  );
});
