import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let klmy: Client;
const ID = makeId('650203', '1949-10-01', 30);

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.8.2.1');
  const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '公式测试',
    idNumber: ID,
    phone: '13912345678',
    note: '=HYPERLINK("http://evil.example","点我")',
    categories: martyrSurvivor(),
  });
  await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '第二人',
    idNumber: makeId('650203', '1955-05-05', 32),
    categories: [{ code: 'veteran', startDate: '1975-01-01' }],
  });
});
afterAll(async () => env?.close());

async function sheet(body: unknown, client = klmy) {
  const res = await client.post('/api/v1/beneficiaries/export', body);
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((r) => rows.push(Array.from((r.values as unknown[]).slice(1), (v) => String(v ?? ''))));
  return rows;
}

describe('export', () => {
  it('exports the current filter masked, with formulas escaped', async () => {
    const rows = await sheet({ filters: { category: 'martyr_survivor' } });
    expect(rows[0]).toContain('身份证号');
    expect(rows.length).toBe(2);
    const row = rows[1]!;
    expect(row).toContain('公式测试');
    expect(row).toContain(`650203********${ID.slice(-4)}`);
    expect(row).toContain('139****5678');
    expect(row.join('|')).not.toContain(ID);
    const note = row.find((c) => c.includes('HYPERLINK'))!;
    expect(note.startsWith("'=")).toBe(true);
  });

  it('reveals full values only with the permission and a reason, and audits every export', async () => {
    expect((await klmy.post('/api/v1/beneficiaries/export', { reveal: true })).statusCode).toBe(400);
    const rows = await sheet({ reveal: true, reason: '年度复核', filters: { q: '公式' } });
    expect(rows[1]).toContain(ID);
    expect(rows[1]).toContain('13912345678');
    const city = await signedIn(env.app, 'city', '10.8.2.2');
    expect((await city.post('/api/v1/beneficiaries/export', { reveal: true, reason: '试图查看' })).statusCode).toBe(
      403,
    );
    const audits = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'beneficiary.export')
      .orderBy('seq')
      .execute();
    expect(audits.map((a) => JSON.parse(a.changes!))).toEqual([
      expect.objectContaining({ rows: 1, revealed: false }),
      expect.objectContaining({ rows: 1, revealed: true, reason: '年度复核' }),
    ]);
  });

  it('exports exactly the rows chosen on the list, audited with their ids', async () => {
    const list = (await klmy.get('/api/v1/beneficiaries?pageSize=50')).json();
    const second = list.items.find((b: { name: string }) => b.name === '第二人').id as string;
    const rows = await sheet({ ids: [second] });
    expect(rows.map((r) => r[0])).toEqual(['姓名', '第二人']);
    const audit = await env.p.handle.db
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'beneficiary.export')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.changes!)).toMatchObject({ rows: 1, ids: [second] });
    // the selection stays inside the caller's scope and the filters
    const dsz = await signedIn(env.app, 'dsz', '10.8.2.9');
    expect((await sheet({ ids: [second] }, dsz)).length).toBe(1);
    expect((await sheet({ ids: [second], filters: { category: 'martyr_survivor' } })).length).toBe(1);
    expect((await klmy.post('/api/v1/beneficiaries/export', { ids: [] })).statusCode).toBe(400);
  });

  it('never exports another district’s people', async () => {
    const dsz = await signedIn(env.app, 'dsz', '10.8.2.3');
    expect((await sheet({}, dsz)).length).toBe(1);
    expect(
      (await dsz.post('/api/v1/beneficiaries/export', { filters: { orgId: await orgId(env.p, '650200/650203/') } }))
        .statusCode,
    ).toBe(404);
  });

  it('serves an import template with drop-down lists', async () => {
    const res = await klmy.get('/api/v1/beneficiaries/import-template');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).text).toBe('姓名');
    // the grade's columns, as the export writes them: a differing grade is imported with its decision
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const grade = header.indexOf('伤残等级');
    expect(header.slice(grade, grade + 4)).toEqual(['伤残等级', '伤残性质', '等级调整决定日期', '等级调整文号']);
    const validations = JSON.stringify(
      (ws as unknown as { dataValidations: { model: unknown } }).dataValidations.model,
    );
    expect(validations).toContain('list');
  });
});

describe('bulk-extraction guard', () => {
  it('raises an audited alert when one account looks up or exports more people than the limits allow', async () => {
    const admin = await signedIn(env.app, 'admin', '10.8.2.9');
    expect(
      (await admin.patch('/api/v1/settings/security', { extraction: { lookupsPerHour: 3, exportRows: 1 } })).statusCode,
    ).toBe(200);
    const alerts = async () =>
      (
        await env.p.handle.db
          .selectFrom('audit_log')
          .select(['actor_name', 'changes'])
          .where('action', '=', 'security.alert')
          .orderBy('seq')
          .execute()
      ).map((r) => ({ actor: r.actor_name, ...JSON.parse(r.changes!) }));
    const before = (await alerts()).length;
    for (let i = 0; i < 3; i++) await klmy.post('/api/v1/beneficiaries/lookup', { idNumber: ID });
    expect((await alerts()).length).toBe(before);
    await klmy.post('/api/v1/beneficiaries/lookup', { idNumber: ID });
    expect((await alerts()).at(-1)).toMatchObject({ actor: 'klmy', kind: 'lookups', limit: 3 });
    await sheet({ reveal: true, reason: '核对' });
    expect((await alerts()).at(-1)).toMatchObject({ actor: 'klmy', kind: 'export', rows: 2, revealed: true });
    const auditor = await signedIn(env.app, 'auditor', '10.8.2.8');
    expect((await auditor.get('/api/v1/audit?action=security.alert')).json().total).toBeGreaterThanOrEqual(2);
  });
});
