import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { importRegister, makeId } from './registry-fixtures.js';

/**
 * The disability grade history (decisions/0056) in the register's xlsx and in merges
 * (decisions/0065): the export carries the grade in force and its last decision, and the file read
 * back changes nothing; a merge keeps both records' histories and its undo takes back exactly what
 * it copied.
 */
let env: TestEnv;
let klmy: Client;
let community: string;
let district: string;

async function person(name: string, seq: number, categories: unknown[]) {
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name,
    idNumber: makeId('650203', '1958-04-01', seq),
    categories,
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...(res.json() as { id: string; version: number }), idNumber: makeId('650203', '1958-04-01', seq) };
}

const disabled = (grade: number, cause = 'war') => [
  { code: 'disabled_veteran', startDate: '2015-06-01', disabilityGrade: grade, disabilityCause: cause },
];

async function change(p: { id: string }, effectiveDate: string, disabilityGrade: number, documentNo: string) {
  const version = (await klmy.get(`/api/v1/beneficiaries/${p.id}`)).json().version;
  const res = await klmy.post(`/api/v1/beneficiaries/${p.id}/grade-changes`, {
    version,
    code: 'disabled_veteran',
    effectiveDate,
    disabilityGrade,
    documentNo,
  });
  expect(res.statusCode, res.body).toBe(201);
}

const history = async (id: string) =>
  (
    (await klmy.get(`/api/v1/beneficiaries/${id}/grade-changes`)).json().items as {
      effectiveDate: string;
      gradeFrom: number;
      gradeTo: number;
      documentNo: string;
      mergedFromId?: string | null;
    }[]
  ).map((c) => [c.effectiveDate, c.gradeFrom, c.gradeTo, c.documentNo, c.mergedFromId ?? null]);

let v: { id: string; idNumber: string };

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.65.0.1');
  community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  district = await orgId(env.p, '650200/650203/');
  v = await person('等级导出甲', 41, disabled(6));
  await change(v, '2020-03-01', 5, '克退役〔2020〕3号');
  await person('等级导出乙', 43, disabled(4, 'duty'));
});
afterAll(async () => env?.close());

async function exported() {
  const res = await klmy.post('/api/v1/beneficiaries/export', { reveal: true, reason: '等级核对' });
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push(Array.from((r.values as unknown[]).slice(1), (x) => String(x ?? ''))));
  return rows;
}

const importSheet = (header: string[], rows: string[][]) =>
  importRegister(env, klmy, district, header, rows, '等级.xlsx');

describe('grade history in the xlsx and in merges', () => {
  it('exports the grade in force, its 性质 and its last decision; the file imported back changes nothing', async () => {
    const rows = await exported();
    const header = rows[0]!;
    const col = (h: string) => header.indexOf(h);
    for (const h of ['伤残等级', '伤残性质', '等级调整决定日期', '等级调整文号']) expect(col(h), h).toBeGreaterThan(-1);
    const row = (name: string) => rows.find((r) => r[col('姓名')] === name)!;
    const pick = (r: string[]) =>
      ['伤残等级', '伤残性质', '等级调整决定日期', '等级调整文号'].map((h) => r[col(h)] ?? '');
    expect(pick(row('等级导出甲'))).toEqual(['五级', '因战', '2020-03-01', '克退役〔2020〕3号']);
    expect(pick(row('等级导出乙'))).toEqual(['四级', '因公', '', '']);
    // the export read back: same grades, nothing to record
    const again = await importSheet(header, [row('等级导出甲'), row('等级导出乙')]);
    expect(again.status, JSON.stringify(again.result)).toBe('validated');
    expect(again.result).toMatchObject({ updated: 0, unchanged: 2, invalid: 0 });
  });

  it('a merge keeps both histories; undoing it takes back the copied changes', async () => {
    // the survivor lacked the category: it comes with its history
    const a = await person('合并甲', 51, [{ code: 'veteran', startDate: '1980-01-01' }]);
    const b = await person('合并乙', 53, disabled(6));
    await change(b, '2019-01-10', 5, '克退役〔2019〕2号');
    const m1 = await klmy.post(`/api/v1/beneficiaries/${a.id}/merge`, { mergedId: b.id });
    expect(m1.statusCode, m1.body).toBe(200);
    expect(await history(a.id)).toEqual([['2019-01-10', 6, 5, '克退役〔2019〕2号', null]]);
    // both held it: the survivor's changes stand, the merged record's are listed with it
    const c = await person('合并丙', 55, disabled(6));
    await change(c, '2021-06-01', 4, '克退役〔2021〕6号');
    const d = await person('合并丁', 57, disabled(7));
    await change(d, '2018-02-01', 6, '克退役〔2018〕4号');
    const m2 = await klmy.post(`/api/v1/beneficiaries/${c.id}/merge`, { mergedId: d.id });
    expect(m2.statusCode, m2.body).toBe(200);
    expect(await history(c.id)).toEqual([
      ['2021-06-01', 6, 4, '克退役〔2021〕6号', null],
      ['2018-02-01', 7, 6, '克退役〔2018〕4号', d.id],
    ]);
    expect((await klmy.get(`/api/v1/beneficiaries/${c.id}`)).json().assignments[0].disabilityGrade).toBe(4);
    // undone: the copies go, each record has its own history again
    expect((await klmy.post(`/api/v1/merges/${m1.json().id}/undo`)).statusCode).toBe(200);
    expect(await history(a.id)).toEqual([]);
    expect(await history(b.id)).toEqual([['2019-01-10', 6, 5, '克退役〔2019〕2号', null]]);
    expect((await klmy.post(`/api/v1/merges/${m2.json().id}/undo`)).statusCode).toBe(200);
    expect(await history(c.id)).toEqual([['2021-06-01', 6, 4, '克退役〔2021〕6号', null]]);
  });
});
