import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanFileName, MAX_IMAGE_PIXELS } from '../src/platform/files/index.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { gradientPng, withSize } from './photo-fixtures.js';

/**
 * Issue 13, items 6 and 7: every upload route passes the same pixel limit and the same file-name
 * cleaning (platform/files/upload.ts).
 */
let env: TestEnv;
let unit1: Client;
let city: Client;

beforeAll(async () => {
  env = await testEnv();
  unit1 = await signedIn(env.app, 'unit1', '10.13.6.1');
  city = await signedIn(env.app, 'city', '10.13.6.2');
});
afterAll(async () => env?.close());

const bomb = () => withSize(gradientPng(8, 8), 30000, 30000);
const png = { 'content-type': 'application/octet-stream' };

async function need() {
  const res = await unit1.post('/api/v1/needs', {
    title: '上传测试',
    description: '两名军人子女需在开学前安排就近入学',
    category: 'schooling',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function campaign() {
  const res = await city.post('/api/v1/campaigns', {
    title: '上传测试部署',
    issuers: ['克拉玛依市退役军人事务局'],
    items: [
      {
        ordinal: 1,
        title: '事项',
        tasks: [
          { title: '任务', deadline: '2030-01-20', assignTo: { orgIds: [await orgId(env.p, '650200/650202/')] } },
        ],
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

describe('one upload pipeline (items 6 and 7)', () => {
  it('refuses a PNG declaring 30000×30000 on need attachments and campaign files, as on photos', async () => {
    expect(30000 * 30000).toBeGreaterThan(MAX_IMAGE_PIXELS);
    const id = await need();
    const a = await unit1.request('POST', `/api/v1/needs/${id}/attachments?fileName=a.png`, bomb(), png);
    expect(a.statusCode).toBe(400);
    expect(a.json().code).toBe('image_dimensions');
    expect(a.json().detail).toContain('30000×30000');
    const ok = await unit1.request('POST', `/api/v1/needs/${id}/attachments?fileName=a.png`, gradientPng(8, 8), png);
    expect(ok.statusCode, ok.body).toBe(201);
    const c = await campaign();
    const f = await city.request('POST', `/api/v1/campaigns/${c}/files?fileName=a.png`, bomb(), png);
    expect(f.statusCode).toBe(400);
    expect(f.json().code).toBe('image_dimensions');
    expect(f.json().detail).toBe(a.json().detail);
  });

  it('cleans file names the same way on every route: bidi controls, reserved names, folders', async () => {
    const id = await need();
    const up = await unit1.request(
      'POST',
      `/api/v1/needs/${id}/attachments?fileName=${encodeURIComponent('..\\..\\证明\u202Efdp.exe')}`,
      gradientPng(8, 8),
      png,
    );
    // the bidi override is refused outright in any request string (item 8)
    expect(up.statusCode).toBe(400);
    const c = await campaign();
    for (const [sent, stored] of <[string, string][]>[
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\x\\证明.png', '证明.png'],
      ['CON.png', '_CON.png'],
      ['nul', '_nul'],
    ]) {
      const n = await unit1.request(
        'POST',
        `/api/v1/needs/${id}/attachments?fileName=${encodeURIComponent(sent)}`,
        gradientPng(8, 8),
        png,
      );
      expect(n.statusCode, `${sent}: ${n.body}`).toBe(201);
      expect(n.json().fileName, sent).toBe(stored);
      const f = await city.request(
        'POST',
        `/api/v1/campaigns/${c}/files?fileName=${encodeURIComponent(sent)}`,
        gradientPng(8, 8),
        png,
      );
      expect(f.statusCode, `${sent}: ${f.body}`).toBe(201);
      expect(f.json().name, sent).toBe(stored);
    }
    const a = await unit1.request(
      'POST',
      `/api/v1/needs/${id}/attachments?fileName=${encodeURIComponent('../..')}`,
      gradientPng(8, 8),
      png,
    );
    const b = await city.request(
      'POST',
      `/api/v1/campaigns/${c}/files?fileName=${encodeURIComponent('../..')}`,
      gradientPng(8, 8),
      png,
    );
    expect(a.statusCode).toBe(400);
    expect(b.statusCode).toBe(400);
    expect(a.json().detail).toBe(b.json().detail);
    expect(a.json().detail).toMatch(/[\u4e00-\u9fff]/);
  });

  it('audits each download of an attachment or a campaign file (item 2)', async () => {
    const id = await need();
    const att = await unit1.request('POST', `/api/v1/needs/${id}/attachments?fileName=a.png`, gradientPng(8, 8), png);
    expect(att.statusCode).toBe(201);
    const c = await campaign();
    const file = await city.request('POST', `/api/v1/campaigns/${c}/files?fileName=b.png`, gradientPng(8, 8), png);
    expect(file.statusCode).toBe(201);
    expect((await unit1.get(`/api/v1/needs/${id}/attachments/${att.json().id}`)).statusCode).toBe(200);
    expect((await city.get(`/api/v1/campaign-files/${file.json().id}`)).statusCode).toBe(200);
    const rows = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_name'])
      .where('action', '=', 'file.download')
      .execute();
    expect(rows).toContainEqual({ entity_id: att.json().id, actor_name: 'unit1' });
    expect(rows).toContainEqual({ entity_id: file.json().id, actor_name: 'city' });
  });

  it('cleanFileName strips every bidi control and isolate, controls and folder parts', () => {
    for (const ch of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])
      expect(cleanFileName(`证明${ch}fdp.exe`)).toBe('证明fdp.exe');
    expect(cleanFileName('a/b\\c\u0007.pdf')).toBe('c.pdf');
    expect(cleanFileName('LPT1.txt')).toBe('_LPT1.txt');
    expect(cleanFileName(' report. ')).toBe('report');
    expect(() => cleanFileName('\u202E')).toThrow();
  });
});
