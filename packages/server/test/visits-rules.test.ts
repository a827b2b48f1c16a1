import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedRule } from '../src/modules/visits/rules.js';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { buildRuleTargets } from '../src/modules/visits/target-build.repo.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { localToday } from '../src/platform/calendar/dates.js';
import { nowIso } from '../src/platform/ids.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

/**
 * Household facts and the org-by-org reading of a rule (克拉玛依区 = klmy):
 *   H1 孙奶奶 烈士遗属 (友谊社区) + 孙大爷 (older, deceased): lives alone, named after 孙奶奶
 *   H2 周烈属 烈士遗属, registered on the district itself
 *   H3 吴烈属 烈士遗属, registered on the street 天山路 (between its communities' ranges)
 *   H4 郑烈属 烈士遗属 + 郑老兵 (older, active): not alone, named after 郑老兵
 *   H5 four 参加核试验军队退役人员: 核甲 90 today, 核乙 90 tomorrow, 核丙 and 核丁 younger
 */
let env: TestEnv;
let klmy: Client;
let h5: string;
const CAMPAIGN = 'rules-2027';

async function person(body: Record<string, unknown>) {
  const res = await klmy.post('/api/v1/beneficiaries', body);
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number; household: { id: string } };
}

const martyr = [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'spouse' }];
const veteran = [{ code: 'demobilized_veteran', startDate: '1960-01-01' }];
const nuclear = [{ code: 'nuclear_test_veteran', startDate: '1960-01-01' }];

/** `date` (YYYY-MM-DD) moved by `days`, `years` earlier. */
function shifted(date: string, years: number, days = 0): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

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
  // the server's today (display time zone): one member is 90 today, the next turns 90 tomorrow
  const today = localToday(env.p.config.tzDisplay);
  const first = await person({
    orgId: youyi,
    name: '核甲',
    idNumber: makeId('650203', shifted(today, 90), 33),
    categories: nuclear,
  });
  h5 = first.household.id;
  const members: [string, string][] = [
    ['核乙', shifted(today, 90, 1)],
    ['核丙', '1950-07-07'],
    ['核丁', '1951-08-08'],
  ];
  for (const [i, [name, birth]] of members.entries())
    await person({
      orgId: youyi,
      name,
      idNumber: makeId('650203', birth, 35 + 2 * i),
      householdId: h5,
      categories: nuclear,
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

  it('names at most three members per rule and counts ages from the birthday', async () => {
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '核试验退役人员',
      rules: [
        { id: 'old', categories: ['nuclear_test_veteran'], minAge: 90 },
        { id: 'all', categories: ['nuclear_test_veteran'] },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().rules.map((r: { matched: number }) => r.matched)).toEqual([1, 1]);
    const list = (await klmy.get(`/api/v1/visit-plans/${res.json().id}/targets?pageSize=50`)).json();
    expect(list.total).toBe(1);
    const [target] = list.items as { name: string; reasons: { ruleId: string; detail: string }[] }[];
    expect(target!.reasons.map((r) => r.ruleId)).toEqual(['old', 'all']);
    // 90 today is on the list, 90 tomorrow is not yet
    expect(target!.reasons[0]!.detail).toBe('核甲（90 岁，参加核试验军队退役人员）');
    const named = target!.reasons[1]!.detail;
    expect(named).toMatch(
      /^核甲（90 岁，参加核试验军队退役人员）；核乙（89 岁，参加核试验军队退役人员）；核丙（\d+ 岁，参加核试验军队退役人员） 等$/,
    );
  });

  it('counts each rule by the households it names, whatever its label holds', async () => {
    const res = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '两条规则',
      rules: [
        { id: 'x_1', label: '50%_"独居"!', categories: ['nuclear_test_veteran'], livingAloneOnly: true },
        { id: 'x-2', label: '50%_"独居"!', categories: ['martyr_survivor'], livingAloneOnly: true },
        { id: 'x_3', categories: ['martyr_survivor', 'nuclear_test_veteran'] },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().rules.map((r: { id: string; matched: number }) => [r.id, r.matched])).toEqual([
      ['x_1', 0],
      ['x-2', 3],
      ['x_3', 5],
    ]);
    expect(res.json().targetCount).toBe(5);
  });

  it('keeps a household entered by hand and adds the reasons of the rules that match it', async () => {
    const created = await klmy.post('/api/v1/visit-plans', { campaignId: CAMPAIGN, title: '手工与规则' });
    expect(created.statusCode).toBe(201);
    const added = await klmy.post(`/api/v1/visit-plans/${created.json().id}/targets`, {
      kind: 'household',
      householdId: h5,
      note: '社区推荐',
    });
    expect(added.statusCode).toBe(201);
    const updated = await klmy.patch(`/api/v1/visit-plans/${created.json().id}`, {
      version: created.json().version,
      rules: [{ id: 'n', categories: ['nuclear_test_veteran'], minAge: 90 }],
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().targetCount).toBe(1);
    expect(updated.json().rules[0].matched).toBe(1);
    const list = (await klmy.get(`/api/v1/visit-plans/${created.json().id}/targets?pageSize=50`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0].id).toBe(added.json().id);
    expect(list.items[0].note).toBe('社区推荐');
    expect(list.items[0].reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(['manual', 'n']);
  });

  it('builds the same list whether the households are folded in one statement or a few at a time', async () => {
    const rules = [
      { id: 'm', categories: ['martyr_survivor'], livingAloneOnly: true },
      { id: 'n', categories: ['nuclear_test_veteran', 'martyr_survivor'] },
    ];
    const whole = await klmy.post('/api/v1/visit-plans', { campaignId: CAMPAIGN, title: '整体', rules });
    expect(whole.statusCode).toBe(201);
    const empty = await klmy.post('/api/v1/visit-plans', { campaignId: CAMPAIGN, title: '分批' });
    expect(empty.statusCode).toBe(201);
    // the same rules, two households a statement (the build's chunked path, which a list of this
    // size would not take), as the plan's rules were saved
    const saved = (whole.json().rules as (SavedRule & { matched: number })[]).map(({ matched: _, ...rule }) => ({
      rule,
      path: '650200/650203/',
    }));
    const result = await env.p.handle.db.transaction().execute((trx) =>
      buildRuleTargets(
        trx,
        SYSTEM_SCOPE,
        env.p.handle.dialect,
        {
          planId: empty.json().id,
          campaignId: CAMPAIGN,
          rules: saved,
          today: localToday(env.p.config.tzDisplay),
          now: nowIso(),
          keysPerStatement: 2,
        },
        env.services.visits.plans.ruleSources(trx),
      ),
    );
    expect(result.inserted).toBe(whole.json().targetCount);
    expect(result.matched).toEqual({ m: 3, n: 5 });
    const listOf = async (id: string) =>
      (await klmy.get(`/api/v1/visit-plans/${id}/targets?pageSize=50`))
        .json()
        .items.map((t: { name: string; oldestBirth: string; livesAlone: boolean; reasons: unknown }) => [
          t.name,
          t.oldestBirth,
          t.livesAlone,
          t.reasons,
        ]);
    const chunked = await listOf(empty.json().id);
    expect(chunked).toHaveLength(5);
    expect(chunked).toEqual(await listOf(whole.json().id));
  });
});
