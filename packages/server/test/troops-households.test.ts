import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCoverage } from '../src/modules/visits/coverage.js';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { SYSTEM_SCOPE } from '../src/platform/access/scope.js';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let unit1: Client;
let klmy: Client;
let youyi: string;
let householdId: string;
let elsewhere: string;
let shengli: string;

const NAMES = ['王秘密', '李机密'];
const NOTE = '军方备注：仅限军方知悉的安排';

beforeAll(async () => {
  env = await testEnv();
  [unit1, klmy] = await Promise.all([signedIn(env.app, 'unit1', '10.21.0.1'), signedIn(env.app, 'klmy', '10.21.0.2')]);
  youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
  shengli = await orgId(env.p, '650200/650203/650203002/650203002001/');
  const here = await klmy.post('/api/v1/beneficiaries', {
    orgId: youyi,
    name: '王秀英',
    idNumber: makeId('650203', '1940-02-02', 8, 'female'),
    categories: martyrSurvivor(),
  });
  expect(here.statusCode, here.body).toBe(201);
  householdId = here.json().household.id;
  const there = await klmy.post('/api/v1/beneficiaries', {
    orgId: shengli,
    name: '张桂兰',
    idNumber: makeId('650203', '1942-03-03', 6, 'female'),
    categories: martyrSurvivor(),
  });
  expect(there.statusCode, there.body).toBe(201);
  elsewhere = there.json().household.id;
});
afterAll(async () => env?.close());

const visit = (extra: Record<string, unknown> = {}) => ({
  type: 'vulnerable_visit',
  occurredOn: '2026-11-22',
  durationMinutes: 60,
  placeKind: 'community',
  placeOrgId: youyi,
  participants: 3,
  participantNames: NAMES,
  militaryNote: NOTE,
  reached: { elderly: 1 },
  items: '米、面、油',
  ...extra,
});

describe('a unit’s visit to an entitled household', () => {
  it('links to a household of the registry that lives at the place, and refuses one elsewhere', async () => {
    const wrong = await unit1.post('/api/v1/troop-activities', visit({ householdId: elsewhere }));
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(wrong.json().code).toBe('household_not_at_place');
    const res = await unit1.post('/api/v1/troop-activities', visit({ householdId }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().householdId).toBe(householdId);
    // an unlinked visit stays unlinked
    const plain = await unit1.post('/api/v1/troop-activities', visit({ occurredOn: '2026-11-23' }));
    expect(plain.json().householdId).toBeNull();
  });

  it('is one more line in the household’s timeline on the civil side, without the military-only fields', async () => {
    const res = await klmy.get(`/api/v1/households/${householdId}`);
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.json().lines;
    expect(lines).toEqual([
      {
        source: 'troops',
        id: expect.any(String),
        date: '2026-11-22',
        label: '部队走访：走访帮扶困难群众',
        orgName: '驻市部队甲',
      },
    ]);
    expect(res.body).not.toContain(NAMES[0]);
    expect(res.body).not.toContain('军方备注');
    expect((await klmy.get(`/api/v1/households/${elsewhere}`)).json().lines).toEqual([]);
  });

  it('a withdrawn visit leaves the timeline', async () => {
    const list = (await unit1.get('/api/v1/troop-activities')).json();
    const linked = list.items.find((i: { householdId: string | null }) => i.householdId === householdId);
    const w = await unit1.post(`/api/v1/troop-activities/${linked.id}/withdraw`, {
      version: linked.version,
      reason: '重复登记',
    });
    expect(w.statusCode, w.body).toBe(200);
    expect((await klmy.get(`/api/v1/households/${householdId}`)).json().lines).toEqual([]);
  });
});

describe('a unit’s visit in a visit plan’s target list and coverage', () => {
  const CAMPAIGN = 'troops-festival-2026';
  let planId: string;
  let activity: { id: string; version: number };

  const coverageRows = () =>
    env.p.handle.db
      .selectFrom('visit_coverage')
      .select(['plan_id', 'org_id', 'category', 'planned', 'visited', 'visits'])
      .where('campaign_id', '=', CAMPAIGN)
      .orderBy('org_id')
      .orderBy('category')
      .execute();
  const targetList = async () =>
    (await klmy.get(`/api/v1/visit-plans/${planId}/targets?pageSize=50`)).json().items as {
      name: string;
      status: string;
      visitCount: number;
      troopVisit: { orgName: string; date: string } | null;
    }[];
  const coverage = async () => (await klmy.get(`/api/v1/visit-coverage?campaignId=${CAMPAIGN}`)).json();

  beforeAll(async () => {
    const db = env.p.handle.db;
    await ensureCampaign(db, CAMPAIGN, '2026年冬季走访慰问');
    await sql`UPDATE campaigns SET period_start = '2026-11-01', period_end = '2026-12-31' WHERE id = ${CAMPAIGN}`.execute(
      db,
    );
    const plan = await klmy.post('/api/v1/visit-plans', {
      campaignId: CAMPAIGN,
      title: '冬季走访烈属',
      rules: [{ id: 'r1', categories: ['martyr_survivor'] }],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    planId = plan.json().id;
    const ok = await klmy.post(`/api/v1/visit-plans/${planId}/confirm`, { version: plan.json().version });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('marks a target a unit visited within the campaign’s period, without marking it visited', async () => {
    // one linked visit in the period, one before it (to the other household); the withdrawn one above counts for nothing
    const inPeriod = await unit1.post('/api/v1/troop-activities', visit({ householdId, occurredOn: '2026-11-25' }));
    expect(inPeriod.statusCode, inPeriod.body).toBe(201);
    activity = inPeriod.json();
    const before = await unit1.post(
      '/api/v1/troop-activities',
      visit({ householdId: elsewhere, placeOrgId: shengli, occurredOn: '2026-10-15' }),
    );
    expect(before.statusCode, before.body).toBe(201);

    const items = await targetList();
    expect(items.map((t) => [t.name, t.status, t.visitCount, t.troopVisit]).sort()).toEqual([
      ['张桂兰', 'planned', 0, null],
      ['王秀英', 'planned', 0, { orgName: '驻市部队甲', date: '2026-11-25' }],
    ]);
    const byId = await klmy.get(`/api/v1/visit-targets?campaignId=${CAMPAIGN}&pageSize=50`);
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json().items.find((t: { name: string }) => t.name === '王秀英').troopVisit).toEqual({
      orgName: '驻市部队甲',
      date: '2026-11-25',
    });
  });

  it('marks it on the list of targets not visited yet, where district staff decide', async () => {
    const res = await klmy.get(`/api/v1/visit-coverage/unvisited?campaignId=${CAMPAIGN}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .items.map((t: { name: string; troopVisit: unknown }) => [t.name, t.troopVisit])
        .sort(),
    ).toEqual([
      ['张桂兰', null],
      ['王秀英', { orgName: '驻市部队甲', date: '2026-11-25' }],
    ]);
  });

  it('counts it beside visited in coverage, and the maintained counters still equal a rebuild', async () => {
    const c = await coverage();
    expect(c.total).toMatchObject({ planned: 2, visited: 0, visits: 0, visitedByTroops: 1 });
    expect(c.byCategory).toEqual([expect.objectContaining({ key: 'martyr_survivor', visitedByTroops: 1 })]);
    expect(c.byStreet.map((s: { visitedByTroops: number }) => s.visitedByTroops).sort()).toEqual([0, 1]);
    const maintained = await coverageRows();
    await rebuildCoverage(env.p.handle.db, SYSTEM_SCOPE, CAMPAIGN);
    expect(await coverageRows()).toEqual(maintained);
  });

  it('a withdrawn visit is no longer shown nor counted', async () => {
    const w = await unit1.post(`/api/v1/troop-activities/${activity.id}/withdraw`, {
      version: activity.version,
      reason: '重复登记',
    });
    expect(w.statusCode, w.body).toBe(200);
    expect((await targetList()).every((t) => t.troopVisit === null)).toBe(true);
    expect((await coverage()).total).toMatchObject({ planned: 2, visitedByTroops: 0 });
  });
});
