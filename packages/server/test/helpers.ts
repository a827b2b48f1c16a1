import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { type App, buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/platform/config.js';
import { createPlatform, type Platform } from '../src/platform/context.js';
import { migrateToLatest } from '../src/platform/db/index.js';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo.js';

export { DEMO_PASSWORD };
export const dialect = process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh database of the dialect under test: a temp SQLite file, or a new PostgreSQL database. */
export async function freshDatabase(): Promise<{ url: string; dataDir: string; drop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-test-'));
  if (dialect === 'sqlite') {
    return {
      url: `sqlite:${path.join(dataDir, 'test.db')}`,
      dataDir,
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `sy_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestEnv extends App {
  p: Platform;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** A migrated database with the demo city, and the app on top of it (no network port). */
export async function testEnv(
  opts: { demo?: boolean; seed?: boolean; webDir?: string; config?: Partial<Config> } = {},
): Promise<TestEnv> {
  const db = await freshDatabase();
  const config = loadConfig({
    databaseUrl: db.url,
    dataDir: db.dataDir,
    demo: opts.demo ?? true,
    logLevel: 'silent',
    ...opts.config,
  });
  const p = createPlatform(config);
  await migrateToLatest(p.handle);
  if (opts.seed ?? true) await seedDemo(p);
  const built = await buildApp(p, { logger: false, webDir: opts.webDir ?? path.join(db.dataDir, 'no-web') });
  await built.app.ready();
  return {
    ...built,
    p,
    url: db.url,
    dataDir: db.dataDir,
    close: async () => {
      await built.app.close();
      await p.handle.close();
      await db.drop();
    },
  };
}

/** A signed-in browser: keeps the cookie, sends the CSRF token on writes. */
export class Client {
  cookie = '';
  csrf = '';
  constructor(
    private readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  async login(username: string, password = DEMO_PASSWORD, otp?: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password, ...(otp ? { otp } : {}) },
      remoteAddress: this.ip,
      // like a browser, sends the cookie it holds: signing in again ends that session
      ...(this.cookie ? { headers: { cookie: this.cookie } } : {}),
    });
    if (res.statusCode === 200) {
      const set = res.cookies.find((c) => c.name === 'sy_session');
      this.cookie = set ? `sy_session=${set.value}` : '';
      this.csrf = res.json().csrfToken;
    }
    return res;
  }

  request(method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) {
    return this.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(method !== 'GET' && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}),
    });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, payload?: unknown) {
    return this.request('POST', url, payload);
  }
  patch(url: string, payload?: unknown) {
    return this.request('PATCH', url, payload);
  }
}

export async function signedIn(app: FastifyInstance, username: string, ip?: string): Promise<Client> {
  const c = new Client(app, ip);
  const res = await c.login(username);
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return c;
}

/** Id of an org by its scope path. */
export async function orgId(p: Platform, orgPath: string): Promise<string> {
  const r = await p.handle.db.selectFrom('orgs').select('id').where('path', '=', orgPath).executeTakeFirstOrThrow();
  return r.id;
}

export async function userId(p: Platform, username: string): Promise<string> {
  const r = await p.handle.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return r.id;
}
