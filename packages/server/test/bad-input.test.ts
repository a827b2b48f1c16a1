import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
let admin: Client;
let parentId: string;
beforeAll(async () => {
  env = await testEnv();
  admin = await signedIn(env.app, 'admin', '10.2.0.1');
  parentId = await orgId(env.p, '650200/650203/');
});
afterAll(async () => env?.close());

async function orgCount() {
  return (await env.p.handle.db.selectFrom('orgs').select('id').execute()).length;
}

function expectChineseProblem(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body.status).toBe(status);
  expect(body.title).toMatch(/[\u4e00-\u9fff]/);
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|stack|SELECT|INSERT|sqlite|postgres/i);
  return body;
}

describe('bad input', () => {
  it('malformed JSON → 400 problem, nothing stored', async () => {
    const before = await orgCount();
    const res = await admin.request('POST', '/api/v1/orgs', '{"parentId": "x", "name": ', {
      'content-type': 'application/json',
    });
    expect(expectChineseProblem(res, 400).code).toBe('malformed_json');
    expect(await orgCount()).toBe(before);
  });

  it('unknown fields → 400 naming the field', async () => {
    const res = await admin.post('/api/v1/orgs', { parentId, name: '某单位', type: 'department', isAdmin: true });
    const body = expectChineseProblem(res, 400);
    expect(body.errors[0].message).toContain('isAdmin');
  });

  it('wrong types → 400 with a path per error', async () => {
    const res = await admin.post('/api/v1/orgs', { parentId: 12, name: ['a'], type: 'castle' });
    const body = expectChineseProblem(res, 400);
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.name',
      'body.parentId',
      'body.type',
    ]);
  });

  it('oversized body (> 1 MB) → 413', async () => {
    const res = await admin.post('/api/v1/orgs', { parentId, name: 'x'.repeat(1_100_000), type: 'department' });
    expect(expectChineseProblem(res, 413).code).toBe('body_too_large');
  });

  it('a non-JSON content type → 415', async () => {
    const res = await admin.request('POST', '/api/v1/orgs', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectChineseProblem(res, 415);
  });

  it.each([
    ["'; DROP TABLE orgs; --"],
    ['<script>alert(1)</script>'],
    ['某单位" OR "1"="1'],
    ['名称\u0000控制'],
    [' '],
  ])('refuses the name %j without storing it', async (name) => {
    const before = await orgCount();
    const res = await admin.post('/api/v1/orgs', { parentId, name, type: 'department' });
    expectChineseProblem(res, 400);
    expect(await orgCount()).toBe(before);
  });

  it('accepts real names in Chinese, Uyghur script and with brackets', async () => {
    for (const name of ['克拉玛依区（试点）服务站', 'قاراماي مەھەللىسى', 'No.1 社区·东区']) {
      expect((await admin.post('/api/v1/orgs', { parentId, name, type: 'service_station' })).statusCode, name).toBe(
        201,
      );
    }
  });

  it('an invalid id in the path → 404, never a database error', async () => {
    expectChineseProblem(await admin.get("/api/v1/orgs/1' OR '1'='1"), 404);
    expectChineseProblem(await admin.get('/api/v1/orgs/00000000-0000-7000-8000-000000000000'), 404);
  });

  it('bad query parameters → 400', async () => {
    expectChineseProblem(await admin.get('/api/v1/orgs?page=0'), 400);
    expectChineseProblem(await admin.get('/api/v1/users?pageSize=100000'), 400);
    expectChineseProblem(await admin.get('/api/v1/orgs?evil=1'), 400);
  });

  it('unknown routes → 404, and rate-limited when probed', async () => {
    const first = await env.app.inject({ method: 'GET', url: '/api/v1/nothing-here', remoteAddress: '10.2.9.9' });
    expect(expectChineseProblem(first, 404).code).toBe('route_not_found');
    let limited = 0;
    for (let i = 0; i < 70; i++) {
      const r = await env.app.inject({ method: 'GET', url: `/api/v1/probe-${i}`, remoteAddress: '10.2.9.9' });
      if (r.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});

describe('contracts', () => {
  it('serves the OpenAPI document with every API route', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const r of env.routes) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeTruthy();
    }
  });

  it('serves the docs UI, health, readiness and metrics', async () => {
    expect((await env.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await env.app.inject({ method: 'GET', url: '/readyz' })).json().status).toBe('ok');
    const metrics = await env.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds');
  });

  it('answers HEAD as its GET without the body, with no HEAD routes built (decisions/0072)', async () => {
    expect(env.app.hasRoute({ method: 'HEAD', url: '/api/v1/auth/me' })).toBe(false);
    const anonymous = (method: 'GET' | 'HEAD', url: string) => env.app.inject({ method, url });
    const signedInAdmin = (method: 'GET' | 'HEAD', url: string) => admin.request(method, url);
    for (const [url, send] of [
      ['/readyz', anonymous],
      ['/api/v1/auth/me', anonymous],
      ['/api/v1/auth/me', signedInAdmin],
      ['/api/v1/orgs', signedInAdmin],
      ['/api/v1/nothing-here', signedInAdmin],
    ] as const) {
      const get = await send('GET', url);
      const head = await send('HEAD', url);
      expect(head.statusCode, url).toBe(get.statusCode);
      expect(head.headers['content-type'], url).toBe(get.headers['content-type']);
      expect(head.headers['content-length'], url).toBe(get.headers['content-length']);
      expect(head.headers['cache-control'], url).toBe(get.headers['cache-control']);
      expect(head.body, url).toBe('');
    }
  });

  it('sends security headers with a CSP that allows no inline script', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeTruthy();
  });
});

describe('NUL characters', () => {
  it('are refused in query strings and bodies on every dialect, with a Chinese problem', async () => {
    const auditor = await signedIn(env.app, 'auditor', '10.2.0.7');
    const q = await auditor.get('/api/v1/audit?action=%00');
    expect(q.statusCode).toBe(400);
    expect(q.json().detail).toMatch(/空字符/);
    const b = await admin.post('/api/v1/orgs', { parentId, name: 'a\u0000b', type: 'department' });
    expect(b.statusCode).toBe(400);
  });
});
