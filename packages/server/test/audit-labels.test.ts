import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

// Issue 17 item 8: the audit log names the object of each row, not only its type and id.
let env: TestEnv;
let auditor: Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await testEnv();
  const klmy = await signedIn(env.app, 'klmy', '10.9.0.1');
  const admin = await signedIn(env.app, 'admin', '10.9.0.2');
  const unit = await signedIn(env.app, 'unit1', '10.9.0.3');
  const community = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const person = await klmy.post('/api/v1/beneficiaries', {
    orgId: community,
    name: '欧阳秀英',
    idNumber: makeId('650203', '1950-02-03', 41),
    categories: martyrSurvivor(),
  });
  expect(person.statusCode, person.body).toBe(201);
  ids.beneficiary = person.json().id;
  const org = await admin.post('/api/v1/orgs', {
    parentId: await orgId(env.p, '650200/650203/'),
    name: '审计测试服务站',
    code: 'audlbl',
    type: 'service_station',
  });
  expect(org.statusCode, org.body).toBe(201);
  ids.org = org.json().id;
  const user = await admin.post('/api/v1/users', {
    username: 'labelled',
    displayName: '标签用户',
    orgId: ids.org,
    roles: ['station_worker'],
    password: 'Tianshan#Road2026',
  });
  expect(user.statusCode, user.body).toBe(201);
  ids.user = user.json().id;
  const need = await unit.post('/api/v1/needs', {
    title: '营区供暖管道维修',
    description: '冬季供暖前需要维修营区外部供暖管道',
    category: 'schooling',
  });
  expect(need.statusCode, need.body).toBe(201);
  ids.need = need.json().id;
  auditor = await signedIn(env.app, 'auditor', '10.9.0.4');
});
afterAll(async () => env?.close());

async function labelOf(entityType: string, entityId: string) {
  const res = await auditor.get(`/api/v1/audit?entityType=${entityType}&entityId=${entityId}`);
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json().items as { entityLabel: string | null }[];
  expect(items.length).toBeGreaterThan(0);
  return items[0]!.entityLabel;
}

describe('audit log object names', () => {
  it('names an org, a user and a case as people call them', async () => {
    expect(await labelOf('org', ids.org!)).toBe('审计测试服务站');
    expect(await labelOf('user', ids.user!)).toBe('标签用户（labelled）');
    expect(await labelOf('need', ids.need!)).toBe('营区供暖管道维修');
  });

  it('masks a person’s name for a viewer who does not work with the families', async () => {
    expect(await labelOf('beneficiary', ids.beneficiary!)).toBe('欧＊＊＊');
  });

  it('leaves an object it cannot name without a label, and exports the names with the ids', async () => {
    const res = await auditor.get('/api/v1/audit?action=auth.login');
    expect(res.statusCode).toBe(200);
    for (const e of res.json().items as { entityType: string | null; entityLabel: string | null }[])
      if (!e.entityType) expect(e.entityLabel).toBeNull();

    const file = await auditor.get(`/api/v1/audit/export?entityType=need&entityId=${ids.need}`);
    expect(file.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const row = (ws.getRow(2).values as unknown[]).slice(1);
    expect(row[header.indexOf('对象')]).toBe('营区供暖管道维修');
    expect(row[header.indexOf('对象ID')]).toBe(ids.need);
  });
});
