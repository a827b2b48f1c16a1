import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText } from './fixtures/messy-sheets.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Issue 13, items 5, 14 and 15: 备注 is imported (formula-like text round-trips and is escaped on
 * export); unchanged rows write nothing and say so, a real update bumps `version`; the error list
 * says when it stops at 500.
 */
let env: TestEnv;
let klmy: Client;
let district: string;

const A = makeId('650203', '1950-03-05', 200);
const B = makeId('650203', '1951-04-06', 202);
const C = makeId('650203', '1952-05-07', 204);
const FORMULA = '=HYPERLINK("http://example.invalid","点我")';
const HEADER = ['姓名', '身份证号', '联系电话', '人员类别', '家庭住址', '备注'];

async function importRows(rows: string[][], commit = true) {
  const data = Buffer.from(csvText([HEADER, ...rows]), 'utf8');
  const res = await klmy.request('POST', `/api/v1/beneficiaries/imports?orgId=${district}&fileName=roster.csv`, data, {
    'content-type': 'application/octet-stream',
  });
  expect(res.statusCode, res.body).toBe(202);
  await env.jobs.idle();
  const id = res.json().id as string;
  const validated = (await klmy.get(`/api/v1/jobs/${id}`)).json();
  expect(validated.status, validated.error).toBe('validated');
  if (!commit) return validated.result;
  if (validated.result.created + validated.result.updated > 0) {
    expect((await klmy.post(`/api/v1/jobs/${id}/commit`)).statusCode).toBe(202);
    await env.jobs.idle();
  }
  return validated.result;
}

const stored = (idMaskedEnd: string) =>
  env.p.handle.db
    .selectFrom('beneficiaries')
    .select(['id', 'note', 'version', 'updated_at', 'phone_masked'])
    .where('id_masked', 'like', `%${idMaskedEnd}`)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.13.4.1');
  district = await orgId(env.p, '650200/650203/');
});
afterAll(async () => env?.close());

describe('roster import: notes, unchanged rows, truncated errors', () => {
  it('imports 备注, keeps formula-like remarks as written and escapes them on export (item 5)', async () => {
    const r = await importRows([
      ['张一', A, '13912340001', '烈属', '友谊路1号', '老党员'],
      ['张二', B, '13912340002', '烈属', '友谊路2号', FORMULA],
      // a cell as our export writes it ('=…) comes back without the apostrophe
      ['张三', C, '13912340003', '烈属', '友谊路3号', "'=1+2"],
    ]);
    expect(r.created).toBe(3);
    expect((await stored(A.slice(-4))).note).toBe('老党员');
    expect((await stored(B.slice(-4))).note).toBe(FORMULA);
    expect((await stored(C.slice(-4))).note).toBe('=1+2');
    const detail = await klmy.get(`/api/v1/beneficiaries/${(await stored(B.slice(-4))).id}`);
    expect(detail.json().note).toBe(FORMULA);

    const res = await klmy.post('/api/v1/beneficiaries/export', {});
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).map(String);
    const noteCol = header.indexOf('备注');
    const notes: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) notes.push(String(row.getCell(noteCol).value ?? ''));
    });
    expect(notes).toContain(`'${FORMULA}`);
    expect(notes).toContain("'=1+2");
    expect(notes).toContain('老党员');
    for (const n of notes) expect(n.startsWith('=')).toBe(false);
    // what the export wrote, imported again, is what was stored: nothing changes
    const again = await importRows(
      [
        ['张二', B, '13912340002', '烈属', '友谊路2号', `'${FORMULA}`],
        ['张三', C, '13912340003', '烈属', '友谊路3号', "'=1+2"],
      ],
      false,
    );
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it('reports unchanged rows as unchanged and writes nothing; a real update bumps version (item 14)', async () => {
    const before = await stored(A.slice(-4));
    const audits = async () =>
      (await env.p.handle.db.selectFrom('audit_log').select('id').where('action', '=', 'beneficiary.import').execute())
        .length;
    const auditsBefore = await audits();
    const same = await importRows([
      ['张一', A, '13912340001', '烈属', '友谊路1号', '老党员'],
      ['张二', B, '13912340002', '烈属', '', ''],
    ]);
    expect(same).toMatchObject({ created: 0, updated: 0, unchanged: 2, duplicates: 0 });
    const after = await stored(A.slice(-4));
    expect(after.version).toBe(before.version);
    expect(after.updated_at).toBe(before.updated_at);
    expect(await audits()).toBe(auditsBefore);

    const changed = await importRows([['张一', A, '13800009999', '烈属', '友谊路1号', '老党员，已迁居']]);
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const updated = await stored(A.slice(-4));
    expect(updated.version).toBe(before.version + 1);
    expect(updated.phone_masked).toBe('138****9999');
    expect(updated.note).toBe('老党员，已迁居');
    expect(await audits()).toBe(auditsBefore + 1);
  });

  it('says when the error list stops at 500, with the total (item 15)', async () => {
    const rows = Array.from({ length: 620 }, (_, i) => [
      `错号${i}`,
      `65020319500101${String(i).padStart(4, '0')}`,
      '',
      '烈属',
      '',
      '',
    ]);
    const r = await importRows(rows, false);
    expect(r.invalid).toBe(620);
    expect(r.errors).toHaveLength(500);
    expect(r.errorCount).toBeGreaterThanOrEqual(620); // one or more per row
    expect(r.errorsTruncated).toBe(true);
    const small = await importRows([['错号', '650203195001010000', '', '烈属', '', '']], false);
    expect(small.errorsTruncated).toBe(false);
    expect(small.errorCount).toBe(small.errors.length);
  });
});
