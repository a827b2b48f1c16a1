import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createPlatform } from '../src/platform/context.js';
import { signedIn, type TestEnv, testEnv } from './helpers.js';

// PostgreSQL only (`*.pg.test.ts` runs in the postgres project alone): an outage of the server.
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

describe('PostgreSQL outage', () => {
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
