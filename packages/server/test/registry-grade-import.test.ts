import { t } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { GRADE_IMPORT_HEADER, importRegister, makeId } from './registry-fixtures.js';

/**
 * The register's xlsx import records a grade change (decisions/0065) as the person's form does: a
 * registered person's row whose 伤残等级 differs from the grade in force, with 等级调整决定日期 and
 * 等级调整文号, is a change with its back pay / overpaid months; without them the row is refused on
 * the dry run's report; an export read back records nothing. Hand-computed, in 白碱滩区 over 2025:
 *
 * | person | in force | paid 2025-01…06 | file                                   | after the commit |
 * |--------|----------|-----------------|----------------------------------------|------------------|
 * | K      | 3级      | 500,000 / month | 五级, 2025-02-10, 白退役〔2025〕13号  | 5级 from 2025-03: 2025-03…06 overpaid 4 × 200,000 |
 * | L      | 6级 因战 | 300,000 / month | 四级 因战, no decision                 | refused, still 6级 |
 */
let env: TestEnv;
let city: Client;
let bjt: Client;
const BJT = '650200/650204/650204001/650204001001/';
let district: string;
const people: Record<string, { id: string; idNumber: string }> = {};

async function person(key: string, seq: number, grade: number, cause?: string) {
  const idNumber = makeId('650204', '1956-07-01', seq);
  const res = await bjt.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, BJT),
    name: `等级导入${key}`,
    idNumber,
    categories: [
      {
        code: 'disabled_veteran',
        startDate: '2010-01-01',
        disabilityGrade: grade,
        ...(cause ? { disabilityCause: cause } : {}),
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = { id: res.json().id, idNumber };
}

async function standard(body: object) {
  const res = await city.post('/api/v1/benefit-standards', {
    layer: 'national',
    docNo: '民发〔2025〕1号',
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    validFrom: '2025-01',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function release(period: string) {
  const r = (await bjt.post('/api/v1/benefit-rosters', { period })).json();
  expect((await bjt.post(`/api/v1/benefit-rosters/${r.id}/request`, { version: r.version })).statusCode).toBe(200);
  const ok = await city.post(`/api/v1/benefit-rosters/${r.id}/decision`, { version: 2, decision: 'approve' });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json() as { totalFen: number };
}

const HEADER = GRADE_IMPORT_HEADER;

const dryRun = (header: string[], rows: string[][]) => importRegister(env, bjt, district, header, rows);

const grade = async (key: string) =>
  (await bjt.get(`/api/v1/beneficiaries/${people[key]!.id}`)).json().assignments[0] as {
    disabilityGrade: number;
    disabilityCause: string | null;
  };
const history = async (key: string) =>
  (
    (await bjt.get(`/api/v1/beneficiaries/${people[key]!.id}/grade-changes`)).json().items as Record<string, unknown>[]
  ).map((c) => [c.effectiveDate, c.fromMonth, c.gradeFrom, c.gradeTo, c.documentNo]);

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.67.0.1');
  bjt = await signedIn(env.app, 'bjt', '10.67.0.2');
  district = await orgId(env.p, '650200/650204/');
  await standard({ gradeMin: 5, gradeMax: 6, amountFen: 300_000 });
  await standard({ gradeMin: 1, gradeMax: 4, amountFen: 500_000 });
  await person('K', 61, 3);
  await person('L', 63, 6, 'war');
  for (const m of ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'])
    expect((await release(m)).totalFen).toBe(800_000);
});
afterAll(async () => env?.close());

describe('a grade change by import', () => {
  it('records a differing grade with its decision as the form does; refuses one without a decision', async () => {
    const row = (key: string, g: string, cause: string, date: string, no: string) => [
      `等级导入${key}`,
      people[key]!.idNumber,
      '残疾军人',
      g,
      cause,
      date,
      no,
    ];
    const job = await dryRun(HEADER, [
      row('K', '五级', '', '2025-02-10', '白退役〔2025〕13号'),
      row('L', '四级', '因战', '', ''),
    ]);
    expect(job.status, JSON.stringify(job)).toBe('validated');
    expect(job.result).toMatchObject({ total: 2, updated: 1, gradeChanges: 1, invalid: 1, unchanged: 0 });
    expect(job.result.errors).toEqual([
      { row: 3, field: '伤残等级', message: t('import.gradeNeedsDecision'), kind: 'invalid' },
    ]);
    // the dry run wrote nothing; its report lists the refused row with the reason
    expect((await grade('K')).disabilityGrade).toBe(3);
    const report = await bjt.get(`/api/v1/jobs/${job.id}/error-report`);
    expect(report.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(report.rawPayload as unknown as ArrayBuffer);
    const reportRows = wb.worksheets[0]!.rowCount - 1;
    expect(reportRows).toBe(1);
    expect(String(wb.worksheets[0]!.getRow(2).values)).toContain('等级调整决定日期和等级调整文号');

    expect((await bjt.post(`/api/v1/jobs/${job.id}/commit`)).statusCode).toBe(202);
    await env.jobs.idle();
    const done = (await bjt.get(`/api/v1/jobs/${job.id}`)).json();
    expect(done.status, JSON.stringify(done)).toBe('succeeded');
    expect(done.result).toMatchObject({ updated: 1, gradeChanges: 1, invalid: 1 });
    // K: 3级 → 5级 from the month after the decision; L untouched
    expect(await grade('K')).toMatchObject({ disabilityGrade: 5 });
    expect(await history('K')).toEqual([['2025-02-10', '2025-03', 3, 5, '白退役〔2025〕13号']]);
    expect(await grade('L')).toMatchObject({ disabilityGrade: 6, disabilityCause: 'war' });
    expect(await history('L')).toEqual([]);
    // audited as the form's change, in the person's history
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'beneficiary.gradeChange')
      .execute();
    expect(audit).toEqual([{ action: 'beneficiary.gradeChange', entity_id: people.K!.id }]);
    // the overpaid months: 2025-03…06 paid 500,000 where 300,000 is due now
    const backpay = await env.p.handle.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'benefit.backpay.grade')
      .execute();
    expect(backpay).toHaveLength(1);
    const bp = (await bjt.get(`/api/v1/jobs/${backpay[0]!.id}`)).json();
    expect(bp).toMatchObject({ status: 'succeeded' });
    expect(bp.result).toMatchObject({ lines: 0, owedFen: 0, overpaidCases: 4, overpaidFen: 800_000 });
    const cases = (await bjt.get('/api/v1/benefit-discrepancies?kind=grade_overpaid&pageSize=50')).json().items as {
      name: string;
      month: string;
      expectedFen: number;
      paidFen: number;
    }[];
    expect(cases.map((c) => [c.name, c.month, c.expectedFen, c.paidFen]).sort()).toEqual([
      ['等级导入K', '2025-03', 300_000, 500_000],
      ['等级导入K', '2025-04', 300_000, 500_000],
      ['等级导入K', '2025-05', 300_000, 500_000],
      ['等级导入K', '2025-06', 300_000, 500_000],
    ]);
  });

  it('refuses a decision the form would refuse (dated before the last change), with the reason', async () => {
    const job = await dryRun(HEADER, [
      ['等级导入K', people.K!.idNumber, '残疾军人', '四级', '', '2025-01-05', '白退役〔2025〕2号'],
    ]);
    expect(job.result).toMatchObject({ gradeChanges: 0, invalid: 1 });
    expect(job.result.errors).toEqual([
      {
        row: 2,
        field: '等级调整决定日期',
        message: t('beneficiary.gradeChange.order', { date: '2025-02-10' }),
        kind: 'invalid',
      },
    ]);
  });

  it('an export read back records nothing', async () => {
    const res = await bjt.post('/api/v1/beneficiaries/export', { reveal: true, reason: '等级核对' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push(Array.from((r.values as unknown[]).slice(1), (x) => String(x ?? ''))));
    const [header, ...data] = rows;
    expect(data).toHaveLength(2);
    const job = await dryRun(header!, data);
    expect(job.status, JSON.stringify(job.result)).toBe('validated');
    expect(job.result).toMatchObject({ unchanged: 2, updated: 0, gradeChanges: 0, invalid: 0 });
    expect((await bjt.post(`/api/v1/jobs/${job.id}/commit`)).statusCode).toBe(202);
    await env.jobs.idle();
    expect(await history('K')).toHaveLength(1);
    expect((await grade('K')).disabilityGrade).toBe(5);
  });
});
