import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findUnsafeText, isUnsafeText, readableIssue } from '../src/index.js';

z.config(z.locales.zhCN());

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return r.error.issues.map((i) => {
    let v: unknown = value;
    for (const seg of i.path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[seg] : undefined;
    return readableIssue(i as never, v);
  });
};

describe('unsafe text (issue 13 item 8)', () => {
  it('finds bidi controls and lone surrogates anywhere in a request, and nothing in normal text', () => {
    for (const s of [
      'a\u202Eb',
      '\u202A',
      '\u202B',
      '\u202C',
      '\u202D',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      'x\uD800',
      '\uDC00y',
      '\uDBFFz',
    ])
      expect(isUnsafeText(s), JSON.stringify(s)).toBe(true);
    for (const s of ['张三', '𠀀', '😀', 'ئۇيغۇر', 'Ab-12', '\u200F', ''])
      expect(isUnsafeText(s), JSON.stringify(s)).toBe(false);
    expect(findUnsafeText({ a: { b: ['ok', 'no\u202E'] } })).toEqual(['a', 'b', 1]);
    expect(findUnsafeText({ 'k\u2066': 1 })).toEqual(['k\u2066']);
    expect(findUnsafeText({ a: 'fine', n: 3, d: null })).toBeNull();
  });
});

describe('readable validation messages (issue 13 item 13)', () => {
  const body = z.strictObject({
    name: z.string().trim().min(1).max(64),
    page: z.coerce.number().int().min(1),
    tags: z.array(z.string()).max(2),
    category: z.enum(['a', 'b']),
    orgId: z.string().uuid(),
    title: z.string().min(1, { message: '通知标题不能为空' }),
  });
  const ok = {
    name: '张三',
    page: 1,
    tags: [],
    category: 'a',
    orgId: '0190a0b4-7d2b-7000-8000-000000000000',
    title: 'x',
  };

  it('says it with the field name and the limit', () => {
    expect(messages(body, { ...ok, name: '张'.repeat(65) })).toEqual(['姓名最多 64 个字']);
    expect(messages(body, { ...ok, name: '   ' })).toEqual(['姓名不能为空']);
    expect(messages(body, { ...ok, page: 'abc' })).toEqual(['页码应填数字']);
    expect(messages(body, { ...ok, page: 1.5 })).toEqual(['页码应填整数']);
    expect(messages(body, { ...ok, page: 0 })).toEqual(['页码不能小于 1']);
    expect(messages(body, { ...ok, tags: ['1', '2', '3'] })).toEqual(['标签最多 2 项']);
    expect(messages(body, { ...ok, category: 'z' })).toEqual(['类别只能从给定的选项中选择']);
    expect(messages(body, { ...ok, orgId: 'x' })).toEqual(['单位不是有效的编号']);
    expect(messages(body, { ...ok, isAdmin: true })).toEqual(['不支持的字段：isAdmin']);
    const { name: _n, ...noName } = ok;
    expect(messages(body, noName)).toEqual(['姓名必须填写']);
  });

  it('keeps a schema’s own message and never shows the library’s wording', () => {
    expect(messages(body, { ...ok, title: '' })).toEqual(['通知标题不能为空']);
    const all = messages(body, { name: 1, page: 'x', tags: 'y', category: 3, orgId: 4, title: 5, extra: 1 });
    expect(all.length).toBeGreaterThan(5);
    for (const m of all) expect(m).not.toMatch(/期望|实际接收|数值过|无效输入|string|number/);
  });
});
