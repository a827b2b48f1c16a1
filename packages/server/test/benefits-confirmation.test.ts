import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileReturn, returnCsv } from './benefits-fixtures.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Issue 21, the rest (decisions/0045), on the storage of the run: 性质 (因战/因公/因病) in the
 * standards, annual confirmation suspending a person and its late recording paying back, quarterly
 * rosters, and bank accounts sealed, masked in lists and opened on the bank list. Amounts by hand.
 *
 * People registered now need no confirmation this year (nor in the grace months of the next), so
 * the months below are of next year (Y): Q1 is inside the grace months, Q2 is not.
 */
let env: TestEnv;

/** Waits for a confirmation's back-pay job (decisions/0057): it succeeds with its progress at 100 %. */
async function backPayOf(c: Client, jobId: string | null) {
  expect(jobId).toEqual(expect.any(String));
  await env.jobs.idle();
  const job = await c.get(`/api/v1/jobs/${jobId}`);
  expect(job.statusCode, job.body).toBe(200);
  expect(job.json()).toMatchObject({ kind: 'benefit.backpay.confirmation', status: 'succeeded' });
  expect(job.json().processed).toBe(job.json().total);
  return job.json().result as { lines: number; owedFen: number; months: number };
}
let city: Client;
let klmy: Client;
let dsz: Client;
const KLMY = '650200/650203/650203001/650203001001/';
const Y = new Date().getUTCFullYear() + 1;

let seq = 0;
const people: Record<string, { id: string; idNumber: string }> = {};

async function person(key: string, categories: unknown[]) {
  const idNumber = makeId('650203', '1955-06-01', 400 + seq++ * 2);
  const res = await klmy.post('/api/v1/beneficiaries', {
    orgId: await orgId(env.p, KLMY),
    name: `确认${key}`,
    idNumber,
    categories,
  });
  expect(res.statusCode, res.body).toBe(201);
  people[key] = { id: res.json().id, idNumber };
}

const disabled = (cause?: string) => [
  {
    code: 'disabled_veteran',
    startDate: '2010-01-01',
    disabilityGrade: 6,
    ...(cause ? { disabilityCause: cause } : {}),
  },
];

async function standard(body: object) {
  const res = await city.post('/api/v1/benefit-standards', {
    layer: 'national',
    docNo: '民发〔2025〕1号',
    validFrom: '2025-01',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function roster(period: string) {
  const created = await klmy.post('/api/v1/benefit-rosters', { period });
  expect(created.statusCode, created.body).toBe(201);
  return created.json();
}

async function release(r: { id: string; version: number }, c: Client = klmy) {
  const req = await c.post(`/api/v1/benefit-rosters/${r.id}/request`, { version: r.version });
  expect(req.statusCode, req.body).toBe(200);
  const ok = await city.post(`/api/v1/benefit-rosters/${r.id}/decision`, {
    version: req.json().version,
    decision: 'approve',
  });
  expect(ok.statusCode, ok.body).toBe(200);
  return ok.json();
}

async function lines(id: string) {
  const res = await klmy.get(`/api/v1/benefit-rosters/${id}/lines?pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as {
    name: string;
    month: string;
    kind: string;
    amountFen: number;
    accountMasked: string | null;
  }[];
}

const DSZ = '650200/650202/650202001/650202001001/';

/** Reconciles a return file as a job; the discrepancies it found by kind. */
const reconcile = async (c: Client, rosterId: string, rows: string[][]) =>
  (await reconcileReturn(env, c, rosterId, returnCsv(rows), 'back.csv')).discrepancies;

const confirm = (c: Client, key: string, year = Y) =>
  c.post('/api/v1/benefit-confirmations', {
    beneficiaryId: people[key]!.id,
    year,
    confirmedOn: `${year}-05-20`,
    method: 'in_person',
  });

beforeAll(async () => {
  env = await testEnv();
  city = await signedIn(env.app, 'city', '10.28.0.1');
  klmy = await signedIn(env.app, 'klmy', '10.28.0.2');
  dsz = await signedIn(env.app, 'dsz', '10.28.0.3');
  await person('W', disabled('war'));
  await person('U', disabled('illness'));
  await person('N', disabled());
  await person('S', [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }]);
  // the same grade is paid by 性质; a standard without one applies to every 性质 (and to none recorded)
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 5,
    gradeMax: 6,
    disabilityCause: 'war',
    amountFen: 400_000,
  });
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 5,
    gradeMax: 6,
    disabilityCause: 'illness',
    amountFen: 360_000,
  });
  await standard({
    benefitType: 'disability_pension',
    category: 'disabled_veteran',
    gradeMin: 1,
    gradeMax: 10,
    layer: 'city',
    amountFen: 10_000,
    docNo: '克政办〔2025〕7号',
  });
  await standard({ benefitType: 'survivor_pension', category: 'martyr_survivor', amountFen: 250_000 });
});
afterAll(async () => env?.close());

describe('benefits: 性质, annual confirmation, quarterly rosters, bank accounts (issue 21, decisions/0045)', () => {
  let q2: { id: string; version: number; totalFen: number };

  it('keeps the 性质 on the register and pays by it; the explanation names it', async () => {
    const detail = (await klmy.get(`/api/v1/beneficiaries/${people.W!.id}`)).json();
    expect(detail.assignments[0]).toMatchObject({ disabilityGrade: 6, disabilityCause: 'war' });
    const refused = await klmy.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, KLMY),
      name: '确认X',
      idNumber: makeId('650203', '1955-06-01', 900),
      categories: [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother', disabilityCause: 'war' }],
    });
    expect(refused.statusCode).toBe(400);
    const w = (
      await klmy.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.W!.id}&from=${Y}-01&to=${Y}-01`)
    ).json();
    expect(w.totalFen).toBe(410_000);
    expect(w.lines[0].explanation).toBe(
      `残疾军人 6级 因战，2025-01 起国家标准 4000.00 元（民发〔2025〕1号）；残疾军人 6级 因战，2025-01 起市级标准 100.00 元（克政办〔2025〕7号）`,
    );
    const u = (
      await klmy.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.U!.id}&from=${Y}-01&to=${Y}-01`)
    ).json();
    expect(u.totalFen).toBe(370_000);
    // no 性质 recorded: only what applies to every 性质
    const n = (
      await klmy.get(`/api/v1/benefit-entitlements?beneficiaryId=${people.N!.id}&from=${Y}-01&to=${Y}-01`)
    ).json();
    expect(n.totalFen).toBe(10_000);
  });

  it('a quarterly roster pays three months; a month of it cannot be put on another roster', async () => {
    const q1 = await roster(`${Y}-Q1`);
    expect(q1).toMatchObject({ period: `${Y}-Q1`, periodFrom: `${Y}-01`, periodTo: `${Y}-03`, lineCount: 12 });
    // (410,000 + 370,000 + 10,000 + 250,000) × 3; Q1 is inside the grace months of last year's confirmation
    expect(q1.totalFen).toBe(3_120_000);
    const months = new Set((await lines(q1.id)).map((l) => l.month));
    expect([...months].sort()).toEqual([`${Y}-01`, `${Y}-02`, `${Y}-03`]);
    const overlap = await klmy.post('/api/v1/benefit-rosters', { period: `${Y}-02` });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().code).toBe('roster_overlap');
    expect((await klmy.post('/api/v1/benefit-rosters', { period: `${Y}-Q5` })).statusCode).toBe(400);
    await release(q1);
  });

  it('a person paid for a month by a monthly roster and by another district’s quarterly roster is paid twice; a file imported again replaces the results', async () => {
    // X lives in 独山子区, whose roster of ${Y}-02 pays her; 克拉玛依区's bank file of Q1 pays her too
    const idNumber = makeId('650202', '1956-02-01', 600);
    const x = await dsz.post('/api/v1/beneficiaries', {
      orgId: await orgId(env.p, DSZ),
      name: '确认X',
      idNumber,
      categories: [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }],
    });
    expect(x.statusCode, x.body).toBe(201);
    const feb = await dsz.post('/api/v1/benefit-rosters', { period: `${Y}-02` });
    expect(feb.statusCode, feb.body).toBe(201);
    expect(feb.json()).toMatchObject({ lineCount: 1, totalFen: 250_000 });
    await release(feb.json(), dsz);
    expect(await reconcile(dsz, feb.json().id, [[idNumber, '确认X', '2500.00', '成功']])).toEqual({});

    const q1 = (await klmy.get('/api/v1/benefit-rosters?pageSize=50'))
      .json()
      .items.find((r: { period: string }) => r.period === `${Y}-Q1`);
    // W (400,000 + 10,000) × 3, U (360,000 + 10,000) × 3, N 10,000 × 3, S 250,000 × 3
    const right = [
      [people.W!.idNumber, '确认W', '12300.00', '成功'],
      [people.U!.idNumber, '确认U', '11100.00', '成功'],
      [people.N!.idNumber, '确认N', '300.00', '成功'],
      [people.S!.idNumber, '确认S', '7500.00', '成功'],
    ];
    expect(await reconcile(klmy, q1.id, [...right, [idNumber, '确认X', '7500.00', '成功']])).toEqual({
      duplicate_district: 1,
    });
    const first = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${q1.id}&pageSize=50`)).json().items;
    expect(first.map((d: { kind: string; name: string; paidFen: number }) => [d.kind, d.name, d.paidFen])).toEqual([
      ['duplicate_district', '确认X', 750_000],
    ]);

    // the bank's corrected file: X left out, W paid 100.00 short
    right[0]![2] = '12200.00';
    expect(await reconcile(klmy, q1.id, right)).toEqual({ underpaid: 1 });
    const second = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${q1.id}&pageSize=50`)).json().items;
    expect(second.map((d: { kind: string; name: string }) => [d.kind, d.name])).toEqual([['underpaid', '确认W']]);
    // only the lines of the file in force are kept, and of them only the findings' (decisions/0054)
    const kept = await env.p.handle.db
      .selectFrom('benefit_returns')
      .select(['id_masked', 'amount_fen', 'row_number'])
      .where('roster_id', '=', q1.id)
      .orderBy('row_number')
      .execute();
    expect(kept.map((r) => [r.row_number, Number(r.amount_fen), r.id_masked])).toEqual([
      [2, 1_220_000, second[0].idMasked],
    ]);
    expect(second[0]).toMatchObject({ rowNumber: 2, expectedFen: 1_230_000, paidFen: 1_220_000 });
    // X is still paid by 独山子区's file in force (no line of it kept: it had no finding there)
    expect(await reconcile(klmy, q1.id, [...right, [idNumber, '确认X', '7500.00', '成功']])).toEqual({
      duplicate_district: 1,
      underpaid: 1,
    });
    right[0]![2] = '12300.00';
    expect(await reconcile(klmy, q1.id, right)).toEqual({});
    right[0]![2] = '12200.00';
    // once 独山子区's file says X's payment failed, or leaves her out, she is not paid there
    const withX = [...right, [idNumber, '确认X', '7500.00', '成功']];
    expect(await reconcile(dsz, feb.json().id, [[idNumber, '确认X', '2500.00', '失败']])).toEqual({ failed: 1 });
    expect(await reconcile(klmy, q1.id, withX)).toEqual({ not_entitled: 1, underpaid: 1 });
    const stranger = makeId('650202', '1960-03-01', 700);
    expect(await reconcile(dsz, feb.json().id, [[stranger, '某人', '2500.00', '失败']])).toEqual({ missing: 1 });
    expect(await reconcile(klmy, q1.id, withX)).toEqual({ not_entitled: 1, underpaid: 1 });
    expect(await reconcile(klmy, q1.id, right)).toEqual({ underpaid: 1 });
    expect(await reconcile(dsz, feb.json().id, [[idNumber, '确认X', '2500.00', '成功']])).toEqual({});
    expect((await klmy.get(`/api/v1/benefit-rosters/${q1.id}`)).json()).toMatchObject({
      status: 'reconciled',
      paidFen: 3_110_000,
      openDiscrepancies: 1,
    });
  });

  it('a return file with a bad line changes nothing', async () => {
    const q1 = (await klmy.get('/api/v1/benefit-rosters?pageSize=50'))
      .json()
      .items.find((r: { period: string }) => r.period === `${Y}-Q1`);
    const res = await klmy.request(
      'POST',
      `/api/v1/benefit-rosters/${q1.id}/return?fileName=bad.csv`,
      returnCsv([
        [people.W!.idNumber, '确认W', '12300.00', '成功'],
        ['not an id', '某人', '1.00', '成功'],
      ]),
      { 'content-type': 'application/octet-stream' },
    );
    expect(res.statusCode, res.body).toBe(202);
    await env.jobs.idle();
    const job = (await klmy.get(`/api/v1/jobs/${res.json().id}`)).json();
    expect(job.status).toBe('failed');
    const rows = await env.p.handle.db
      .selectFrom('benefit_returns')
      .select('amount_fen')
      .where('roster_id', '=', q1.id)
      .execute();
    expect(rows.map((r) => Number(r.amount_fen))).toEqual([1_220_000]);
    expect((await klmy.get(`/api/v1/benefit-rosters/${q1.id}`)).json()).toMatchObject({
      paidFen: 3_110_000,
      openDiscrepancies: 1,
    });
  });

  it('without the year’s confirmation a person is suspended after the grace months, and listed to be called in', async () => {
    expect((await confirm(klmy, 'W')).statusCode).toBe(201);
    const s = await confirm(klmy, 'S');
    expect(s.statusCode, s.body).toBe(201);
    // Q1 is paid: the job looks, and owes S nothing (S was paid for Q1; another district paid a month too)
    expect(await backPayOf(klmy, s.json().backPayJobId)).toEqual({ lines: 0, owedFen: 0, months: 4 });
    expect((await confirm(klmy, 'S')).statusCode).toBe(409);
    expect((await confirm(dsz, 'U')).statusCode).toBe(404);
    q2 = await roster(`${Y}-Q2`);
    // U and N have not confirmed Y: W and S only, three months each
    expect(q2.totalFen).toBe((410_000 + 250_000) * 3);
    expect(new Set((await lines(q2.id)).map((l) => l.name))).toEqual(new Set(['确认W', '确认S']));
    const missing = (await klmy.get(`/api/v1/benefit-confirmations/missing?month=${Y}-04`)).json();
    expect(missing.items.map((p: { name: string }) => p.name)).toEqual(['确认N', '确认U']);
    expect((await klmy.get(`/api/v1/benefit-confirmations/missing?month=${Y}-03`)).json().items).toEqual([]);
    expect(
      (await dsz.get(`/api/v1/benefit-confirmations/missing?month=${Y}-04&orgId=${await orgId(env.p, KLMY)}`))
        .statusCode,
    ).toBe(404);
    const listed = (await klmy.get(`/api/v1/benefit-confirmations?year=${Y}`)).json().items;
    expect(listed).toHaveLength(2);
    expect((await dsz.get(`/api/v1/benefit-confirmations?year=${Y}`)).json().items).toEqual([]);
    q2 = await release(q2);
  });

  it('a late confirmation pays the suspended months back on the next roster', async () => {
    const late = await confirm(klmy, 'U');
    expect(late.statusCode, late.body).toBe(201);
    // Q2 was released without U: 3 × 370,000, computed by a job queued with the confirmation
    const jobId = late.json().backPayJobId;
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'benefit.confirmation.create')
      .where('entity_id', '=', late.json().confirmation.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.changes))).toMatchObject({ backPayJobId: jobId });
    expect(await backPayOf(klmy, jobId)).toEqual({ lines: 3, owedFen: 1_110_000, months: 7 });
    // run again (a crash, a resume): no line twice
    await env.p.handle.db.updateTable('jobs').set({ status: 'queued' }).where('id', '=', jobId).execute();
    await env.jobs.resume();
    expect(await backPayOf(klmy, jobId)).toEqual({ lines: 3, owedFen: 1_110_000, months: 7 });
    // the district that records confirmations sees its job; another district does not
    expect((await dsz.get(`/api/v1/jobs/${jobId}`)).statusCode).toBe(404);
    const q3 = await roster(`${Y}-Q3`);
    const got = (await lines(q3.id)).filter((l) => l.name === '确认U').map((l) => [l.month, l.kind, l.amountFen]);
    expect(got).toEqual([
      [`${Y}-04`, 'backpay', 370_000],
      [`${Y}-05`, 'backpay', 370_000],
      [`${Y}-06`, 'backpay', 370_000],
      [`${Y}-07`, 'regular', 370_000],
      [`${Y}-08`, 'regular', 370_000],
      [`${Y}-09`, 'regular', 370_000],
    ]);
    expect(q3.totalFen).toBe((410_000 + 370_000 + 250_000) * 3 + 1_110_000);
  });

  it('keeps bank accounts sealed, masks them in lists, and opens them on the audited bank list', async () => {
    const bad = await klmy.request('PUT', `/api/v1/benefit-accounts/${people.W!.id}`, {
      bankName: '农业银行',
      accountNo: '6222abc',
    });
    expect(bad.statusCode).toBe(400);
    const saved = await klmy.request('PUT', `/api/v1/benefit-accounts/${people.W!.id}`, {
      bankName: '农业银行克拉玛依分行',
      accountNo: '6228 4800 1234 5678 901',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().account).toMatchObject({
      bankName: '农业银行克拉玛依分行',
      accountMasked: '***************8901',
    });
    expect((await dsz.get(`/api/v1/benefit-accounts/${people.W!.id}`)).statusCode).toBe(404);
    expect(
      (
        await dsz.request('PUT', `/api/v1/benefit-accounts/${people.W!.id}`, {
          bankName: '农业银行',
          accountNo: '62284800',
        })
      ).statusCode,
    ).toBe(404);
    const stored = await env.p.handle.db.selectFrom('benefit_accounts').selectAll().executeTakeFirstOrThrow();
    expect(stored.account_enc).not.toContain('8901');
    expect(env.p.crypto.decrypt(stored.account_enc)).toBe('6228480012345678901');
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'benefit.account.save')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toContain('6228480012345678901');
    // what each may do: klmy records and opens it; the city's staff record it but may not open it
    expect(saved.json().abilities).toEqual({ save: true, reveal: true });
    expect((await city.get(`/api/v1/benefit-accounts/${people.W!.id}`)).json().abilities).toEqual({
      save: true,
      reveal: false,
    });
    const cityReveal = await city.request('POST', `/api/v1/benefit-accounts/${people.W!.id}/reveal`, {
      reason: '核对发放',
    });
    expect(cityReveal.statusCode).toBe(403);
    expect(
      (await dsz.request('POST', `/api/v1/benefit-accounts/${people.W!.id}/reveal`, { reason: '核对发放' })).statusCode,
    ).toBe(404);
    expect(
      (await klmy.request('POST', `/api/v1/benefit-accounts/${people.W!.id}/reveal`, { reason: '' })).statusCode,
    ).toBe(400);
    const revealed = await klmy.request('POST', `/api/v1/benefit-accounts/${people.W!.id}/reveal`, {
      reason: '核对银行退回',
    });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ bankName: '农业银行克拉玛依分行', accountNo: '6228480012345678901' });
    const revealAudit = await env.p.handle.db
      .selectFrom('audit_log')
      .select(['changes', 'entity_id'])
      .where('action', '=', 'benefit.account.reveal')
      .execute();
    expect(revealAudit).toHaveLength(1);
    expect(revealAudit[0]!.entity_id).toBe(people.W!.id);
    expect(JSON.stringify(revealAudit[0]!.changes)).toContain('核对银行退回');
    expect(JSON.stringify(revealAudit[0]!.changes)).not.toContain('6228480012345678901');

    const q2Lines = await lines(q2.id);
    expect(q2Lines.find((l) => l.name === '确认W')!.accountMasked).toBe('***************8901');
    expect(q2Lines.find((l) => l.name === '确认S')!.accountMasked).toBeNull();
    const res = await klmy.get(`/api/v1/benefit-rosters/${q2.id}/bank-list`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][]).map((r) =>
      Array.from(r.slice(1), (c) => (c === undefined || c === null ? '' : String(c))),
    );
    expect(rows[0]).toEqual(['序号', '姓名', '身份证号', '开户银行', '银行账号', '金额（元）', '备注']);
    expect(rows.find((r) => r[1] === '确认W')!.slice(2, 6)).toEqual([
      people.W!.idNumber,
      '农业银行克拉玛依分行',
      '6228480012345678901',
      '12300.00',
    ]);
    const exported = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'benefit.roster.export')
      .where('entity_id', '=', q2.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(exported.changes)).toContain('accountNo');

    // the bank's return file: its account numbers are sealed too, only the masked copy is readable
    const csv = Buffer.from(
      [
        '身份证号,姓名,金额（元）,发放结果,银行账号',
        `${people.W!.idNumber},确认W,12300.00,成功,6228480012345678901`,
        `${people.S!.idNumber},确认S,7500.00,成功,6217000011112222`,
      ].join('\n'),
      'utf8',
    );
    const ret = await klmy.request('POST', `/api/v1/benefit-rosters/${q2.id}/return?fileName=q2.csv`, csv, {
      'content-type': 'application/octet-stream',
    });
    expect(ret.statusCode, ret.body).toBe(202);
    await env.jobs.idle();
    const job = (await klmy.get(`/api/v1/jobs/${ret.json().id}`)).json();
    expect(job.status, job.error).toBe('succeeded');
    expect(job.result.discrepancies).toEqual({});
    const returns = () =>
      env.p.handle.db
        .selectFrom('benefit_returns')
        .select(['row_number', 'amount_fen', 'paid', 'account_enc', 'account_masked'])
        .where('roster_id', '=', q2.id)
        .orderBy('row_number')
        .execute();
    // a file without findings keeps no line (decisions/0054)
    expect(await returns()).toEqual([]);
    // S paid twice: both of S's lines are kept (W's, without a finding, is not), the accounts sealed
    const twice = await klmy.request(
      'POST',
      `/api/v1/benefit-rosters/${q2.id}/return?fileName=q2b.csv`,
      Buffer.from(`${csv.toString('utf8')}\n${people.S!.idNumber},确认S,7500.00,成功,6217000033334444`, 'utf8'),
      { 'content-type': 'application/octet-stream' },
    );
    expect(twice.statusCode, twice.body).toBe(202);
    await env.jobs.idle();
    const job2 = (await klmy.get(`/api/v1/jobs/${twice.json().id}`)).json();
    expect(job2.status, job2.error).toBe('succeeded');
    expect(job2.result).toMatchObject({ returnLines: 3, discrepancies: { duplicate_line: 1 } });
    const kept = await returns();
    expect(kept.map((r) => [r.row_number, Number(r.amount_fen), r.paid, r.account_masked])).toEqual([
      [3, 750_000, 1, '************2222'],
      [4, 750_000, 1, '************4444'],
    ]);
    expect(kept.every((r) => r.account_enc && !r.account_enc.includes('2222') && !r.account_enc.includes('4444'))).toBe(
      true,
    );
    expect(env.p.crypto.decrypt(kept[0]!.account_enc!)).toBe('6217000011112222');
    const found = (await klmy.get(`/api/v1/benefit-discrepancies?rosterId=${q2.id}&pageSize=50`)).json().items;
    expect(
      found.map((d: { kind: string; rowNumber: number; paidFen: number }) => [d.kind, d.rowNumber, d.paidFen]),
    ).toEqual([['duplicate_line', 4, 1_500_000]]);
  });
});
