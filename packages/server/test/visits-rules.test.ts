import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Household facts and the org-by-org reading of a rule (克拉玛依区 = klmy):
 *   H1 孙奶奶 烈士遗属 (友谊社区) + 孙大爷 (older, deceased): lives alone, named after 孙奶奶
 *   H2 周烈属 烈士遗属, registered on the district itself
 *   H3 吴烈属 烈士遗属, registered on the street 天山路 (between its communities' ranges)
 *   H4 郑烈属 烈士遗属 + 郑老兵 (older, active): not alone, named after 郑老兵
 */
let env: TestEnv;
let klmy: Client;
const CAMPAIGN = 'rules-2027';

async function person(body: Record<string, unknown>) {
  const res = await klmy.post('/api/v1/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number; household: { id: string } };
}

const martyr = [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'spouse' }];
const veteran = [{ code: 'demobilized_veteran', startDate: '1960-01-01' }];

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.9.0.1');
  await ensureCampaign(env.p.handle.db, CAMPAIGN, `${CAMPAIGN} 春节走访慰问`);
  const youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const district = await orgId(env.p, '650200/650203/');
  const street = await orgId(env.p, '650200/650203/650203001/');
  const h1 = await person({
    orgId: youyi,
    name: '孙奶奶',
    idNumber: makeId('650203', '1936-04-04', 21, 'female'),
    categories: martyr,
  });
  const elder = await person({
    orgId: youyi,
    name: '孙大爷',
    idNumber: makeId('650203', '1930-01-01', 23),
    householdId: h1.household.id,
    categories: veteran,
  });
  const died = await klmy.patch(`/api/v1/beneficiaries/${elder.id}`, {
    version: elder.version,
    status: 'deceased',
    statusDate: '2026-01-01',
  });
  expect(died.statusCode).toBe(200);
  await person({ orgId: district, name: '周烈属', idNumber: makeId('650203', '1950-02-02', 25), categories: martyr });
  await person({ orgId: street, name: '吴烈属', idNumber: makeId('650203', '1952-03-03', 27), categories: martyr });
  const h4 = await person({
    orgId: youyi,
    name: '郑烈属',
    idNumber: makeId('650203', '1948-05-05', 29, 'female'),
    categories: martyr,
  });
  await person({
    orgId: youyi,
    name: '郑老兵',
    idNumber: makeId('650203', '1932-06-06', 31),
    householdId: h4.household.id,
    categories: veteran,
  });
});
afterAll(async () => env?.close());

describe('target lists from rules', () => {
  it('reads the rule across the whole subtree and takes household facts from active members only', async () => {
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '烈属走访',
      rules: [{ id: 'm', categories: ['martyr_survivor'] }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().rules[0].matched).toBe(4);
    const list = await klmy.get(`/api/v1/visit-plans/${res.json().id}/targets?pageSize=50`);
    const byName = Object.fromEntries(
      list
        .json()
        .items.map((t: { name: string; oldestBirth: string; livesAlone: boolean }) => [
          t.name,
          [t.oldestBirth, t.livesAlone],
        ]),
    );
    expect(byName).toEqual({
      孙奶奶: ['1936-04-04', true],
      周烈属: ['1950-02-02', true],
      吴烈属: ['1952-03-03', true],
      郑老兵: ['1932-06-06', false],
    });
  });

  it('keeps only households with one active member when the rule asks for those living alone', async () => {
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '独居烈属',
      rules: [{ id: 'a', categories: ['martyr_survivor'], livingAloneOnly: true }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().rules[0].matched).toBe(3);
    const list = await klmy.get(`/api/v1/visit-plans/${res.json().id}/targets?pageSize=50`);
    expect(
      list
        .json()
        .items.map((t: { name: string }) => t.name)
        .sort(),
    ).toEqual(['吴烈属', '周烈属', '孙奶奶'].sort());
  });
});
