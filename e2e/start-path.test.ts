import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the built server loads before it is ready (docs/decisions/0063): the document writers, the
// chart renderer, the zip writer, the spreadsheet and text-decoding packages and the name
// dictionaries load where they are first used, never on the start-up path. The server runs with a
// preload that records every module it resolves (fixtures/record-loads.mjs).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(root, 'packages/server/dist/cli.js');
const RECORDER = path.join(root, 'e2e/fixtures/record-loads.mjs');

/**
 * Packages bundled into the server's own files (packages/server/build.mjs, decisions/0068 and 0072):
 * read from node_modules file by file, they were ~440 of the start-up's ~2,200 files (0068), then
 * Fastify, its plugins and their dependencies ~330 of the remaining ~450 files opened (0072).
 */
const BUNDLED = [
  'kysely',
  'zod',
  'fastify-type-provider-zod',
  'prom-client',
  '@opentelemetry/api',
  'fastify',
  'avvio',
  'find-my-way',
  'pino',
  'semver',
  '@fastify/cookie',
  '@fastify/helmet',
  '@fastify/rate-limit',
  '@fastify/static',
  'glob',
];

/** Packages that must not load before /readyz answers 200. */
const LATER = [
  'docx',
  'pdfkit',
  'fontkit',
  'echarts',
  'zrender',
  '@resvg/resvg-js',
  'archiver',
  'exceljs',
  'csv-parse',
  'iconv-lite',
  'jpeg-js',
  'pngjs',
  'sharp',
  'pg',
  'opencc-js',
  'pinyin-pro',
  '@fastify/ajv-compiler',
  'ajv',
  // the OpenAPI document and its UI, built at their first request (decisions/0068)
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'yaml',
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-start-path-'));
const log = path.join(dir, 'loads.txt');
let server: ChildProcess | undefined;
let base = '';
let loaded: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The packages among the loaded files (node_modules/<name> or node_modules/@scope/<name>). */
const packagesOf = (files: string[]) =>
  new Set(files.flatMap((f) => [...f.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]!)));

beforeAll(async () => {
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: npm run build first`);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    ['--import', RECORDER, SERVER, 'serve', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: { ...process.env, DATA_DIR: dir, SY_LOAD_LOG: log, LOG_LEVEL: 'warn', DEMO: '0' },
      stdio: 'ignore',
    },
  );
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  loaded = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
});

afterAll(() => {
  server?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the start-up path of the built server', () => {
  it('loads the server and its database driver (the recorder sees them)', () => {
    const packages = packagesOf(loaded);
    expect(packages).toContain('better-sqlite3');
    expect(loaded.some((f) => f.endsWith('/packages/server/dist/cli.js'))).toBe(true);
  });

  it('reads none of the bundled packages from node_modules', () => {
    const packages = packagesOf(loaded);
    expect(BUNDLED.filter((p) => packages.has(p))).toEqual([]);
  });

  it('loads none of the packages that only some requests need', () => {
    const packages = packagesOf(loaded);
    expect(LATER.filter((p) => packages.has(p))).toEqual([]);
  });
});

describe('what the built server makes at first use', () => {
  it('answers a bad body with the 400 problem and the zh-CN messages of zod (the bundle keeps that locale)', async () => {
    const res = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 12, password: 'x' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors[0]?.path).toBe('body.username');
    expect(body.errors[0]?.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers HEAD like GET (the HEAD routes of the bundled Fastify)', async () => {
    const head = await fetch(`${base}/readyz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers /metrics with the default metrics and the request durations (prom-client bundled)', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/readyz"/);
  });

  it('builds the OpenAPI document and its UI at their first request', async () => {
    const doc = await fetch(`${base}/api/openapi.json`);
    expect(doc.status).toBe(200);
    const body = (await doc.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(body.openapi).toMatch(/^3\./);
    expect(body.paths['/api/v1/auth/login']?.post).toBeTruthy();
    expect(Object.keys(body.paths).some((p) => p.startsWith('/api/docs') || p === '/readyz')).toBe(false);
    const ui = await fetch(`${base}/api/docs/`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(await ui.text()).toContain('swagger');
  });
});
