import { maskIdNumber } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reconcileReturn, returnCsv } from './benefits-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * 政策待遇落实到位 (issue 21) on the storage of the run (SQLite, and PostgreSQL in its project):
 * standards → entitlement → roster → release → back pay from a retroactive standard → bank list →
 * return file → exactly the planted discrepancies. Every amount below is computed by hand, in fen.
 */
let env: TestEnv;
let city: Client;
let klmy: Client;
let dsz: Client;
let bjt: Client;
const KLMY = '650200/650203/650203001/650203001001/';
const DSZ = '650200/650202/650202001/650202001001/';
const BJT = '650200/650204/650204001/650204001001/';

// P1 is this month (a transfer accepted now is a transfer of P1), P2 the next one
const now = new Date();
const ym = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const P1 = ym(now);
const P2 = ym(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)));
const P1_START = `${P1}-01`;
const BEFORE_P1 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 40 * 86_400_000)
  .toISOString()
  .slice(0, 10);

let seq = 0;
const people: Record<string, { id: string; idNumber: string }> = {};

async function person(c: Client, org: string, key: string, categories: unknown[], extra: object = {}) {
  const idNumber = makeId(org.split('/')[1]!, '1950-03-01', 200 + seq++ * 2);
  const res = await c.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, org),
    name: `待遇${key}`,
    idNumber,
    categories,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = { id: res.json().id, idNumber };
}

const disabled = (grade: number) => [{ code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: grade }];
const survivor = () => [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }];

async function standard(body: object) {
  const res = await city.post('/api/v1/benefit-standards', { layer: 'national', docNo: '民发〔2025〕1号', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function release(c: Client, period: string, org?: string) {
  const created = await c.post('/api/v1/benefit-rosters', { period, ...(org ? { orgId: org } : {}) });
  expect(created.statusCode, created.body).toBe(201);
  const r = created.json();
  const req = await c.post(`/api/v1/benefit-rosters/${r.id}/request`, { version: r.version });
  expect(req.statusCode, req.body).toBe(200);
  // the district that asked never releases its own roster (decisions/0012)
  expect(
    (await c.post(`/api/v1/benefit-rosters/${r.id}/decision`, { version: 2, decision: 'approve' })).statusCode,
  ).toBe(403);
  const ok = await city.post(`/api/v1/benefit-rosters/${r.id}/decision`, { version: 2, decision: 'approve' });
  expect(ok.statusCode, ok.body).toBe(200);
  expect(ok.json().status).toBe('released');
  return ok.json();
}

/** Posts a return file: 202 with a job; the job reconciles it in the background, with progress. */
const reconcileFile = (c: Client, rosterId: string, fileName: string, file: Buffer) =>
  reconcileReturn(env, c, rosterId, file, fileName);

/** Waits for a standard's back-pay job (decisions/0052): it succeeds with its progress at 100 %. */
async function backPayOf(jobId: string | null) {
  expect(jobId).toEqual(expect.any(String));
  await env.jobs.idle();
  const job = await city.get(`/api/v1/jobs/${jobId}`);
  expect(job.statusCode, job.body).toBe(200);
  expect(job.json()).toMatchObject({ kind: 'benefit.backpay', status: 'succeeded' });
  expect(job.json().total).toBeGreaterThan(0);
  expect(job.json().processed).toBe(job.json().total);
  return job.json().result as { lines: number; owedFen: number; months: number };
}

const backpayLines = async (standardId: string) =>
  (await env.p.handle.db.selectFrom('benefit_backpay').selectAll().where('standard_id', '=', standardId).execute())
    .map((r) => `${r.id}=${r.owed_fen}`)
    .sort();

const csv = returnCsv;

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.21.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.21.0.2');
  dsz = await signedIn(env.app, 'dsz', '10.21.0.3');
  bjt = await signedIn(env.app, 'bjt', '10.21.0.4');
  await person(klmy, KLMY, 'A', disabled(6));
  await person(klmy, KLMY, 'B', survivor());
  await person(klmy, KLMY, 'C', disabled(6), { status: 'deceased', statusDate: P1_START });
  await person(klmy, KLMY, 'D', disabled(3));
  await person(klmy, KLMY, 'E', survivor(), { status: 'deceased', statusDate: BEFORE_P1 });
  await person(klmy, KLMY, 'G', survivor());
  await person(klmy, KLMY, 'I', survivor());
  await person(dsz, DSZ, 'F', survivor());
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 5,
    gradeMax: 6,
    amountFen: 300_000,
    validFrom: '2025-01',
  });
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 1,
    gradeMax: 4,
    amountFen: 500_000,
    validFrom: '2025-01',
  });
  await standard({
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    amountFen: 250_000,
    validFrom: '2025-01',
  });
  // the city's top-up adds to the national standard
  await standard({
    benefitType: 'survivor_pension',
    category: 'martyr_survivor',
    layer: 'city',
    amountFen: 10_050,
    validFrom: '2025-01',
    docNo: '克政办〔2025〕7号',
  });
  // D moves to 独山子区 this month: 克拉玛依区 pays P1, 独山子区 from P2
  const moved = await klmy.post('/api/v1/transfers', {
    idNumber: people.D!.idNumber,
    toOrgId: await orgId(env.p, DSZ),
    reason: '随子女迁居',
  });
  expect(moved.statusCode, moved.body).toBe(201);
  expect((await dsz.post(`/api/v1/transfers/${moved.json().id}/accept`, {})).statusCode).toBe(200);
});
afterAll(async () => env?.close());

describe('benefits: standards, entitlement, rosters, reconciliation (issue 21)', () => {
  let p1: { id: string };
  let p2: { id: string; version: number };

  it('computes P1 set-wise: each person by category, grade, status date and transfer; layers add up', async () => {
    p1 = await release(klmy, P1);
    const lines = (await klmy.get(`/api/v1/benefit-rosters/${p1.id}/lines?pageSize=50`)).json();
    const byName = Object.fromEntries(
      lines.items.map((l: { name: string; amountFen: number }) => [l.name, l.amountFen]),
    );
    // C died on the 1st of P1: the month of death is paid in full; E died before P1: nothing
    expect(byName).toEqual({
      待遇A: 300_000,
      待遇B: 260_050,
      待遇C: 300_000,
      待遇D: 500_000,
      待遇G: 260_050,
      待遇I: 260_050,
    });
    expect((await klmy.get(`/api/v1/benefit-rosters/${p1.id}`)).json().totalFen).toBe(1_880_150);
    expect(lines.items.every((l: { idMasked: string }) => /^650203\*+\d{3}[\dX]$/.test(l.idMasked))).toBe(true);
  });

  it('keeps each district to its own rosters; the city sees all', async () => {
    expect((await dsz.get(`/api/v1/benefit-rosters/${p1.id}`)).statusCode).toBe(404);
    expect((await dsz.get(`/api/v1/benefit-rosters/${p1.id}/lines`)).statusCode).toBe(404);
    expect((await dsz.get('/api/v1/benefit-rosters')).json().items).toEqual([]);
    expect(
      (await dsz.post('/api/v1/benefit-rosters', { period: P1, orgId: await orgId(env.p, '650200/650203/') }))
        .statusCode,
    ).toBe(404);
    expect((await city.get('/api/v1/benefit-rosters')).json().items.map((r: { id: string }) => r.id)).toContain(p1.id);
  });

  it('a standard starting in a month already paid is committed at once; its back pay is a job, and the next roster carries it', async () => {
    // hold the job runner (one job at a time) so the back-pay job is seen queued behind it
    let unhold = () => {};
    const held = new Promise<void>((resolve) => {
      unhold = resolve;
    });
    env.jobs.register('test.hold', {
      permission: 'benefit:standards',
      validate: async () => {
        await held;
        return {};
      },
    });
    await env.jobs.create(
      { userId: 'test' } as never,
      { id: await orgId(env.p, '650200/'), path: '650200/' },
      'test.hold',
      {},
    );
    const raised = await standard({
      benefitType: 'disability_pension',
      category: 'disabled_veteran',
      gradeMin: 5,
      gradeMax: 6,
      amountFen: 320_000,
      validFrom: P1,
      docNo: '民发〔2026〕9号',
    });
    // the standard is committed and readable while its back pay waits
    const listed = (await city.get('/api/v1/benefit-standards?benefitType=disability_pension')).json().items;
    expect(listed.map((x: { id: string }) => x.id)).toContain(raised.standard.id);
    const waiting = (await city.get(`/api/v1/jobs/${raised.backPayJobId}`)).json();
    expect(waiting).toMatchObject({ kind: 'benefit.backpay', status: 'queued' });
    expect(await backpayLines(raised.standard.id)).toEqual([]);
    unhold();
    // A and C (grade 6) were paid 300,000 for P1: 20,000 each; D (grade 3) is not affected
    expect(await backPayOf(raised.backPayJobId)).toEqual({ lines: 2, owedFen: 40_000, months: 1 });
    const written = await backpayLines(raised.standard.id);
    expect(written).toHaveLength(2);
    // run again (as after a crash, resumed): no line twice
    await env.p.handle.db.updateTable('jobs').set({ status: 'queued' }).where('id', '=', raised.backPayJobId).execute();
    await env.jobs.resume();
    expect(await backPayOf(raised.backPayJobId)).toEqual({ lines: 2, owedFen: 40_000, months: 1 });
    expect(await backpayLines(raised.standard.id)).toEqual(written);
    // entered twice, it owes nothing more
    const again = await standard({
      benefitType: 'disability_pension',
      category: 'disabled_veteran',
      gradeMin: 5,
      gradeMax: 6,
      amountFen: 320_000,
      validFrom: P1,
      docNo: '民发〔2026〕9号',
    });
    expect(await backPayOf(again.backPayJobId)).toEqual({ lines: 0, owedFen: 0, months: 1 });
    const explained = await klmy.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.A!.id}&from=${P1}&to=${P2}`);
    expect(explained.statusCode, explained.body).toBe(200);
    expect(explained.json().lines[0]).toMatchObject({
      month: P1,
      benefitType: 'disability_pension',
      amountFen: 320_000,
    });
    expect(explained.json().lines[0].explanation).toBe(`残疾军人 6级，${P1} 起国家标准 3200.00 元（民发〔2026〕9号）`);
    expect(explained.json().totalFen).toBe(640_000);
    expect(
      (await dsz.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.A!.id}&from=${P1}&to=${P1}`)).statusCode,
    ).toBe(404);

    p2 = await release(klmy, P2);
    const lines = (await klmy.get(`/api/v1/benefit-rosters/${p2.id}/lines?pageSize=50`)).json().items;
    const got = lines.map((l: { name: string; month: string; kind: string; amountFen: number }) => [
      l.name,
      l.month,
      l.kind,
      l.amountFen,
    ]);
    expect(got).toEqual([
      ['待遇A', P1, 'backpay', 20_000],
      ['待遇A', P2, 'regular', 320_000],
      ['待遇B', P2, 'regular', 260_050],
      ['待遇C', P1, 'backpay', 20_000],
      ['待遇G', P2, 'regular', 260_050],
      ['待遇I', P2, 'regular', 260_050],
    ]);
    expect(p2).toMatchObject({ totalFen: 1_140_150, lineCount: 6 });
  });

  it('queues the back-pay job in the standard’s transaction: a failure after it rolls both back; a crash before the job starts loses nothing', async () => {
    const count = async () => {
      const db = env.p.handle.db;
      const s = await db
        .selectFrom('benefit_standards')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const j = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'benefit.backpay')
        .executeTakeFirstOrThrow();
      return [Number(s.n), Number(j.n)];
    };
    // a category nobody here holds: a job is queued (P1 and P2 are paid) but owes nothing
    const body = {
      benefitType: 'survivor_pension',
      category: 'duty_death_survivor',
      amountFen: 100_000,
      validFrom: P1,
      docNo: '民发〔2026〕77号',
    };
    const before = await count();
    const enqueueIn = env.jobs.enqueueIn.bind(env.jobs);
    // the job row is written, then the transaction fails: neither the standard nor the job remains
    const failing = vi.spyOn(env.jobs, 'enqueueIn').mockImplementation(async (...args) => {
      await enqueueIn(...args);
      throw new Error('disk full');
    });
    const res = await city.post('/api/v1/benefit-standards', { layer: 'national', ...body });
    expect(res.statusCode).toBe(500);
    expect(await count()).toEqual(before);
    failing.mockRestore();
    // the process stops after the commit, before the job is started: the row is there, queued,
    // and the next start's resume runs it
    const crashing = vi.spyOn(env.jobs, 'enqueueIn').mockImplementation(async (...args) => {
      const job = await enqueueIn(...args);
      return { id: job.id, start: () => {} };
    });
    const created = await standard(body);
    crashing.mockRestore();
    expect(await count()).toEqual([before[0]! + 1, before[1]! + 1]);
    await env.jobs.idle();
    expect((await city.get(`/api/v1/jobs/${created.backPayJobId}`)).json()).toMatchObject({ status: 'queued' });
    await env.jobs.resume();
    expect(await backPayOf(created.backPayJobId)).toEqual({ lines: 0, owedFen: 0, months: 2 });
  });

  it('the bank list carries full ID numbers, the total and signature lines, and its export is audited', async () => {
    const res = await klmy.get(`/api/v1/benefit-rosters/${p2.id}/bank-list`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    const texts = rows.map((r) => Array.from(r.slice(1), (c) => (c === undefined || c === null ? '' : String(c))));
    expect(texts[0]).toEqual(['序号', '姓名', '身份证号', '开户银行', '银行账号', '金额（元）', '备注']);
    expect(texts[1]!.slice(0, 6)).toEqual(['1', '待遇A', people.A!.idNumber, '', '', '3400.00']);
    expect(texts.find((r) => r[0] === '合计')!.slice(0, 6)).toEqual(['合计', '5 人', '', '', '', '11401.50']);
    expect(texts.at(-1)![0]).toBe('制表人：');
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes'])
      .where('action', '=', 'benefit.roster.export')
      .where('entity_id', '=', p2.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('reconciliation finds exactly the planted discrepancies, one of each kind; a closed one updates the totals', async () => {
    // 独山子区 pays F (and D, who moved there) for P2 first
    const dszRoster = await release(dsz, P2);
    expect(dszRoster.totalFen).toBe(760_050);
    const dszReturn = await reconcileFile(
      dsz,
      dszRoster.id,
      'dsz.csv',
      csv([
        [people.F!.idNumber, '待遇F', '2600.50', '成功'],
        [people.D!.idNumber, '待遇D', '5000.00', '成功'],
      ]),
    );
    expect(dszReturn.discrepancies).toEqual({});
    // 独山子区 cannot reconcile 克拉玛依区's roster, nor see its job
    expect(
      (
        await dsz.request('POST', `/api/v1/benefit-rosters/${p2.id}/return`, csv([]), {
          'content-type': 'application/octet-stream',
        })
      ).statusCode,
    ).toBe(404);

    const unknown = makeId('650204', '1960-05-05', 17);
    const out = await reconcileFile(
      klmy,
      p2.id,
      '回盘.csv',
      csv([
        [people.A!.idNumber, '待遇A', '3300.00', '成功'], // underpaid by 100.00
        // B is absent: missing
        [people.C!.idNumber, '待遇C', '200.00', '失败'], // failed
        [people.G!.idNumber, '待遇G', '2600.50', '成功'],
        [people.G!.idNumber, '待遇G', '2600.50', '成功'], // duplicate line
        [people.D!.idNumber, '待遇D', '5000.00', '成功'], // moved to 独山子区 in P1
        [people.E!.idNumber, '待遇E', '2600.50', '成功'], // died before P1
        [people.F!.idNumber, '待遇F', '2600.50', '成功'], // 独山子区 paid F too
        [unknown, '查无此人', '1000.00', '成功'], // not in the register
        [people.I!.idNumber, '待遇I', '"2,600.50"', '成功'], // right (a quoted amount with a thousands separator)
      ]),
    );
    expect(out.discrepancies).toEqual({
      underpaid: 1,
      missing: 1,
      failed: 1,
      duplicate_line: 1,
      paid_after_transfer: 1,
      paid_after_death: 1,
      duplicate_district: 1,
      unknown_id: 1,
    });
    // 3300.00 + 2 × 2600.50 + 5000.00 + 2600.50 + 2600.50 + 1000.00 + 2600.50 (C failed: not paid)
    expect(out.paidFen).toBe(2_230_250);
    const reconciled = (await klmy.get(`/api/v1/benefit-rosters/${p2.id}`)).json();
    expect(reconciled).toMatchObject({ status: 'reconciled', openDiscrepancies: 8, paidFen: 2_230_250 });

    const list = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${p2.id}&pageSize=50`)).json();
    const byKind = Object.fromEntries(list.items.map((d: { kind: string }) => [d.kind, d]));
    expect(byKind.underpaid).toMatchObject({ name: '待遇A', expectedFen: 340_000, paidFen: 330_000 });
    expect(byKind.missing).toMatchObject({ name: '待遇B', expectedFen: 260_050, paidFen: 0, rowNumber: null });
    expect(byKind.failed).toMatchObject({ name: '待遇C', expectedFen: 20_000, paidFen: 0 });
    expect(byKind.unknown_id).toMatchObject({ beneficiaryId: null, paidFen: 100_000 });
    expect(byKind.unknown_id.idMasked).toMatch(/^650204\*+/);
    // the texts of a finding come from the roster (its people) or from the file read again (the
    // others), as when every line was held with its cells (decisions/0070)
    expect(byKind.underpaid.beneficiaryId).toBe(people.A!.id);
    expect(byKind.missing).toMatchObject({ beneficiaryId: people.B!.id, idMasked: maskIdNumber(people.B!.idNumber) });
    expect(byKind.unknown_id).toMatchObject({ name: '查无此人', idMasked: maskIdNumber(unknown), rowNumber: 9 });
    expect(byKind.duplicate_line).toMatchObject({ name: '待遇G', rowNumber: 5 });
    const kept = await env.p.handle.db
      .selectFrom('benefit_returns')
      .select(['row_number', 'name', 'id_masked', 'amount_fen', 'paid'])
      .where('roster_id', '=', p2.id)
      .orderBy('row_number')
      .execute();
    expect(kept.map((r) => [r.row_number, r.name, r.id_masked, Number(r.amount_fen), r.paid])).toEqual([
      [2, '待遇A', maskIdNumber(people.A!.idNumber), 330_000, 1],
      [3, '待遇C', maskIdNumber(people.C!.idNumber), 20_000, 0],
      [4, '待遇G', maskIdNumber(people.G!.idNumber), 260_050, 1],
      [5, '待遇G', maskIdNumber(people.G!.idNumber), 260_050, 1],
      [6, '待遇D', maskIdNumber(people.D!.idNumber), 500_000, 1],
      [7, '待遇E', maskIdNumber(people.E!.idNumber), 260_050, 1],
      [8, '待遇F', maskIdNumber(people.F!.idNumber), 260_050, 1],
      [9, '查无此人', maskIdNumber(unknown), 100_000, 1],
    ]);
    // 独山子区 sees none of 克拉玛依区's worklist
    expect((await dsz.get('/api/v1/benefit-discrepancies?pageSize=50')).json().total).toBe(0);
    expect(
      (
        await dsz.post(`/api/v1/benefit-discrepancies/${byKind.paid_after_death.id}/close`, {
          version: 1,
          resolution: 'recovered',
          note: '已追回',
        })
      ).statusCode,
    ).toBe(404);

    const closed = await klmy.post(`/api/v1/benefit-discrepancies/${byKind.paid_after_death.id}/close`, {
      version: 1,
      resolution: 'recovered',
      note: '已从银行追回 2600.50 元',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', resolution: 'recovered' });
    const totals = (await city.get(`/api/v1/benefit-totals?from=${P1}&to=${P2}`)).json().items;
    expect(totals).toContainEqual({
      orgName: '克拉玛依区退役军人事务局',
      period: P2,
      status: 'reconciled',
      totalFen: 1_140_150,
      paidFen: 2_230_250,
      openDiscrepancies: 7,
      closedDiscrepancies: 1,
    });
  });

  /**
   * A 残疾等级 changed mid-year (decisions/0056), in 白碱滩区 over 2025 (no other roster pays those
   * months): H 6级 因战 → 4级 因公 by a decision of 2025-03-20, recorded after 2025-01…06 were paid;
   * K 3级 → 5级 from a decision of 2025-02-10 (a downgrade owes no back pay, nor is it deducted).
   *
   * | month   | H grade | H       | K grade | K       | roster total |
   * |---------|---------|---------|---------|---------|--------------|
   * | 2025-01 | 6       | 300,000 | 3       | 500,000 | 800,000      |
   * | 2025-03 | 6       | 300,000 | 5       | 300,000 | (paid 800,000 before the change) |
   * | 2025-04 | 4       | 500,000 | 5       | 300,000 | back pay H 200,000 |
   * | 2025-05, 06 | 4   | 500,000 | 5       | 300,000 | back pay H 200,000 each |
   * | 2025-07 | 4       | 500,000 | 5       | 300,000 | 500,000 + 300,000 + 3 × 200,000 = 1,400,000 |
   */
  it('a grade changed mid-year is paid from the month after the decision; recorded late, the paid months get back pay', async () => {
    await person(bjt, BJT, 'H', [
      { code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6, disabilityCause: 'war' },
    ]);
    await person(bjt, BJT, 'K', disabled(3));
    const months = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
    for (const m of months) {
      const r = await release(bjt, m);
      expect(r.totalFen).toBe(800_000);
    }
    const version = async (key: string) => (await bjt.get(`/api/v1/beneficiaries/${people[key]!.id}`)).json().version;
    const changed = await bjt.post(`/api/v1/beneficiaries/${people.H!.id}/grade-changes`, {
      version: await version('H'),
      code: 'disabled_veteran',
      effectiveDate: '2025-03-20',
      disabilityGrade: 4,
      disabilityCause: 'duty',
      documentNo: '克退役〔2025〕12号',
    });
    expect(changed.statusCode, changed.body).toBe(201);
    expect(changed.json().change).toMatchObject({
      fromMonth: '2025-04',
      gradeFrom: 6,
      gradeTo: 4,
      causeFrom: 'war',
      causeTo: 'duty',
    });
    expect(changed.json().beneficiary.assignments[0]).toMatchObject({ disabilityGrade: 4, disabilityCause: 'duty' });
    // the back pay is a job the registry clerk follows: 2025-04, 05, 06 at 500,000 − 300,000
    const jobId = changed.json().backPayJobId as string;
    expect(jobId).toEqual(expect.any(String));
    await env.jobs.idle();
    const job = (await bjt.get(`/api/v1/jobs/${jobId}`)).json();
    expect(job).toMatchObject({ kind: 'benefit.backpay.grade', status: 'succeeded' });
    expect(job.result).toMatchObject({ lines: 3, owedFen: 600_000 });
    const owed = await env.p.handle.db
      .selectFrom('benefit_backpay')
      .select(['month', 'owed_fen', 'benefit_type'])
      .where('grade_change_id', '=', changed.json().change.id)
      .orderBy('month')
      .execute();
    expect(owed.map((r) => [r.month, r.benefit_type, Number(r.owed_fen)])).toEqual([
      ['2025-04', 'disability_pension', 200_000],
      ['2025-05', 'disability_pension', 200_000],
      ['2025-06', 'disability_pension', 200_000],
    ]);

    const down = await bjt.post(`/api/v1/beneficiaries/${people.K!.id}/grade-changes`, {
      version: await version('K'),
      code: 'disabled_veteran',
      effectiveDate: '2025-02-10',
      disabilityGrade: 5,
      documentNo: '克退役〔2025〕13号',
    });
    expect(down.statusCode, down.body).toBe(201);
    await env.jobs.idle();
    const downJob = (await bjt.get(`/api/v1/jobs/${down.json().backPayJobId}`)).json();
    // no back pay; 2025-03…06 were paid 500,000 where 300,000 is due now: 4 months overpaid by 200,000
    expect(downJob.result).toMatchObject({ lines: 0, owedFen: 0, overpaidCases: 4, overpaidFen: 800_000 });
    const overpaid = async () =>
      (await bjt.get('/api/v1/benefit-discrepancies?kind=grade_overpaid&pageSize=50')).json().items as {
        name: string;
        period: string;
        month: string;
        expectedFen: number;
        paidFen: number;
        status: string;
        ownerOrgName: string;
      }[];
    const cases = (await overpaid()).map((d) => [d.name, d.period, d.month, d.expectedFen, d.paidFen, d.status]);
    expect(cases.sort()).toEqual([
      ['待遇K', '2025-03', '2025-03', 300_000, 500_000, 'open'],
      ['待遇K', '2025-04', '2025-04', 300_000, 500_000, 'open'],
      ['待遇K', '2025-05', '2025-05', 300_000, 500_000, 'open'],
      ['待遇K', '2025-06', '2025-06', 300_000, 500_000, 'open'],
    ]);
    // the district office owns them and heard of them once; another district sees none
    expect(new Set((await overpaid()).map((d) => d.ownerOrgName)).size).toBe(1);
    expect((await klmy.get('/api/v1/benefit-discrepancies?kind=grade_overpaid')).json().total).toBe(0);
    const notices = () =>
      env.p.handle.db.selectFrom('notifications').select('body').where('body', 'like', '%等级调低%').execute();
    const told = await notices();
    expect(told.length).toBeGreaterThan(0);
    expect([...new Set(told.map((n) => n.body))]).toEqual([expect.stringContaining('发现 4 个月已多发待遇')]);
    // run again (a resume): the same cases, none twice
    await env.p.handle.db
      .updateTable('jobs')
      .set({ status: 'queued' })
      .where('id', '=', down.json().backPayJobId)
      .execute();
    await env.jobs.resume();
    await env.jobs.idle();
    expect((await bjt.get(`/api/v1/jobs/${down.json().backPayJobId}`)).json().result).toMatchObject({
      overpaidCases: 4,
      overpaidFen: 800_000,
    });
    expect(await overpaid()).toHaveLength(4);
    expect(await notices()).toHaveLength(told.length);

    // the explanation names the grade in force each month, and the change from its first month
    const explained = (
      await bjt.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.H!.id}&from=2025-03&to=2025-04`)
    ).json();
    expect(explained.lines.map((l: { month: string; amountFen: number }) => [l.month, l.amountFen])).toEqual([
      ['2025-03', 300_000],
      ['2025-04', 500_000],
    ]);
    expect(explained.lines[0].explanation).toBe('残疾军人 6级 因战，2025-01 起国家标准 3000.00 元（民发〔2025〕1号）');
    expect(explained.lines[1].explanation).toBe(
      '残疾军人 6级→4级 因公（2025-03-20 调整等级，克退役〔2025〕12号，2025-04 起执行），2025-01 起国家标准 5000.00 元（民发〔2025〕1号）',
    );
    const k = (
      await bjt.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.K!.id}&from=2025-02&to=2025-03`)
    ).json();
    expect(k.lines.map((l: { month: string; amountFen: number }) => [l.month, l.amountFen])).toEqual([
      ['2025-02', 500_000],
      ['2025-03', 300_000],
    ]);

    // the next roster pays the new grades and carries H's back pay
    const july = await release(bjt, '2025-07');
    const lines = (await bjt.get(`/api/v1/benefit-rosters/${july.id}/lines?pageSize=50`)).json().items;
    expect(
      lines.map((l: { name: string; month: string; kind: string; amountFen: number }) => [
        l.name,
        l.month,
        l.kind,
        l.amountFen,
      ]),
    ).toEqual([
      ['待遇H', '2025-04', 'backpay', 200_000],
      ['待遇H', '2025-05', 'backpay', 200_000],
      ['待遇H', '2025-06', 'backpay', 200_000],
      ['待遇H', '2025-07', 'regular', 500_000],
      ['待遇K', '2025-07', 'regular', 300_000],
    ]);
    expect(july).toMatchObject({ totalFen: 1_400_000, lineCount: 5 });
    // run again (as after a crash, resumed): the month's statement owes only what is unpaid, no line twice
    await env.p.handle.db.updateTable('jobs').set({ status: 'queued' }).where('id', '=', jobId).execute();
    await env.jobs.resume();
    await env.jobs.idle();
    expect((await bjt.get(`/api/v1/jobs/${jobId}`)).json().status).toBe('succeeded');
    expect(
      await env.p.handle.db
        .selectFrom('benefit_backpay')
        .select('id')
        .where('grade_change_id', '=', changed.json().change.id)
        .execute(),
    ).toHaveLength(3);
  });

  it('imports standards from a spreadsheet; a bad row records nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('标准');
    ws.addRow(['2026年护理费标准']);
    ws.addRow(['待遇类型', '对象类别', '伤残等级', '标准层级', '月标准（元）', '起始月份', '文号']);
    ws.addRow(['护理费', '残疾军人', '1-4', '国家', '1234.56', '2025-01', '民发〔2025〕3号']);
    ws.addRow(['护理费', '残疾军人', '5—6', '市级', '100', '2025年1月', '克政办〔2025〕8号']);
    const good = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await city.request('POST', '/api/v1/benefit-standards/import', good, {
      'content-type': 'application/octet-stream',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(2);
    // the nursing fee of grade 1–4 starts before P1: D was paid for P1 without it (klmy's roster)
    expect((await backPayOf(res.json().backPayJobId)).lines).toBeGreaterThan(0);
    const list = (await city.get('/api/v1/benefit-standards?benefitType=nursing_fee')).json().items;
    expect(list.map((s: { amountFen: number }) => s.amountFen).sort()).toEqual([10_000, 123_456]);
    ws.addRow(['护理费', '残疾军人', '7', '国家', '12.345', '2025-01', '民发〔2025〕3号']);
    const bad = Buffer.from(await wb.xlsx.writeBuffer());
    const refused = await city.request('POST', '/api/v1/benefit-standards/import', bad, {
      'content-type': 'application/octet-stream',
    });
    expect(refused.json().created).toBe(0);
    expect(refused.json().errors[0].row).toBe(5);
    expect((await klmy.post('/api/v1/benefit-standards', {})).statusCode).toBe(403);
  });

  it('a roster person paid although dead before the month is found from the roster’s side; only the findings’ lines are kept', async () => {
    // C is on P2's roster (back pay) and died before P2: paid this time
    const out = await reconcileFile(klmy, p2.id, 'again.csv', csv([[people.C!.idNumber, '待遇C', '200.00', '成功']]));
    expect(out).toMatchObject({ returnLines: 1, paidFen: 20_000 });
    expect(out.discrepancies).toMatchObject({ paid_after_death: 1 });
    const list = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${p2.id}&pageSize=50`)).json().items;
    expect(list.find((d: { kind: string }) => d.kind === 'paid_after_death')).toMatchObject({
      name: '待遇C',
      rowNumber: 2,
      expectedFen: 20_000,
      paidFen: 20_000,
    });
    const kept = await env.p.handle.db
      .selectFrom('benefit_returns')
      .select(['row_number', 'amount_fen', 'paid'])
      .where('roster_id', '=', p2.id)
      .execute();
    expect(kept.map((r) => [r.row_number, Number(r.amount_fen), r.paid])).toEqual([[2, 20_000, 1]]);
  });
  it('a return file with a bad ID number fails its job, naming the first bad row, and changes nothing', async () => {
    const before = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${p2.id}&pageSize=50`)).json().items;
    const file = csv([
      [people.C!.idNumber, '待遇C', '200.00', '成功'],
      ['650203195003011', '待遇旧', '200.00', '成功'], // the 15-digit form: read as its 18 digits
      [people.C!.idNumber.slice(0, 17), '待遇短', '200.00', '成功'], // 17 digits: refused
    ]);
    // the same number twice (kept between files when valid, never when refused)
    for (const name of ['bad.csv', 'bad-again.csv']) {
      const res = await klmy.request('POST', `/api/v1/benefit-rosters/${p2.id}/return?fileName=${name}`, file, {
        'content-type': 'application/octet-stream',
      });
      expect(res.statusCode, res.body).toBe(202);
      await env.jobs.idle();
      const job = (await klmy.get(`/api/v1/jobs/${res.json().id}`)).json();
      expect(job.status).toBe('failed');
      expect(job.error).toContain('3：');
    }
    expect((await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${p2.id}&pageSize=50`)).json().items).toEqual(
      before,
    );
  });
});
