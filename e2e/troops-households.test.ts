import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

describe.runIf(enabled)('a unit’s visit in the household’s timeline in Chromium', () => {
  let householdId: string;

  it('unit1 records a visit linked to a household; klmy sees the line without military-only fields (1440 px)', async () => {
    const klmy = await run.signedIn('klmy', 1440);
    const found = await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const youyi = (await found.json()).items[0].id;
    const person = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers: klmy.csrf,
      data: {
        orgId: youyi,
        name: '孙玉兰',
        idNumber: idNumber('65020319430505002'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);
    householdId = (await person.json()).household.id;

    // the unit's phone form posts this; the household comes from the district's list of visits
    const unit1 = await run.signedIn('unit1', 390);
    const visit = await unit1.page.request.post(`${run.base}/api/v1/troop-activities`, {
      headers: unit1.csrf,
      data: {
        type: 'vulnerable_visit',
        occurredOn: '2026-11-22',
        durationMinutes: 60,
        placeKind: 'community',
        placeOrgId: youyi,
        participants: 2,
        participantNames: ['王秘密'],
        militaryNote: '军方备注：仅限军方',
        householdId,
      },
    });
    expect(visit.status()).toBe(201);

    await klmy.page.goto(`${run.base}/households/${householdId}`);
    const lines = klmy.page.getByTestId('household-lines');
    await lines.getByText('部队走访：走访帮扶困难群众').waitFor();
    const text = await klmy.page.getByTestId('household-detail').textContent();
    expect(text).toContain('驻市部队甲');
    expect(text).not.toContain('王秘密');
    expect(text).not.toContain('军方备注');
  });

  it('the same line on a phone (390 px)', async () => {
    const klmy = await run.signedIn('klmy', 390);
    await klmy.page.goto(`${run.base}/households/${householdId}`);
    await klmy.page.getByTestId('household-lines').getByText('部队走访：走访帮扶困难群众').waitFor();
  });
});
