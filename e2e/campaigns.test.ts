import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SPRING_FESTIVAL } from '../packages/server/test/fixtures/notices.js';
import { browserAvailable, phoneLayout, pickDate, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;
let campaignUrl = '';

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

describe.runIf(enabled)('campaigns in Chromium', () => {
  it('the city pastes the joint notice, checks and edits the proposal, and issues each item to whom it names', async () => {
    const page = (await run.signedIn('city')).page;
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('notice-text').fill(SPRING_FESTIVAL);
    await shot(page, 'campaign-paste');
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('proposal-form').waitFor();
    expect(await page.getByTestId('proposal-title').inputValue()).toBe('关于做好2025年元旦春节期间双拥工作的通知');
    expect(await page.getByTestId('proposal-docNumber').inputValue()).toBe('克退役军人发〔2025〕3号');
    expect(await page.locator('[data-testid^="item-card-"]').count()).toBe(4);
    expect(await page.getByTestId('item-title-3').inputValue()).toBe('关心关爱优抚对象');
    expect(await page.getByTestId('proposal-issuers').textContent()).toContain('克拉玛依军分区政治工作部');
    // the issuer edits the proposal: a sharper task title and deadlines in the future
    await page.getByTestId('task-title-0-0').fill('报送双拥宣传活动开展情况');
    for (let i = 0; i < 4; i++) await pickDate(page, `task-deadline-${i}-0`, '2030-01-20');
    await shot(page, 'campaign-proposal');
    await page.getByTestId('campaign-create-issue').click();
    const detail = page.getByTestId('campaign-detail');
    await detail.waitFor();
    await expect.poll(async () => detail.getAttribute('data-status')).toBe('issued');
    campaignUrl = new URL(page.url()).pathname;
    // each item went where it says: 各成员单位要… to the departments, 各驻市部队要… to the units, the two
    // that name no one to every group of the notice's recipients (districts, units, departments)
    const orgsOf = (i: number) =>
      page
        .getByTestId('campaign-task')
        .nth(i)
        .locator('[data-testid="assignment-link"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-org')));
    expect(await orgsOf(0)).toEqual(expect.arrayContaining(['克拉玛依区退役军人事务局', '驻市部队甲', '市教育局']));
    expect(await orgsOf(1)).toContain('市教育局');
    expect(await orgsOf(1)).not.toContain('克拉玛依区退役军人事务局');
    expect(await orgsOf(2)).toContain('驻市部队甲');
    expect(await orgsOf(2)).not.toContain('市教育局');
    expect(await page.locator('[data-testid="assignment-link"][data-org="克拉玛依区退役军人事务局"]').count()).toBe(2);
    expect(await phoneLayout(page, 'campaign-issued')).toEqual([]);
    await page.close();
  });

  it('klmy sees its tasks only and submits a report', async () => {
    const page = (await run.signedIn('klmy')).page;
    await page.getByTestId('nav-campaign-tasks').click();
    const rows = page.getByTestId('task-row');
    await rows.first().waitFor();
    // the two tasks of this notice that go to the districts, and the one of the demo Spring Festival
    // campaign (serve --demo)
    await expect.poll(async () => rows.count()).toBe(3);
    expect(await rows.filter({ hasText: '完成重点优抚对象走访慰问并报送走访情况' }).count()).toBe(1);
    for (const org of await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-org'))))
      expect(org).toBe('克拉玛依区退役军人事务局');
    await rows.filter({ hasText: '报送双拥宣传活动开展情况' }).click();
    await page.getByTestId('report-form').waitFor();
    await page.getByTestId('report-narrative').fill('组织军地联谊 2 场、书画展览 1 场，走访驻区部队 3 个。');
    expect(await phoneLayout(page, 'campaign-report')).toEqual([]);
    await page.getByTestId('report-submit').click();
    await expect.poll(async () => page.getByTestId('assignment-detail').getAttribute('data-status')).toBe('submitted');
    await page.close();
  });

  it('the city accepts the report and the matrix cell turns green', async () => {
    const page = (await run.signedIn('city')).page;
    await page.goto(`${run.base}${campaignUrl}/dashboard`);
    const cell = page.locator('[data-testid="matrix-cell"][data-org="克拉玛依区退役军人事务局"]').first();
    await cell.waitFor();
    expect(await cell.getAttribute('data-status')).toBe('submitted');
    await cell.click();
    await page.getByTestId('review-accept').click();
    await expect.poll(async () => page.getByTestId('assignment-detail').getAttribute('data-status')).toBe('accepted');
    await page.goto(`${run.base}${campaignUrl}/dashboard`);
    const accepted = page.locator('[data-testid="matrix-cell"][data-org="克拉玛依区退役军人事务局"]').first();
    await accepted.waitFor();
    await expect.poll(async () => accepted.getAttribute('data-status')).toBe('accepted');
    type Styles = { getComputedStyle(el: unknown): { backgroundColor: string } };
    const colour = await accepted
      .locator('span')
      .evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).backgroundColor);
    expect(colour).toBe('rgb(82, 196, 26)');
    expect(await page.getByTestId('ranking').textContent()).toContain('克拉玛依区退役军人事务局');
    expect(await phoneLayout(page, 'campaign-dashboard')).toEqual([]);
    await page.close();
  });
});
