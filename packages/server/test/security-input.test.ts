import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Issue 13, items 8 and 13: bidi overrides and lone surrogates are refused in every free-text
 * field by the shared layer (not per module); validation messages are built from the field's
 * name in the catalogue.
 */
let env: TestEnv;
let unit1: Client;
let klmy: Client;
let community: string;

beforeAll(async () => {
  env = await testEnv();
  unit1 = await signedIn(env.app, 'unit1', '10.13.5.1');
  klmy = await signedIn(env.app, 'klmy', '10.13.5.2');
  community = await orgId(env.p, '650200/650203/650203001/650203001001/');
});
afterAll(async () => env?.close());

const need = (title: string) => ({ title, description: '两名军人子女需在开学前安排就近入学', category: 'schooling' });

describe('unsafe text is refused everywhere (item 8)', () => {
  it('refuses bidi overrides and isolates in a need title, a person name, a note and a query string', async () => {
    for (const ch of ['\u202E', '\u202A', '\u2066', '\u2069']) {
      const res = await unit1.post('/api/v1/needs', need(`入学${ch}exe.pdf`));
      expect(res.statusCode, JSON.stringify(ch)).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ path: 'body.title' });
      expect(res.json().errors[0].message).toContain('标题');
    }
    const person = await klmy.post('/api/v1/beneficiaries', {
      orgId: community,
      name: '张三',
      idNumber: makeId('650203', '1950-01-01', 300),
      categories: [{ code: 'veteran', startDate: '1975-01-01' }],
      note: '正常\u202E备注',
    });
    expect(person.statusCode).toBe(400);
    expect(person.json().errors[0].path).toBe('body.note');
    const list = await klmy.get(`/api/v1/beneficiaries?q=${encodeURIComponent('张\u202E三')}`);
    expect(list.statusCode).toBe(400);
    expect(list.json().errors[0].path).toBe('query.q');
  });

  it('refuses lone surrogates (sent as JSON escapes) but keeps real astral characters and Uyghur text', async () => {
    const lone = await unit1.request(
      'POST',
      '/api/v1/needs',
      '{"title":"入学\\ud800","description":"说明文字","category":"schooling"}',
      {
        'content-type': 'application/json',
      },
    );
    expect(lone.statusCode).toBe(400);
    expect(lone.json().code).toBe('validation_failed');
    const low = await unit1.request(
      'POST',
      '/api/v1/needs',
      '{"title":"\\udc00入学","description":"说明文字","category":"schooling"}',
      {
        'content-type': 'application/json',
      },
    );
    expect(low.statusCode).toBe(400);
    const ok = await unit1.post('/api/v1/needs', need('𠀀字与 ئۇيغۇر تىلى 入学'));
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().title).toBe('𠀀字与 ئۇيغۇر تىلى 入学');
  });
});

describe('validation messages a clerk can read (item 13)', () => {
  it('names the field and the limit, in words', async () => {
    const long = await klmy.post('/api/v1/beneficiaries', {
      orgId: community,
      name: '张'.repeat(65),
      idNumber: makeId('650203', '1950-01-01', 302),
      categories: [{ code: 'veteran', startDate: '1975-01-01' }],
    });
    expect(long.statusCode).toBe(400);
    const messages = long.json().errors.map((e: { message: string }) => e.message);
    expect(messages).toContain('姓名最多 64 个字');
    const extra = await klmy.post('/api/v1/beneficiaries', {
      orgId: community,
      name: '张三',
      idNumber: makeId('650203', '1950-01-01', 304),
      categories: [{ code: 'veteran', startDate: '1975-01-01' }],
      isAdmin: true,
    });
    expect(extra.json().errors.map((e: { message: string }) => e.message)).toContain('不支持的字段：isAdmin');
    const page = await klmy.get('/api/v1/beneficiaries?page=abc');
    expect(page.statusCode).toBe(400);
    expect(page.json().errors[0].message).toBe('页码应填数字');
    const missing = await unit1.post('/api/v1/needs', { description: '说明', category: 'schooling' });
    expect(missing.json().errors.map((e: { message: string }) => e.message)).toContain('标题必须填写');
    for (const res of [long, extra, page, missing])
      for (const e of res.json().errors as { message: string }[]) {
        expect(e.message).not.toMatch(/期望|实际接收|string|number|<=|>=/);
        expect(e.message).toMatch(/[\u4e00-\u9fff]/);
      }
  });
});
