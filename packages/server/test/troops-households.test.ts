import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, orgId, signedIn, type TestEnv, testEnv } from './helpers.js';
import { makeId, martyrSurvivor } from './registry-fixtures.js';

let env: TestEnv;
let unit1: Client;
let klmy: Client;
let youyi: string;
let householdId: string;
let elsewhere: string;

const NAMES = ['王秘密', '李机密'];
const NOTE = '军方备注：仅限军方知悉的安排';

beforeAll(async () => {
  env = await testEnv();
  [unit1, klmy] = await Promise.all([signedIn(env.app, 'unit1', '10.21.0.1'), signedIn(env.app, 'klmy', '10.21.0.2')]);
  youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const shengli = await orgId(env.p, '650200/650203/650203002/650203002001/');
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
