import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createOrgBody,
  importResultSchema,
  loginBody,
  OTP_PATTERN,
  REGION_CODE_PATTERN,
  totpEnableBody,
  transferListQuery,
} from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(web, 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}
const files = sources(src).map((p) => ({ rel: path.relative(src, p), text: fs.readFileSync(p, 'utf8') }));

/** The web app's contract with the API (docs/architecture.md): one place for API calls, rules from the schemas. */
describe('the web app takes its contract from @shuangyong/shared', () => {
  it('calls the API only from src/api', () => {
    const outside = files.filter(
      (f) => !f.rel.startsWith(`api${path.sep}`) && /\b(api\.(get|post|put|patch|delete)|request)\s*</.test(f.text),
    );
    expect(outside.map((f) => f.rel)).toEqual([]);
    // the check sees the calls where they are
    expect(files.some((f) => f.rel === path.join('api', 'events.ts') && /api\.get\s*</.test(f.text))).toBe(true);
  });

  it('declares no form rule pattern of its own (the schemas export them)', () => {
    const own = files.filter((f) => /pattern:\s*\//.test(f.text));
    expect(own.map((f) => f.rel)).toEqual([]);
  });

  it('imports only the packages its package.json declares', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(web, 'package.json'), 'utf8'));
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
    const used = new Set<string>();
    for (const f of files)
      for (const m of f.text.matchAll(
        /^(?:(?:import|export|\})[^'\n]*?\bfrom\s+|import\s+)'([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm,
      )) {
        const spec = (m[1] ?? m[2]) as string;
        if (spec.startsWith('virtual:') || spec.startsWith('node:')) continue;
        used.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
      }
    expect([...used].filter((d) => !declared.has(d)).sort()).toEqual([]);
    for (const d of ['antd', 'dayjs', 'react', '@tanstack/react-query', '@shuangyong/shared'])
      expect(used).toContain(d);
    // the one virtual module comes from a declared plugin
    expect(declared.has('vite-plugin-pwa')).toBe(true);
  });

  it('the shared patterns are the ones the server validates with', () => {
    for (const otp of ['123456', '12345', '1234567', '12a456']) {
      expect(OTP_PATTERN.test(otp)).toBe(loginBody.safeParse({ username: 'u', password: 'p', otp }).success);
      expect(OTP_PATTERN.test(otp)).toBe(totpEnableBody.safeParse({ otp }).success);
    }
    const org = { parentId: '00000000-0000-7000-8000-000000000000', name: '某街道', type: 'street' };
    for (const regionCode of ['650203', '650203001', '650203001001', '65020', '6502030011']) {
      const parsed = createOrgBody.safeParse({ ...org, regionCode });
      const issue = parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'regionCode');
      expect(REGION_CODE_PATTERN.test(regionCode)).toBe(!issue);
    }
  });

  it('an import job result and the transfers filter are the schemas the pages read', () => {
    const result = {
      total: 3,
      created: 1,
      updated: 1,
      unchanged: 0,
      duplicates: 0,
      invalid: 1,
      otherDistrict: 0,
      otherDistricts: [],
      errors: [{ row: 4, field: 'idNumber', message: '身份证号校验位不正确', kind: 'invalid' }],
      errorCount: 1,
      errorsTruncated: false,
    };
    expect(importResultSchema.parse(result)).toEqual(result);
    // a result of before the grade changes were counted still reads; a count is a whole number
    expect(importResultSchema.parse({ ...result, gradeChanges: 2 }).gradeChanges).toBe(2);
    expect(importResultSchema.safeParse({ ...result, gradeChanges: 1.5 }).success).toBe(false);
    expect(importResultSchema.safeParse({ ...result, errors: [{ ...result.errors[0], kind: 'other' }] }).success).toBe(
      false,
    );
    expect(transferListQuery.parse({ page: '2', pageSize: '10', status: 'pending' })).toEqual({
      page: 2,
      pageSize: 10,
      status: 'pending',
    });
    expect(transferListQuery.safeParse({ status: 'lost' }).success).toBe(false);
  });
});
