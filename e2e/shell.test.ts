import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, login, phoneLayout, pickDate, type Running, start } from './harness.js';

/**
 * The conventions of the app shell and the rough edges of issue 17, as the people who met them:
 * grouped menu, breadcrumbs and back links; read-only roles without write forms; city staff's one
 * accept-and-assign dialog; batch review and batch read; times in the display zone on a device
 * set to another zone; ages, not birth dates, in the coverage table.
 */
const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

async function signedIn(username: string, options: { timezoneId?: string; width?: number } = {}) {
  const context = await run.browser.newContext({
    locale: 'zh-CN',
    viewport: { width: options.width ?? 1440, height: 900 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  await login(page, run.base, username);
  await page.getByTestId('header-user').waitFor();
  const me = await (await page.request.get(`${run.base}/api/v1/auth/me`)).json();
  return { page, headers: { 'x-csrf-token': me.csrfToken as string }, close: () => context.close() };
}

const crumbs = async (page: Page) => ((await page.getByTestId('breadcrumb').textContent()) ?? '').replace(/\s+/g, '');

/** The date `days` before today in Asia/Shanghai (the demo's display zone). */
function shanghaiDate(daysAgo: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 - daysAgo * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe.runIf(enabled)('app shell and issue 17 in Chromium', () => {
  it('a leader reads 走访慰问 without write forms, in a grouped menu with breadcrumbs', async () => {
    const { page, close } = await signedIn('leader');
    await page.getByTestId('nav-group-visits').waitFor();
    expect(await page.getByTestId('nav-visits-record').count()).toBe(0);
    await page.getByTestId('nav-visits').click();
    await page.getByTestId('visits-read-only').waitFor();
    expect(await page.getByTestId('plan-form').count()).toBe(0);
    expect(await page.getByRole('link', { name: '登记走访' }).count()).toBe(0);
    expect(await crumbs(page)).toBe('走访慰问/走访计划');
    // a write page reached by its address is refused, without an error in the page
    await page.goto(`${run.base}/visits/record`);
    await page.getByText('无权访问').first().waitFor();
    await page.goto(`${run.base}/visits`);
    await page.getByTestId('visits-read-only').waitFor();
    expect(await phoneLayout(page, 'shell-leader-visits')).toEqual([]);
    await close();
  });

  it('city staff accept and assign a need in one dialog, with the time limit', async () => {
    // a unit reports the need: the organisation that asked never accepts it (approval policy)
    const unit = await signedIn('unit1');
    const res = await unit.page.request.post(`${run.base}/api/v1/needs`, {
      headers: unit.headers,
      data: { title: '军属就医绿色通道', description: '两名军属需协调定点医院就医。', category: 'medical' },
    });
    expect(res.status(), await res.text()).toBe(201);
    const need = await res.json();
    await unit.close();
    const city = await signedIn('city');
    await city.page.goto(`${run.base}/needs/${need.id}`);
    await city.page.locator('[data-testid="need-detail"][data-status="submitted"]').waitFor();
    expect(await crumbs(city.page)).toBe('急难愁盼/问题列表/详情');
    // the two-step path stays beside the one dialog
    await city.page.getByTestId('need-action-accept').waitFor();
    await city.page.getByTestId('need-action-acceptAssign').click();
    const dialog = city.page.locator('.ant-modal');
    await dialog.getByTestId('need-modal-lead').locator('input').fill('市教育局');
    await city.page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '市教育局' })
      .first()
      .click();
    await dialog
      .locator('[data-testid="need-modal-deadlineDays"] input, input[data-testid="need-modal-deadlineDays"]')
      .first()
      .fill('5');
    expect(await phoneLayout(city.page, 'shell-accept-assign-dialog', { width: 1440, height: 900 })).toEqual([]);
    await dialog.getByTestId('need-modal-ok').click();
    await city.page.locator('[data-testid="need-detail"][data-status="assigned"]').waitFor();
    await city.page.getByText('操作成功').first().waitFor();
    expect(await city.page.getByTestId('need-handlers').textContent()).toContain('市教育局');
    expect(await city.page.getByTestId('need-deadline').textContent()).toContain('5');
    const kinds = await city.page
      .getByTestId('need-event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['submitted', 'accept', 'assign']);
    expect(await phoneLayout(city.page, 'shell-need-assigned')).toEqual([]);
    // the back link leads to the list
    await city.page.getByTestId('page-back').click();
    await city.page.waitForURL(/\/needs$/);
    await city.close();
  });

  it('the department marks chosen notifications read in one go', async () => {
    const { page, close } = await signedIn('jyj', { width: 390 });
    await page.goto(`${run.base}/notifications`);
    await page.getByTestId('notification-select').first().waitFor();
    const unread = async () =>
      (await (await page.request.get(`${run.base}/api/v1/notifications`)).json()).unread as number;
    const before = await unread();
    expect(before).toBeGreaterThan(0);
    await page.getByTestId('notification-select').first().click();
    expect(await page.getByTestId('selection-count').textContent()).toContain('已选 1 项');
    expect(await phoneLayout(page, 'shell-notifications-selected')).toEqual([]);
    await page.getByTestId('notifications-read-selected').click();
    await page.getByText('已标为已读').first().waitFor();
    await expect.poll(unread).toBe(before - 1);
    await close();
  });

  it('the city accepts several reports at once', async () => {
    for (const user of ['klmy', 'dsz']) {
      const { page, headers, close } = await signedIn(user);
      const list = await (await page.request.get(`${run.base}/api/v1/assignments?pageSize=50`)).json();
      const a = list.items.find((x: { taskTitle: string }) => x.taskTitle.includes('走访慰问'));
      const res = await page.request.post(`${run.base}/api/v1/assignments/${a.id}/submit`, {
        headers,
        data: { version: a.version, narrative: '已走访重点优抚对象 12 户。' },
      });
      expect(res.status(), await res.text()).toBe(200);
      await close();
    }
    const { page, close } = await signedIn('city');
    await page.getByTestId('nav-campaign-tasks').click();
    await page.getByTestId('task-row').first().waitFor();
    await expect.poll(() => page.getByTestId('task-row').count()).toBe(2);
    await page.locator('.ant-table-thead .ant-checkbox-input').check();
    expect(await page.getByTestId('selection-count').textContent()).toContain('已选 2 项');
    expect(await phoneLayout(page, 'shell-batch-review')).toEqual([]);
    await page.getByTestId('batch-accept').click();
    await page.getByText('已处理 2 份填报').waitFor();
    await expect.poll(() => page.getByTestId('task-row').count()).toBe(0);
    await close();
  }, 240_000);

  it('a visit entered on a device in Asia/Urumqi is stored and shown in the display zone; coverage shows ages', async () => {
    const { page, headers, close } = await signedIn('klmy', { timezoneId: 'Asia/Urumqi', width: 390 });
    const found = await page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const community = (await found.json()).items[0].id as string;
    for (const [name, first17] of [
      ['周桂芳', '65020319400202018'],
      ['吴玉兰', '65020319380505028'],
    ] as const) {
      const person = await page.request.post(`${run.base}/api/v1/beneficiaries`, {
        headers,
        data: {
          orgId: community,
          name,
          idNumber: idNumber(first17),
          categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
        },
      });
      expect(person.status(), await person.text()).toBe(201);
    }
    const offered = (await (await page.request.get(`${run.base}/api/v1/visit-campaigns`)).json()).items;
    const campaign = offered[0];
    const plan = await page.request.post(`${run.base}/api/v1/visit-plans`, {
      headers,
      data: { campaignId: campaign.id, title: '时区走访', rules: [{ categories: ['martyr_survivor'] }] },
    });
    expect(plan.status()).toBe(201);
    const confirmed = await page.request.post(`${run.base}/api/v1/visit-plans/${(await plan.json()).id}/confirm`, {
      headers,
      data: { version: (await plan.json()).version },
    });
    expect(confirmed.status()).toBe(200);

    // the browser's own clock says Urumqi (UTC+6); the time typed is Beijing time (UTC+8)
    expect(await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe('Asia/Urumqi');
    const day = shanghaiDate(1);
    await page.goto(`${run.base}/visits/record`);
    await page.getByTestId('visit-campaign').getByText(campaign.title).waitFor();
    await page.getByTestId('visit-target').click();
    await page.keyboard.type('周桂芳');
    await page.locator('.ant-select-item-option', { hasText: '周桂芳' }).first().click();
    await pickDate(page, 'visit-time', `${day} 10:00`);
    await page.getByTestId('visit-staff').fill('张科长');
    expect(await phoneLayout(page, 'shell-visit-zone')).toEqual([]);
    await page.getByTestId('visit-save').click();
    await expect
      .poll(
        async () =>
          (await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${campaign.id}`)).json()).total,
      )
      .toBe(1);
    const list = await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${campaign.id}`)).json();
    expect(list.items[0]).toMatchObject({ targetName: '周桂芳', visitedAt: `${day}T02:00:00.000Z` });
    await page.getByTestId('visit-recent').getByText(`${day} 10:00`).first().waitFor();

    // the coverage table shows the age of the one still waiting, not a birth date
    await page.goto(`${run.base}/visits/coverage`);
    const row = page.getByTestId('coverage-unvisited').locator('tr', { hasText: '吴玉兰' });
    await row.waitFor();
    const age = Number((await row.getByTestId('coverage-age').textContent()) ?? '');
    expect(age).toBeGreaterThanOrEqual(86);
    expect(await row.textContent()).not.toContain('1938-05-05');
    expect(await page.getByText('仅独居').count()).toBe(0);
    expect(await phoneLayout(page, 'shell-coverage')).toEqual([]);
    await close();
  });
});
