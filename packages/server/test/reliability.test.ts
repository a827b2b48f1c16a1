import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isValidIdNumber, nameSchema } from '@shuangyong/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { migrateToLatest } from '../src/platform/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo.js';
import { freePort, startServer } from './cli.js';
import { arbitrary, rng, toJsonSchema } from './fuzz.js';
import { type Client, freshDatabase, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

/**
 * Schema-driven fuzzing of every route in the route table: values generated from each route's own
 * zod schemas plus hostile strings and boundary numbers. No 5xx, and nothing invalid stored.
 * FUZZ_CASES raises the count per route (CI runs a quick pass).
 */
const CASES = Number(process.env.FUZZ_CASES ?? 12);
/** Long full runs get the time they need; the quick CI pass keeps the default. */
const LONG = 20 * 60_000;
let env: TestEnv;
let admin: Client;
const ids: string[] = [];

beforeAll(async () => {
  env = await testEnv();
  admin = await signedIn(env.app, 'admin', '10.12.0.1');
  const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const b = await admin.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '模糊测试',
    idNumber: makeId('650203', '1950-05-05', 9),
    categories: martyrSurvivor(),
  });
  ids.push(community, b.json().id, b.json().household.id);
  // every id but the fuzzing account's own (resetting its own password would end the run)
  const me = (await admin.get('/api/v1/auth/me')).json().user.id;
  for (const t of ['orgs', 'users'])
    for (const r of (await admin.get(`/api/v1/${t}?pageSize=5`)).json().items) if (r.id !== me) ids.push(r.id);
});
afterAll(async () => env?.close());

describe('schema-driven fuzzing', () => {
  it(
    `answers ${CASES} generated requests per route without a 5xx`,
    async () => {
      const rand = rng(Number(process.env.FUZZ_SEED ?? 20261129));
      const failures: string[] = [];
      let sent = 0;
      const statusCounts: Record<number, number> = {};
      const routes = env.routes.filter((r) => !['/api/v1/auth/logout', '/api/v1/auth/login'].includes(r.url));
      for (const r of routes) {
        const body = toJsonSchema(r.schema?.body);
        const query = toJsonSchema(r.schema?.querystring);
        for (let i = 0; i < CASES; i++) {
          const id =
            rand() < 0.8 ? ids[Math.floor(rand() * ids.length)]! : rand() < 0.5 ? "1' OR '1'='1" : '..%2f..%2fetc';
          const q = query ? (arbitrary(query, rand, ids) as Record<string, unknown>) : {};
          const qs =
            q && typeof q === 'object' && !Array.isArray(q)
              ? Object.entries(q)
                  .map(
                    ([k, v]) =>
                      `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`,
                  )
                  .join('&')
              : '';
          const url = r.url.replace(':id', encodeURIComponent(id)) + (qs ? `?${qs}` : '');
          const payload =
            r.method === 'GET' ? undefined : body ? arbitrary(body, rand, ids) : rand() < 0.5 ? {} : undefined;
          const res = await admin.request(r.method as 'POST', url, payload);
          sent++;
          statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
          if (res.statusCode >= 500)
            failures.push(
              `${r.method} ${url} ${JSON.stringify(payload)?.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
          if (res.statusCode === 401) await admin.login('admin');
        }
      }
      expect(failures).toEqual([]);
      expect(sent).toBeGreaterThan(routes.length * CASES * 0.9);
      // the generated requests reach the handlers, not only the validators
      expect(statusCounts[200] ?? 0).toBeGreaterThan(routes.length);
    },
    LONG,
  );

  it('stored nothing invalid', async () => {
    const db = env.p.handle.db;
    for (const o of await db.selectFrom('orgs').select('name').execute())
      expect(nameSchema.safeParse(o.name).success, o.name).toBe(true);
    for (const b of await db.selectFrom('beneficiaries').select(['name', 'id_enc']).execute()) {
      expect(nameSchema.safeParse(b.name).success, b.name).toBe(true);
      expect(isValidIdNumber(env.p.crypto.decrypt(b.id_enc))).toBe(true);
    }
    expect((await env.p.audit.verify(db)).ok).toBe(true);
  });
});

/** LOAD_SESSIONS / LOAD_SECONDS scale this up (the full run: 200 sessions for 60 s, see docs/reliability.md). */
const LOAD_SESSIONS = Number(process.env.LOAD_SESSIONS ?? 8);
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 2);

describe('load with reconciliation', () => {
  // its own database and its own server process, driven over HTTP on 127.0.0.1 (the fuzzer above
  // may have reset the demo users' passwords)
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: ChildProcess;
  let base: string;
  let homes: string[];
  beforeAll(async () => {
    db = await freshDatabase();
    const keyFile = path.join(db.dataDir, 'keys.json');
    const p = createPlatform(loadConfig({ databaseUrl: db.url, dataDir: db.dataDir, keyFile, demo: true }));
    await migrateToLatest(p.handle);
    await seedDemo(p);
    homes = await Promise.all(
      [
        '650200/650203/650203002/650203002001/',
        '650200/650202/650202002/650202002001/',
        '650200/650204/650204001/650204001001/',
        '650200/650205/650205001/650205001001/',
      ].map((x) => orgId(p, x)),
    );
    await p.handle.close();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // one X-Forwarded-For address per session, as behind the intranet's reverse proxy, so the
    // per-address login limit does not refuse 200 sessions from one test process
    server = await startServer(port, {
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      KEY_FILE: keyFile,
      TRUST_PROXY: '1',
    });
  }, LONG);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
  });

  it(
    `keeps every acknowledged write exactly once: ${LOAD_SESSIONS} sessions over HTTP, ${LOAD_SECONDS} s, 80% reads / 20% writes`,
    async () => {
      const users = ['klmy', 'dsz', 'bjt', 'weh'];
      const sessions = await Promise.all(
        Array.from({ length: LOAD_SESSIONS }, (_, i) =>
          httpSession(base, users[i % 4]!, `10.${20 + Math.floor(i / 250)}.${i % 250}.1`),
        ),
      );
      const acked: { id: string; name: string }[] = [];
      const statuses = new Map<number, number>();
      let serial = 0;
      let requests = 0;
      const digits = '零一二三四五六七八九';
      const until = Date.now() + LOAD_SECONDS * 1000;
      await Promise.all(
        sessions.map(async (c, i) => {
          while (Date.now() < until) {
            requests++;
            let status: number;
            if (Math.random() < 0.2) {
              const k = serial++;
              const birth = new Date(Date.UTC(1900, 0, 1) + k * 86_400_000).toISOString().slice(0, 10);
              const name = `负载${[...String(k)].map((d) => digits[Number(d)]).join('')}`;
              const res = await c.send('POST', '/api/v1/beneficiaries', {
                orgId: homes[i % 4],
                name,
                idNumber: makeId('650203', birth, 500),
                categories: martyrSurvivor(),
              });
              status = res.status;
              if (status === 201) acked.push({ id: (res.body as { id: string }).id, name });
            } else {
              status = (await c.send('GET', '/api/v1/beneficiaries?pageSize=20&status=active')).status;
            }
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
        }),
      );
      const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, k]) => n + k, 0);
      expect(fivexx).toBe(0);
      expect(acked.length).toBeGreaterThan(0);
      expect(requests).toBeGreaterThan(acked.length);
      // reconcile after the server has stopped: every acknowledged write exactly once, as acknowledged
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
      const p = createPlatform(
        loadConfig({ databaseUrl: db.url, dataDir: db.dataDir, keyFile: path.join(db.dataDir, 'keys.json') }),
      );
      try {
        const rows = await p.handle.db
          .selectFrom('beneficiaries')
          .select(['id', 'name'])
          .where('name', 'like', '负载%')
          .execute();
        expect(rows.length).toBe(acked.length);
        expect(new Map(rows.map((r) => [r.id, r.name]))).toEqual(new Map(acked.map((a) => [a.id, a.name])));
      } finally {
        await p.handle.close();
      }
      if (process.env.LOAD_SECONDS)
        process.stdout.write(
          `load over HTTP: ${requests} requests (${[...statuses].map(([s, k]) => `${k}× ${s}`).join(', ')}), ${acked.length} writes acknowledged and found, 0 5xx\n`,
        );
    },
    LONG,
  );
});

/** A signed-in client over HTTP: its session cookie, CSRF token and X-Forwarded-For address. */
async function httpSession(base: string, username: string, ip: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return {
    async send(method: 'GET' | 'POST', url: string, body?: unknown) {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: {
          cookie,
          'x-forwarded-for': ip,
          ...(method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': csrfToken } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      };
    },
  };
}
