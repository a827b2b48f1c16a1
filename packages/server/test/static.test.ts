import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
const web = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-web-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(web, 'assets'));
  fs.writeFileSync(
    path.join(web, 'index.html'),
    '<!doctype html><title>双拥工作平台</title><script type="module" src="/assets/app-1.js"></script>',
  );
  fs.writeFileSync(path.join(web, 'assets', 'app-1.js'), 'console.log(1)');
  env = await testEnv({ webDir: web });
});
afterAll(async () => {
  await env?.close();
  fs.rmSync(web, { recursive: true, force: true });
});

describe('the built web app', () => {
  it('serves hashed assets as immutable and index.html as no-cache, with the app routes falling back to it', async () => {
    const asset = await env.app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const page = await env.app.inject({ method: 'GET', url: '/beneficiaries/123' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body).toContain('双拥工作平台');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers a missing asset with 404, not the page', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/assets/app-0.js' });
    expect(res.statusCode).toBe(404);
  });

  it('does not rate-limit reloading pages of the app', async () => {
    for (let i = 0; i < 70; i++) {
      const res = await env.app.inject({ method: 'GET', url: `/orgs?i=${i}`, remoteAddress: '10.11.0.1' });
      expect(res.statusCode).toBe(200);
    }
  });
});
