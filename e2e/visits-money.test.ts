import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, phoneLayout, pickOption, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;
const TITLE = '端到端经费审批部署';
const KLMY = '克拉玛依区退役军人事务局';

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

/** Opens the campaign picker of the page and chooses the campaign by its title. */
/** Issues a campaign to 克拉玛依区 through the API, as the 工作部署 pages would; its id. */
async function issueCampaign(
  city: { page: Page; csrf: Record<string, string> },
  title: string,
  period: { periodStart?: string; periodEnd?: string } = {},
): Promise<string> {
  const orgs = await (await city.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent(KLMY)}`)).json();
  const created = await city.page.request.post(`${run.base}/api/v1/campaigns`, {
    headers: city.csrf,
    data: {
      title,
      kind: 'spring_festival',
      issuers: ['克拉玛依市退役军人事务局'],
      ...period,
      items: [
        {
          ordinal: 1,
          title: '走访慰问',
          tasks: [{ title: '走访慰问烈属', deadline: '2030-01-20', assignTo: { orgIds: [orgs.items[0].id] } }],
        },
      ],
    },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  const issued = await city.page.request.post(`${run.base}/api/v1/campaigns/${id}/actions`, {
    headers: city.csrf,
    data: { version: 1, action: 'issue' },
  });
  expect(issued.status()).toBe(200);
  return id;
}

/** A date `days` from today in the display zone (Asia/Shanghai). */
const dayFromToday = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86_400_000));

async function pick(page: Page, title: string) {
  await page.getByTestId('visit-campaign').click();
  await page.locator('.ant-select-item-option', { hasText: title }).click();
  await page.getByTestId('visit-campaign').getByText(title).waitFor();
}

describe.runIf(enabled)('走访慰问经费与审批 in Chromium', () => {
  it('city sets a hard cap, klmy records a visit above it, city approves it and sees the spending', async () => {
    // the city issues a Spring Festival campaign to 克拉玛依区 through the API, as the 工作部署 pages would
    const city = await run.signedIn('city');
    const orgs = await (await city.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent(KLMY)}`)).json();
    const created = await city.page.request.post(`${run.base}/api/v1/campaigns`, {
      headers: city.csrf,
      data: {
        title: TITLE,
        kind: 'spring_festival',
        issuers: ['克拉玛依市退役军人事务局'],
        items: [
          {
            ordinal: 1,
            title: '走访慰问',
            tasks: [{ title: '走访慰问烈属', deadline: '2030-01-20', assignTo: { orgIds: [orgs.items[0].id] } }],
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

    // city: caps and a budget line for 克拉玛依区 on the money page
    await city.page.getByTestId('nav-visit-money').click();
    await pick(city.page, TITLE);
    await city.page.getByTestId('cap-cashPerVisitWarnFen').fill('1200');
    await city.page.getByTestId('cap-cashPerVisitMaxFen').fill('1000');
    await city.page.getByTestId('caps-save').click();
    await city.page.getByText('提醒标准不能高于上限').waitFor();
    await city.page.getByTestId('cap-cashPerVisitWarnFen').fill('800');
    await city.page.getByTestId('caps-save').click();
    await city.page.getByText('慰问标准已保存').waitFor();
    const caps = await (await city.page.request.get(`${run.base}/api/v1/visit-caps?campaignId=${campaignId}`)).json();
    // the form started from the standing caps: what was not changed is kept from them
    expect(caps).toMatchObject({
      cashPerVisitWarnFen: 80_000,
      cashPerVisitMaxFen: 100_000,
      goodsPerVisitMaxFen: 50_000,
      inherited: false,
    });
    await pickOption(city.page, city.page.getByTestId('line-org'), KLMY);
    await city.page.getByTestId('line-name').fill('春节慰问金');
    await city.page.getByTestId('line-budget').fill('1000');
    await city.page.getByTestId('line-create').click();
    await city.page.getByText('经费科目已新增').waitFor();
    const lines = city.page.getByTestId('budget-lines');
    await lines.getByText('春节慰问金').waitFor();
    expect(await lines.textContent()).toContain('¥1,000.00');

    // klmy: a 烈士遗属 on a confirmed plan (through the API), then the visit through the form
    const klmy = await run.signedIn('klmy', 375);
    const found = await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const person = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers: klmy.csrf,
      data: {
        orgId: (await found.json()).items[0].id,
        name: '李桂兰',
        idNumber: idNumber('65020319410303008'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);
    const plan = await klmy.page.request.post(`${run.base}/api/v1/visit-plans`, {
      headers: klmy.csrf,
      data: { campaignId, title: '克拉玛依区烈属走访', rules: [{ categories: ['martyr_survivor'] }] },
    });
    expect(plan.status()).toBe(201);
    const confirmed = await klmy.page.request.post(`${run.base}/api/v1/visit-plans/${(await plan.json()).id}/confirm`, {
      headers: klmy.csrf,
      data: { version: 1 },
    });
    expect(confirmed.status()).toBe(200);
    await klmy.page.goto(`${run.base}/visits/record`);
    await pick(klmy.page, TITLE);
    await klmy.page.getByTestId('visit-target').click();
    await klmy.page.keyboard.type('李桂兰');
    await klmy.page.locator('.ant-select-item-option', { hasText: '李桂兰' }).first().click();
    await klmy.page.getByTestId('visit-staff').fill('张科长');
    await klmy.page.getByTestId('visit-cash').fill('1200');
    await klmy.page.getByText('本次慰问金 1200 元，超过上限 1000 元').waitFor();
    await klmy.page.getByTestId('visit-budget-line').click();
    await klmy.page.locator('.ant-select-item-option', { hasText: '春节慰问金' }).click();
    await klmy.page.getByTestId('visit-save').click();
    await klmy.page.getByText('待审批').first().waitFor();
    const recorded = await (
      await klmy.page.request.get(`${run.base}/api/v1/visits?campaignId=${campaignId}&approval=pending`)
    ).json();
    expect(recorded.total).toBe(1);
    expect(recorded.items[0]).toMatchObject({ cashFen: 120_000, targetName: '李桂兰', approvalStatus: 'pending' });
    const visitId = recorded.items[0].id as string;
    // klmy sees the caps but may not change them, and has no approve button
    await klmy.page.goto(`${run.base}/visit-money`);
    await klmy.page.getByTestId('approvals').getByText('李桂兰').waitFor();
    expect(await klmy.page.getByTestId('cap-cashPerVisitMaxFen').isDisabled()).toBe(true);
    expect(await klmy.page.getByTestId('caps-save').count()).toBe(0);
    expect(await klmy.page.getByTestId('approve').count()).toBe(0);
    await klmy.page.close();

    // city approves it on the money page; the spending shows it against the budget
    await city.page.reload();
    const row = city.page.getByTestId('approvals').locator('tr', { hasText: '李桂兰' });
    await row.waitFor();
    expect(await row.textContent()).toContain('超过上限 1000 元');
    expect(await row.textContent()).toContain(KLMY);
    await shot(city.page, 'visits-money-pending');
    await row.getByTestId('approve').click();
    const dialog = city.page.getByRole('dialog');
    await dialog.getByTestId('decision-note').fill('高龄烈属，同意');
    await dialog.getByRole('button', { name: '批准' }).click();
    await row.getByTestId('approval-status').getByText('已批准').waitFor();
    expect(await row.textContent()).toContain('市局工作人员');
    const visit = await (await city.page.request.get(`${run.base}/api/v1/visits/${visitId}`)).json();
    expect(visit).toMatchObject({ approvalStatus: 'approved', approvedBy: '市局工作人员' });
    await city.page.getByTestId('approval-filter').getByText('已批准').click();
    await city.page.getByTestId('approvals').locator('tr', { hasText: '李桂兰' }).waitFor();

    const byOrg = city.page.getByTestId('spending-by-org').locator('tr', { hasText: KLMY });
    await byOrg.getByTestId('spending-total').getByText('¥1,200.00').waitFor();
    await byOrg.getByTestId('spending-over').waitFor();
    const line = city.page.getByTestId('budget-lines').locator('tr', { hasText: '春节慰问金' });
    expect(await line.getByTestId('line-spent').textContent()).toBe('¥1,200.00');
    await line.getByTestId('line-over').waitFor();
    expect(await phoneLayout(city.page, 'visits-money-approved')).toEqual([]);
    // the city raises the line's budget: the overrun mark goes, the spending stays
    await line.getByTestId('line-edit').click();
    const editor = city.page.getByRole('dialog');
    await editor.getByTestId('line-edit-budget').fill('250000');
    await editor.getByTestId('line-save').click();
    await line.getByText('¥250,000.00').waitFor();
    expect(await line.getByTestId('line-over').count()).toBe(0);
    expect(await line.getByTestId('line-spent').textContent()).toBe('¥1,200.00');

    // a second visit above the cap (klmy, through the API): the city refuses it, a reason required
    const klmyAgain = await run.signedIn('klmy', 375);
    const second = await klmyAgain.page.request.post(`${run.base}/api/v1/visits`, {
      headers: klmyAgain.csrf,
      data: {
        clientKey: randomUUID(),
        targetId: recorded.items[0].targetId,
        visitedAt: new Date(Date.now() - 60_000).toISOString(),
        visitors: { staff: ['张科长'], leaders: [] },
        cashFen: 150_000,
        goods: [],
        acknowledged: true,
        acknowledgedBy: '李桂兰',
      },
    });
    expect(second.status()).toBe(201);
    const secondId = (await second.json()).id as string;
    await klmyAgain.page.close();
    await city.page.getByTestId('approval-filter').getByText('待审批').click();
    const pendingRow = city.page.getByTestId('approvals').locator('tr', { hasText: '¥1,500.00' });
    await pendingRow.getByTestId('reject').click();
    const refusal = city.page.getByRole('dialog', { name: '不批准超标准走访' });
    await refusal.getByRole('button', { name: '不批准' }).click();
    await refusal.getByText('请填写不批准的理由').waitFor();
    await refusal.getByTestId('decision-note').fill('重复慰问且超出标准');
    await refusal.getByRole('button', { name: '不批准' }).click();
    await city.page.getByTestId('approval-filter').getByText('未批准').click();
    const refused = city.page.getByTestId('approvals').locator('tr', { hasText: '¥1,500.00' });
    await refused.getByTestId('approval-status').getByText('未批准').waitFor();
    const decided = await (await city.page.request.get(`${run.base}/api/v1/visits/${secondId}`)).json();
    expect(decided).toMatchObject({ approvalStatus: 'rejected', approvedBy: '市局工作人员' });
    await city.page.close();
  });

  it('a new campaign applies the city’s standing caps, which the city edits; the visit form opens on the current campaign', async () => {
    const city = await run.signedIn('city');
    const current = await issueCampaign(city, '端到端当前走访部署', {
      periodStart: dayFromToday(-1),
      periodEnd: dayFromToday(1),
    });
    expect(current).toBeTruthy();
    // issued last, so the newest: it starts in 2031
    await issueCampaign(city, '端到端明年走访部署', { periodStart: '2031-06-01', periodEnd: '2031-08-10' });

    // city: the new campaign has no caps of its own — the standing ones apply, said so
    await city.page.getByTestId('nav-visit-money').click();
    await pick(city.page, '端到端明年走访部署');
    await city.page.getByTestId('caps-inherited').waitFor();
    await city.page.getByTestId('standing-caps-card').waitFor();
    expect(await city.page.getByTestId('cap-cashPerVisitMaxFen').inputValue()).toBe('1000.00');
    expect(await city.page.getByTestId('standing-cap-cashPerVisitMaxFen').inputValue()).toBe('1000.00');
    await city.page.getByTestId('standing-cap-cashPerVisitMaxFen').fill('1200');
    await city.page.getByTestId('standing-caps-save').click();
    await city.page.getByText('全市常设慰问标准已保存').waitFor();
    await city.page.waitForFunction(
      'document.querySelector(\'[data-testid="cap-cashPerVisitMaxFen"]\')?.value === "1200.00"',
    );
    const standing = await (await city.page.request.get(`${run.base}/api/v1/visit-caps/standing`)).json();
    expect(standing.cashPerVisitMaxFen).toBe(120_000);
    expect(await phoneLayout(city.page, 'visits-money-standing-caps')).toEqual([]);
    await city.page.close();

    // klmy on a phone: the visit form opens on the campaign running today, not the newest; klmy
    // sees no standing caps to edit
    const klmy = await run.signedIn('klmy', 390);
    await klmy.page.goto(`${run.base}/visits/record`);
    await klmy.page.getByTestId('visit-campaign').getByText('端到端当前走访部署').waitFor();
    expect(await phoneLayout(klmy.page, 'visits-record-current-campaign')).toEqual([]);
    await klmy.page.setViewportSize({ width: 1440, height: 900 });
    await klmy.page.goto(`${run.base}/visits/record`);
    await klmy.page.getByTestId('visit-campaign').getByText('端到端当前走访部署').waitFor();
    await shot(klmy.page, 'visits-record-current-campaign-1440');
    await klmy.page.goto(`${run.base}/visit-money`);
    await klmy.page.getByTestId('caps-card').waitFor();
    expect(await klmy.page.getByTestId('standing-caps-card').count()).toBe(0);
    await klmy.page.close();
  });
});
