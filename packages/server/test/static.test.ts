import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestEnv, testEnv } from './helpers.js';

let env: TestEnv;
const BIG = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word${i}`))};\n`;
const web = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-web-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(web, 'assets'));
  fs.writeFileSync(
    path.join(web, 'index.html'),
    '<!doctype html><title>双拥工作平台</title><script type="module" src="/assets/app-1.js"></script>',
  );
  fs.writeFileSync(path.join(web, 'assets', 'app-1.js'), 'console.log(1)');
  fs.writeFileSync(path.join(web, 'sw.js'), 'self.skipWaiting()');
  // a bundle as the web build leaves it: beside it its brotli and gzip copies (precompress.mjs)
  fs.writeFileSync(path.join(web, 'assets', 'big-2.js'), BIG);
  fs.writeFileSync(path.join(web, 'assets', 'big-2.js.br'), brotliCompressSync(BIG));
  fs.writeFileSync(path.join(web, 'assets', 'big-2.js.gz'), gzipSync(BIG));
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
    const top = await env.app.inject({ method: 'GET', url: '/sw.js' });
    expect(top.statusCode).toBe(200);
    expect(top.body).toBe('self.skipWaiting()');
    expect(top.headers['cache-control']).toBe('no-cache');
    const root = await env.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('双拥工作平台');
  });

  it('sends the precompressed copy the browser accepts, and the file itself to one that accepts neither', async () => {
    const get = (encoding?: string) =>
      env.app.inject({
        method: 'GET',
        url: '/assets/big-2.js',
        headers: encoding === undefined ? {} : { 'accept-encoding': encoding },
      });
    const br = await get('gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG);
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(String(gz.headers.vary)).toMatch(/accept-encoding/i);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(BIG);
    for (const plain of [await get('identity'), await get()]) {
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(String(plain.headers.vary)).toMatch(/accept-encoding/i);
      expect(plain.body).toBe(BIG);
    }
  });

  it('answers a missing asset with 404, not the page', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/assets/app-0.js' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    // a path that climbs out of assets/ is refused, not served
    const outside = await env.app.inject({ method: 'GET', url: '/assets/..%2findex.html' });
    expect(outside.statusCode).toBe(403);
    expect(outside.body).not.toContain('双拥工作平台');
  });

  it('does not rate-limit reloading pages of the app', async () => {
    for (let i = 0; i < 70; i++) {
      const res = await env.app.inject({ method: 'GET', url: `/orgs?i=${i}`, remoteAddress: '10.11.0.1' });
      expect(res.statusCode).toBe(200);
    }
  });
});
