import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { GRADE_IMPORT_HEADER, importRegister, makeId } from './registry-fixtures.js';

/**
 * Grade changes recorded late (decisions/0073): an import's changes are one back-pay job that
 * makes exactly what the form's jobs one by one make; a grade lowered again cuts the back pay of
 * an earlier upgrade still owed on no released roster instead of asking to recover it. Standards
 * of 残疾军人's 残疾抚恤金 over 2025: 5–6级 300,000, 4级 400,000, 1–3级 500,000 fen a month.
 */
let env: TestEnv;
let city: Client;
let bjt: Client;
let klmy: Client;
const BJT = '650200/650204/650204001/650204001001/';
const KLMY = '650200/650203/650203001/650203001001/';
const people: Record<string, { id: string; idNumber: string }> = {};
let seq = 0;

async function person(c: Client, org: string, key: string, grade: number) {
  const idNumber = makeId(org.split('/')[1]!, '1957-04-01', 400 + seq++ * 2);
  const res = await c.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, org),
    name: `补发${key}`,
    idNumber,
    categories: [{ code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: grade }],
  });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = { id: res.json().id, idNumber };
}

async function standard(gradeMin: number, gradeMax: number, amountFen: number) {
  const res = await city.post('/api/v1/benefit-standards', {
    layer: 'national',
    docNo: '民发〔2025〕1号',
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    validFrom: '2025-01',
    gradeMin,
    gradeMax,
    amountFen,
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function draft(c: Client, period: string) {
  const r = await c.post('/api/v1/benefit-rosters', { period });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; version: number; totalFen: number; lineCount: number };
}

async function release(c: Client, period: string) {
  const r = await draft(c, period);
  expect((await c.post(`/api/v1/benefit-rosters/${r.id}/request`, { version: r.version })).statusCode).toBe(200);
  const ok = await city.post(`/api/v1/benefit-rosters/${r.id}/decision`, { version: 2, decision: 'approve' });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json() as { id: string; totalFen: number };
}

/** A change through the person's form; waits for its back-pay job and answers its result. */
async function change(c: Client, key: string, effectiveDate: string, disabilityGrade: number, no: string) {
  const version = (await c.get(`/api/v1/beneficiaries/${people[key]!.id}`)).json().version;
  const res = await c.post(`/api/v1/beneficiaries/${people[key]!.id}/grade-changes`, {
    version,
    code: 'disabled_veteran',
    effectiveDate,
    disabilityGrade,
    documentNo: no,
  });
  expect(res.statusCode, res.body).toBe(201);
  await env.jobs.idle();
  const job = (await c.get(`/api/v1/jobs/${res.json().backPayJobId}`)).json();
  expect(job).toMatchObject({ kind: 'benefit.backpay.grade', status: 'succeeded' });
  return job.result as Record<string, number>;
}

/** What a person is owed (back-pay lines) and asked to give back (overpaid cases), month by month. */
async function outcome(key: string) {
  const id = people[key]!.id;
  const db = env.p.handle.db;
  const owed = await db
    .selectFrom('benefit_backpay')
    .select(['month', 'benefit_type', 'owed_fen'])
    .where('beneficiary_id', '=', id)
    .orderBy('month')
    .execute();
  const cases = await db
    .selectFrom('benefit_discrepancies')
    .select(['month', 'expected_fen', 'paid_fen'])
    .where('beneficiary_id', '=', id)
    .where('kind', '=', 'grade_overpaid')
    .orderBy('month')
    .execute();
  return {
    owed: owed.map((r) => [r.month, r.benefit_type, Number(r.owed_fen)]),
    cases: cases.map((r) => [r.month, Number(r.expected_fen), Number(r.paid_fen)]),
  };
}

const gradeJobs = async () =>
  (
    await env.p.handle.db
      .selectFrom('jobs')
      .select(['id', 'result'])
      .where('kind', '=', 'benefit.backpay.grade')
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map((j) => ({ id: j.id, result: JSON.parse(String(j.result)) as Record<string, number> }));

const notices = async () =>
  (await env.p.handle.db.selectFrom('notifications').select('body').where('body', 'like', '%等级调低%').execute()).map(
    (n) => n.body,
  );

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.73.0.1');
  bjt = await signedIn(env.app, 'bjt', '10.73.0.2');
  klmy = await signedIn(env.app, 'klmy', '10.73.0.3');
  await standard(5, 6, 300_000);
  await standard(4, 4, 400_000);
  await standard(1, 3, 500_000);
});
afterAll(async () => env?.close());

describe('an import’s grade changes', () => {
  /**
   * In 白碱滩区, 2025-01…06 paid; three changes each recorded twice — by one import (X甲, Y甲, Z甲)
   * and by the form one by one (X乙, Y乙, Z乙):
   * | person | change, decision          | from    | result                                   |
   * |--------|---------------------------|---------|------------------------------------------|
   * | X      | 3级 → 5级, 2025-02-10     | 2025-03 | 2025-03…06 overpaid 4 × 200,000 (cases)  |
   * | Y      | 5级 → 3级, 2025-03-15     | 2025-04 | 2025-04…06 back pay 3 × 200,000          |
   * | Z      | 4级 → 6级, 2025-04-20     | 2025-05 | 2025-05…06 overpaid 2 × 100,000 (cases)  |
   */
  it('queue one back-pay job that makes exactly what the form’s jobs one by one make', async () => {
    for (const n of ['甲', '乙']) {
      await person(bjt, BJT, `X${n}`, 3);
      await person(bjt, BJT, `Y${n}`, 5);
      await person(bjt, BJT, `Z${n}`, 4);
    }
    for (const m of ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'])
      expect((await release(bjt, m)).totalFen).toBe(2 * (500_000 + 300_000 + 400_000));

    // by the form, one by one
    const byForm = [
      await change(bjt, 'X乙', '2025-02-10', 5, '白退役〔2025〕21号'),
      await change(bjt, 'Y乙', '2025-03-15', 3, '白退役〔2025〕22号'),
      await change(bjt, 'Z乙', '2025-04-20', 6, '白退役〔2025〕23号'),
    ];
    expect(await gradeJobs()).toHaveLength(3);
    const formNotices = await notices();

    // by one import
    const district = await orgId(env.p, '650200/650204/');
    const imported0 = await importRegister(env, bjt, district, GRADE_IMPORT_HEADER, [
      ['补发X甲', people.X甲!.idNumber, '残疾军人', '五级', '', '2025-02-10', '白退役〔2025〕21号'],
      ['补发Y甲', people.Y甲!.idNumber, '残疾军人', '三级', '', '2025-03-15', '白退役〔2025〕22号'],
      ['补发Z甲', people.Z甲!.idNumber, '残疾军人', '六级', '', '2025-04-20', '白退役〔2025〕23号'],
    ]);
    expect(imported0.result).toMatchObject({ gradeChanges: 3 });
    expect((await bjt.post(`/api/v1/jobs/${imported0.id}/commit`)).statusCode).toBe(202);
    await env.jobs.idle();
    expect((await bjt.get(`/api/v1/jobs/${imported0.id}`)).json()).toMatchObject({
      status: 'succeeded',
      result: { gradeChanges: 3 },
    });

    // one job for the three changes
    const jobs = await gradeJobs();
    expect(jobs).toHaveLength(4);
    const imported = jobs[3]!.result;
    const sum = (k: string) => byForm.reduce((n, r) => n + (r[k] ?? 0), 0);
    expect(imported).toMatchObject({
      lines: sum('lines'),
      owedFen: sum('owedFen'),
      overpaidCases: sum('overpaidCases'),
      overpaidFen: sum('overpaidFen'),
    });
    expect(imported).toMatchObject({ lines: 3, owedFen: 600_000, overpaidCases: 6, overpaidFen: 1_000_000 });

    // the same lines and cases as the form's, person by person
    for (const k of ['X', 'Y', 'Z']) expect(await outcome(`${k}甲`)).toEqual(await outcome(`${k}乙`));
    expect(await outcome('X甲')).toEqual({
      owed: [],
      cases: ['2025-03', '2025-04', '2025-05', '2025-06'].map((m) => [m, 300_000, 500_000]),
    });
    expect(await outcome('Y甲')).toEqual({
      owed: ['2025-04', '2025-05', '2025-06'].map((m) => [m, 'disability_pension', 200_000]),
      cases: [],
    });
    expect(await outcome('Z甲')).toEqual({ owed: [], cases: ['2025-05', '2025-06'].map((m) => [m, 300_000, 400_000]) });
    // the district office heard once of the import's six months (the form's jobs: once each)
    expect([...new Set(formNotices)].sort()).toEqual([
      expect.stringContaining('发现 2 个月已多发待遇'),
      expect.stringContaining('发现 4 个月已多发待遇'),
    ]);
    const told = (await notices()).slice(formNotices.length);
    expect(told.length).toBeGreaterThan(0);
    expect([...new Set(told)]).toEqual([expect.stringContaining('发现 6 个月已多发待遇')]);
    expect(told.length * 2).toBe(formNotices.length);
  });
});

describe('a grade lowered again after a late upgrade', () => {
  /**
   * In 克拉玛依区, 2025-01…04 paid at 5级 (300,000). Each person is raised 5级 → 3级 by a decision
   * of 2025-01-20 (from 2025-02), recorded late: back pay 200,000 a month for 2025-02…04, on no
   * released roster yet. Then:
   * | person | lowered again, decision    | from    | back pay after                          | cases |
   * |--------|----------------------------|---------|-----------------------------------------|-------|
   * | A      | 3级 → 5级, 2025-03-05      | 2025-04 | 02, 03: 200,000; 04 cancelled           | none  |
   * | B      | 3级 → 4级, 2025-02-05      | 2025-03 | 02: 200,000; 03, 04: 100,000            | none  |
   * | C      | (2025-05 released first: it pays C's back pay and 500,000 for 05) |   |       |
   * |        | 3级 → 5级, 2025-03-05      | 2025-04 | 02…04: 200,000 (paid)                   | 04, 05: 300,000 due / 500,000 paid |
   * | D      | raised after 05's release: back pay 02…05 on a draft 2025-06 roster;  |  |   |
   * |        | 3级 → 5级, 2025-04-10      | 2025-05 | 02…04: 200,000; 05 cut off the draft    | none  |
   */
  it('cuts the back pay not yet released; opens a case only for what released rosters paid beyond what is due', async () => {
    for (const k of ['A', 'B', 'C', 'D']) await person(klmy, KLMY, k, 5);
    for (const m of ['2025-01', '2025-02', '2025-03', '2025-04'])
      expect((await release(klmy, m)).totalFen).toBe(4 * 300_000);
    for (const k of ['A', 'B', 'C'])
      expect(await change(klmy, k, '2025-01-20', 3, `克退役〔2025〕${k}1号`)).toMatchObject({
        lines: 3,
        owedFen: 600_000,
        overpaidCases: 0,
        backpayCutFen: 0,
      });

    expect(await change(klmy, 'A', '2025-03-05', 5, '克退役〔2025〕A2号')).toMatchObject({
      lines: 0,
      overpaidCases: 0,
      overpaidFen: 0,
      backpayCutFen: 200_000,
    });
    expect(await outcome('A')).toEqual({
      owed: ['2025-02', '2025-03'].map((m) => [m, 'disability_pension', 200_000]),
      cases: [],
    });
    expect(await change(klmy, 'B', '2025-02-05', 4, '克退役〔2025〕B2号')).toMatchObject({
      overpaidCases: 0,
      backpayCutFen: 200_000,
    });
    expect(await outcome('B')).toEqual({
      owed: [
        ['2025-02', 'disability_pension', 200_000],
        ['2025-03', 'disability_pension', 100_000],
        ['2025-04', 'disability_pension', 100_000],
      ],
      cases: [],
    });
    // each cut is audited with the lines before and after
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['entity_id', 'changes'])
      .where('action', '=', 'benefit.backpay.cut')
      .execute();
    expect(audit.map((a) => [a.entity_id, JSON.parse(String(a.changes)).month]).sort()).toEqual([
      [people.A!.id, '2025-04'],
      [people.B!.id, '2025-03'],
      [people.B!.id, '2025-04'],
    ]);
    expect(
      JSON.parse(String(audit.find((a) => a.entity_id === people.B!.id)!.changes)).lines.map(
        (l: { owed_fen: number[] }) => l.owed_fen,
      ),
    ).toEqual([[200_000, 100_000]]);

    // 2025-05 released: A 300,000 + 2 × 200,000, B 400,000 + 200,000 + 2 × 100,000,
    // C 500,000 + 3 × 200,000, D 300,000
    expect((await release(klmy, '2025-05')).totalFen).toBe(700_000 + 800_000 + 1_100_000 + 300_000);
    expect(await change(klmy, 'C', '2025-03-05', 5, '克退役〔2025〕C2号')).toMatchObject({
      overpaidCases: 2,
      overpaidFen: 400_000,
      backpayCutFen: 0,
    });
    expect(await outcome('C')).toEqual({
      owed: ['2025-02', '2025-03', '2025-04'].map((m) => [m, 'disability_pension', 200_000]),
      cases: [
        ['2025-04', 300_000, 500_000],
        ['2025-05', 300_000, 500_000],
      ],
    });

    // D: back pay 02…05 on a draft roster of 2025-06, then lowered from 05: that line leaves the draft
    expect(await change(klmy, 'D', '2025-01-20', 3, '克退役〔2025〕D1号')).toMatchObject({ owedFen: 800_000 });
    const before = await draft(klmy, '2025-06');
    // A, B, D regular (300,000 + 400,000 + 500,000), C 300,000, D's back pay 4 × 200,000
    expect(before.totalFen).toBe(300_000 + 400_000 + 300_000 + 500_000 + 800_000);
    expect(await change(klmy, 'D', '2025-04-10', 5, '克退役〔2025〕D2号')).toMatchObject({
      overpaidCases: 0,
      backpayCutFen: 200_000,
    });
    expect(await outcome('D')).toEqual({
      owed: ['2025-02', '2025-03', '2025-04'].map((m) => [m, 'disability_pension', 200_000]),
      cases: [],
    });
    const after = (await klmy.get(`/api/v1/benefit-rosters/${before.id}`)).json();
    expect(after.totalFen).toBe(before.totalFen - 200_000);
    expect(after.lineCount).toBe(before.lineCount - 1);
    expect(after.version).toBe(before.version + 1);
    // in 克拉玛依区, C's two cases only
    expect(
      (
        await env.p.handle.db
          .selectFrom('benefit_discrepancies')
          .select('id')
          .where('kind', '=', 'grade_overpaid')
          .where('org_path', 'like', '650200/650203/%')
          .execute()
      ).length,
    ).toBe(2);
  });
});
