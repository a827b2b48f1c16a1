import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, phoneLayout, pickOption, type Running, start } from './harness.js';

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

  const TITLE = '端到端冬季走访慰问';
  let planId: string;
  const FLAG = '部队已走访（驻市部队甲，2026-11-22）';

  async function pick(page: Page, title: string) {
    await page.getByTestId('visit-campaign').click();
    await page.locator('.ant-select-item-option', { hasText: title }).click();
    await page.getByTestId('visit-campaign').getByText(title).waitFor();
  }

  it('klmy’s plan of the campaign flags the household the unit visited in its period, still unvisited (1440 px)', async () => {
    const city = await run.signedIn('city', 1440);
    const klmyOrg = await (
      await city.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('克拉玛依区')}`)
    ).json();
    const created = await city.page.request.post(`${run.base}/api/v1/campaigns`, {
      headers: city.csrf,
      data: {
        title: TITLE,
        kind: 'spring_festival',
        issuers: ['克拉玛依市退役军人事务局'],
        periodStart: '2026-11-01',
        periodEnd: '2026-12-31',
        items: [
          {
            ordinal: 1,
            title: '走访慰问',
            tasks: [{ title: '走访慰问烈属', deadline: '2030-01-20', assignTo: { orgIds: [klmyOrg.items[0].id] } }],
          },
        ],
      },
    });
    expect(created.status()).toBe(201);
    const campaignId = (await created.json()).id as string;
    const issued = await city.page.request.post(`${run.base}/api/v1/campaigns/${campaignId}/actions`, {
      headers: city.csrf,
      data: { version: 1, action: 'issue' },
    });
    expect(issued.status()).toBe(200);

    const klmy = await run.signedIn('klmy', 1440);
    const plan = await klmy.page.request.post(`${run.base}/api/v1/visit-plans`, {
      headers: klmy.csrf,
      data: { campaignId, title: '冬季烈属走访', rules: [{ categories: ['martyr_survivor'] }] },
    });
    expect(plan.status()).toBe(201);
    planId = (await plan.json()).id;
    const confirmed = await klmy.page.request.post(`${run.base}/api/v1/visit-plans/${planId}/confirm`, {
      headers: klmy.csrf,
      data: { version: 1 },
    });
    expect(confirmed.status()).toBe(200);

    await klmy.page.goto(`${run.base}/visits/plans/${planId}`);
    const row = klmy.page.getByTestId('plan-targets').locator('tr', { hasText: '孙玉兰' });
    await row.getByTestId('troop-visit').getByText(FLAG).waitFor();

    // coverage: counted beside 已走访, which stays 0 — district staff decide whether to go again
    await klmy.page.goto(`${run.base}/visits/coverage`);
    await pick(klmy.page, TITLE);
    await klmy.page.getByTestId('coverage-visited-by-troops').getByText('1').waitFor();
    expect(await klmy.page.getByTestId('coverage-visited').locator('.ant-statistic-content-value').textContent()).toBe(
      '0',
    );
    await klmy.page.getByTestId('coverage-unvisited').locator('tr', { hasText: '孙玉兰' }).getByText(FLAG).waitFor();
    expect(await phoneLayout(klmy.page, 'troops-visit-coverage')).toEqual([]);
  });

  it('the plan’s list shows the flag on a phone (390 px)', async () => {
    const klmy = await run.signedIn('klmy', 390);
    await klmy.page.goto(`${run.base}/visits/plans/${planId}`);
    await klmy.page.getByTestId('plan-targets').locator('tr', { hasText: '孙玉兰' }).getByText(FLAG).waitFor();
    expect(await phoneLayout(klmy.page, 'troops-visit-plan')).toEqual([]);
  });
});

describe.runIf(enabled)('a unit creates a partnership (军民共建) in Chromium', () => {
  it('unit1 fills the form at 1440 px, the pair opens; unit1 edits the plan and ends the pair', async () => {
    const unit1 = await run.signedIn('unit1', 1440);
    const page = unit1.page;
    await page.goto(`${run.base}/troop-partnerships`);
    await page.getByTestId('partnership-new').click();
    await pickOption(page, page.getByTestId('partnership-kind'), '社区');
    await page.getByTestId('partnership-name').fill('友谊社区共建点');
    await pickOption(page, page.getByTestId('partnership-area'), '友谊社区');
    await page.getByTestId('partnership-starts').fill('2026-01-01');
    await page.getByTestId('partnership-add-plan').click();
    await pickOption(page, page.getByTestId('partnership-plan-type'), '义务巡诊');
    await page.getByTestId('partnership-plan-planned').fill('6');
    await page.getByTestId('partnership-save').click();
    await page.getByTestId('partnership-title').getByText('友谊社区共建点').waitFor();
    await page.getByTestId('partnership-plan').getByText('义务巡诊').waitFor();
    expect(await page.getByTestId('partnership-plan-count').textContent()).toBe('0/6');

    // 编辑: the plan goes from 6 to 8 free clinics
    await page.getByTestId('partnership-edit').click();
    await page.getByTestId('partnership-plan-planned').fill('8');
    await page.getByTestId('partnership-save').click();
    await page.getByText('共建对子已保存').waitFor();
    await page.getByTestId('partnership-plan-count').getByText('0/8').waitFor();

    // 结束共建: a date and a reason; the actions go away
    await page.getByTestId('partnership-end').click();
    await page.getByTestId('partnership-end-reason').fill('社区合并，共建转至新社区');
    await page.getByTestId('partnership-end-save').click();
    await page.getByText('共建已结束').waitFor();
    await page.getByTestId('partnership-ended').waitFor();
    expect(await page.getByTestId('partnership-end-reason-text').textContent()).toBe('社区合并，共建转至新社区');
    expect(await page.getByTestId('partnership-edit').count()).toBe(0);

    await page.goto(`${run.base}/troop-partnerships`);
    await page.getByTestId('partnership-row').getByText('友谊社区共建点').waitFor();
    await page.getByTestId('partnership-ended').first().waitFor();
  });

  it('on a phone (390 px) the list shows the pair ended, its page the reason, and the form fits', async () => {
    const unit1 = await run.signedIn('unit1', 390);
    const page = unit1.page;
    await page.goto(`${run.base}/troop-partnerships`);
    await page.getByTestId('partnership-row').getByText('友谊社区共建点').waitFor();
    // the list shows the pair ended, and its page shows why, with no more actions
    await page.getByTestId('partnership-ended').first().waitFor();
    await page.getByTestId('partnership-row').getByText('友谊社区共建点').click();
    await page.getByTestId('partnership-end-reason-text').waitFor();
    expect(await page.getByTestId('partnership-end').count()).toBe(0);
    expect(await phoneLayout(page, 'troops-partnership-ended')).toEqual([]);
    await page.goto(`${run.base}/troop-partnerships`);
    await page.getByTestId('partnership-new').click();
    await page.getByTestId('partnership-add-plan').click();
    await page.getByTestId('partnership-plan-row').waitFor();
    expect(await phoneLayout(page, 'troops-partnership-form')).toEqual([]);
  });
});
