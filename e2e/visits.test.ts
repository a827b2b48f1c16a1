import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, login, phoneLayout, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;
/** The Spring Festival campaign `serve --demo` seeds (packages/server/src/seed/demo-campaign.ts). */
const DEMO_TITLE = /^关于做好\d{4}年元旦春节期间双拥工作的通知$/;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

describe.runIf(enabled)('走访慰问 in Chromium', () => {
  it('klmy builds a plan from a rule, records a visit offline at phone width, and sees coverage move once', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    // a 烈士遗属 of 克拉玛依区, registered through the API as the registry pages would
    const me = await (await page.request.get(`${run.base}/api/v1/auth/me`)).json();
    const headers = { 'x-csrf-token': me.csrfToken };
    const found = await page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const community = (await found.json()).items[0].id as string;
    const person = await page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers,
      data: {
        orgId: community,
        name: '王秀英',
        idNumber: idNumber('65020319400202008'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);

    // the campaign comes from the picker: the demo Spring Festival campaign, picked by default
    const offered = (await (await page.request.get(`${run.base}/api/v1/visit-campaigns`)).json()).items;
    const demo = offered.find((c: { title: string }) => DEMO_TITLE.test(c.title));
    expect(demo).toMatchObject({ kind: 'spring_festival', status: 'issued' });
    await page.goto(`${run.base}/visits`);
    const picker = page.getByTestId('visit-campaign');
    await picker.getByText(demo.title).waitFor();
    await picker.click();
    await page.locator('.ant-select-item-option', { hasText: demo.title }).click();
    expect(await page.evaluate("localStorage.getItem('sy.visits.campaign')")).toBe(demo.id);
    await page.getByTestId('plan-title').fill('端到端春节走访');
    await page.getByTestId('rule-categories-0').click();
    await page.keyboard.type('烈士遗属');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByTestId('plan-create').click();
    const targets = page.getByTestId('plan-targets');
    await targets.getByText('王秀英').first().waitFor();
    expect(await targets.textContent()).toContain('烈士遗属');
    expect(await phoneLayout(page, 'visits-plan')).toEqual([]);
    await page.getByTestId('plan-confirm').click();
    await page.getByText('已确认').first().waitFor();

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${run.base}/visits/record`);
    await page.getByTestId('visit-campaign').getByText(demo.title).waitFor();
    await page.getByTestId('visit-target').click();
    await page.keyboard.type('王秀英');
    await page.locator('.ant-select-item-option', { hasText: '王秀英' }).first().click();
    await page.getByTestId('visit-staff').fill('张科长');
    await page.getByTestId('visit-cash').fill('500');
    await context.setOffline(true);
    await page.getByTestId('visit-save').click();
    await page.getByTestId('visit-drafts').waitFor();
    await shot(page, 'visits-offline-draft');
    await context.setOffline(false);
    await page.getByTestId('visit-drafts').waitFor({ state: 'detached', timeout: 15_000 });
    const list = await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${demo.id}`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ cashFen: 50_000, targetName: '王秀英' });

    await page.goto(`${run.base}/visits/coverage`);
    await page.getByTestId('coverage-visited').getByText('1').waitFor();
    expect(await phoneLayout(page, 'visits-coverage-phone')).toEqual([]);
    await context.close();
  });

  it('gives a unit no 走访慰问 dead end: no menu entry, and a direct link points to its own concerns', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await login(page, run.base, 'unit1');
    await page.getByTestId('header-user').waitFor();
    expect(await page.getByTestId('nav-group-visits').count()).toBe(0);
    for (const path of ['/visits', '/visit-money']) {
      await page.goto(`${run.base}${path}`);
      await page.getByTestId('visits-unavailable').waitFor();
      // never sent to create a campaign it cannot create
      expect(await page.getByText('建立并下发').count()).toBe(0);
    }
    expect(await phoneLayout(page, 'visits-unit-unavailable')).toEqual([]);
    await page.getByRole('button', { name: '前往急难愁盼' }).click();
    await page.waitForURL(`${run.base}/needs`);
    await context.close();
  });
});
