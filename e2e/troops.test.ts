import jpeg from 'jpeg-js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, clickBar, phoneLayout, pickOption, type Running, start } from './harness.js';
import { PHONE } from './layout.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

const NAME = '王卫东';
const NOTE = '巡诊医疗队由卫生队抽组';

/** A real JPEG of one grey shade (two photos differ by their shade). */
function photo(shade: number): Buffer {
  const width = 64;
  const height = 48;
  const data = Buffer.alloc(width * height * 4, shade);
  return Buffer.from(jpeg.encode({ data, width, height }, 85).data);
}

describe.runIf(enabled)('拥政爱民 activities in Chromium', () => {
  let activityUrl: string;
  let campaignTitle: string;

  it('unit1 records a free clinic at a community on the phone, with two photos and a military-only section', async () => {
    // the city issues a campaign whose task for every unit is bound to the free-clinic figure
    const city = await run.signedIn('city');
    campaignTitle = '春节拥政爱民活动';
    const made = await city.page.request.post(`${run.base}/api/v1/campaigns`, {
      headers: city.csrf,
      data: {
        title: campaignTitle,
        issuers: ['克拉玛依军分区政治工作部'],
        items: [
          {
            ordinal: 1,
            title: '部队义务巡诊',
            tasks: [
              {
                title: '每支部队至少开展一次义务巡诊',
                deadline: '2030-01-20',
                metricKey: 'troops.activities.free_clinic',
                assignTo: { groups: ['units'] },
              },
            ],
          },
        ],
      },
    });
    expect(made.status(), await made.text()).toBe(201);
    const campaign = await made.json();
    const issued = await city.page.request.post(`${run.base}/api/v1/campaigns/${campaign.id}/actions`, {
      headers: city.csrf,
      data: { version: campaign.version, action: 'issue' },
    });
    expect(issued.status()).toBe(200);
    await city.page.close();

    const { page } = await run.signedIn('unit1', PHONE);
    await page.goto(`${run.base}/troops`);
    await page.getByTestId('activity-create').click();
    await page.getByTestId('activity-save').waitFor();
    await pickOption(page, page.getByTestId('activity-type'), '义务巡诊');
    await page.getByTestId('activity-hours').fill('3');
    // the area: a community of 克拉玛依区, found by typing
    await pickOption(page, page.getByTestId('activity-area'), '友谊社区');
    await page.getByTestId('activity-place-name').fill('友谊社区活动中心');
    await page.getByTestId('activity-participants').fill('8');
    await page.getByTestId('reached-elderly').fill('30');
    await page.getByTestId('reached-public').fill('45');
    await page.getByTestId('activity-patients').fill('75');
    await page.getByTestId('activity-summary').fill('为社区老人测量血压、讲解冬季常见病防治。');
    await pickOption(page, page.getByTestId('activity-campaign'), campaignTitle);
    const names = page.getByTestId('activity-names').locator('input');
    await names.fill(NAME);
    await names.press('Enter');
    await page.getByTestId('activity-military-note').fill(NOTE);
    await page.locator('input[type="file"]').setInputFiles([
      { name: '巡诊一.jpg', mimeType: 'image/jpeg', buffer: photo(120) },
      { name: '巡诊二.jpg', mimeType: 'image/jpeg', buffer: photo(200) },
    ]);
    await expect.poll(() => page.locator('.ant-upload-list-item').count()).toBe(2);
    expect(await phoneLayout(page, 'troops-record')).toEqual([]);
    await page.getByTestId('activity-save').click();
    await page.waitForURL(/\/troops\/[0-9a-f-]{36}$/);
    activityUrl = page.url().replace(run.base, '');
    await page.getByTestId('activity-detail').waitFor();
    expect(await page.getByTestId('activity-title').textContent()).toBe('义务巡诊');
    await expect.poll(() => page.locator('[data-testid="activity-photos-list"] img').count()).toBe(2);
    expect(await page.getByTestId('activity-military').textContent()).toContain(NAME);
    expect(await phoneLayout(page, 'troops-detail-unit')).toEqual([]);

    // the task bound to the free-clinic figure shows the activity
    const assignments = await (await page.request.get(`${run.base}/api/v1/assignments?pageSize=50`)).json();
    const mine = assignments.items.find((a: { taskTitle?: string; title?: string }) =>
      JSON.stringify(a).includes('每支部队至少开展一次义务巡诊'),
    );
    expect(mine, JSON.stringify(assignments)).toBeTruthy();
    await page.goto(`${run.base}/assignments/${mine.id}`);
    await expect.poll(async () => page.getByTestId('assignment-metric').textContent()).toBe('1');
    expect(await phoneLayout(page, 'troops-task-progress')).toEqual([]);
    await page.close();
  });

  it('the district sees it without the military-only fields; the 军分区 sees them', async () => {
    const { page } = await run.signedIn('klmy');
    await page.goto(`${run.base}/troops`);
    await page.getByTestId('activity-row').first().click();
    await page.getByTestId('activity-detail').waitFor();
    expect(page.url()).toContain(activityUrl);
    expect(await page.getByTestId('activity-detail').textContent()).toContain('友谊社区活动中心');
    await expect.poll(() => page.locator('[data-testid="activity-photos-list"] img').count()).toBe(2);
    expect(await page.getByTestId('activity-military').count()).toBe(0);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(NOTE);
    expect(await page.getByTestId('activity-create').count()).toBe(0);
    expect(await phoneLayout(page, 'troops-detail-district')).toEqual([]);
    await page.goto(`${run.base}/troops`);
    await page.getByTestId('activity-row').first().waitFor();
    expect(await phoneLayout(page, 'troops-list-district')).toEqual([]);
    await page.close();

    // another district sees nothing of it
    const dsz = await run.signedIn('dsz');
    await dsz.page.goto(`${run.base}/troops`);
    await dsz.page.getByText('暂无活动记录').first().waitFor();
    expect(await dsz.page.getByTestId('activity-row').count()).toBe(0);
    await dsz.page.close();

    const jfq = await run.signedIn('jfq');
    await jfq.page.goto(`${run.base}${activityUrl}`);
    await jfq.page.getByTestId('activity-military').waitFor();
    expect(await jfq.page.getByTestId('activity-military').textContent()).toContain(NOTE);
    expect(await phoneLayout(jfq.page, 'troops-detail-jfq')).toEqual([]);
    await jfq.page.close();
  });
});

/** The largest count of a troops chart's table view (column 2): the figure of its biggest bar. */
async function largestRow(page: Page, chartId: string): Promise<{ name: string; n: number }> {
  await page.getByTestId(`cockpit-toggle-${chartId}`).getByText('表格视图').click();
  const rows = page.getByTestId(`cockpit-table-${chartId}`).locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  let best = { name: '', n: -1 };
  for (const cells of await rows.evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  )) {
    const n = Number(cells[1]);
    if (n > best.n) best = { name: cells[0]!, n };
  }
  await page.getByTestId(`cockpit-toggle-${chartId}`).getByText('图表视图').click();
  await page.getByTestId(`cockpit-canvas-${chartId}`).waitFor();
  return best;
}

describe.runIf(enabled)('拥政爱民 on the cockpit in Chromium', () => {
  it('the leader sees the troops charts, and a type bar opens the activities of that type with its number (1440 px)', async () => {
    const { page } = await run.signedIn('leader');
    await page.goto(`${run.base}/cockpit`);
    await page.getByTestId('cockpit-troops').waitFor({ timeout: 20_000 });
    for (const id of ['troopsByType', 'troopsByMonth', 'troopsReached'])
      await expect
        .poll(() => page.locator(`[data-testid=cockpit-canvas-${id}] svg path`).count(), { timeout: 20_000 })
        .toBeGreaterThan(2);
    // the troops' aggregates only: no participant's name, no military-only note
    expect(await page.getByTestId('cockpit-troops').textContent()).not.toContain(NAME);
    expect(await page.getByTestId('cockpit-troops').textContent()).not.toContain(NOTE);
    const top = await largestRow(page, 'troopsByType');
    expect(top.n).toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(300); // let the chart finish its first layout before clicking on it
    await clickBar(page, 'troopsByType', '#1677ff');
    await page.waitForURL(/\/troops\?type=/);
    await expect.poll(() => page.locator('.ant-pagination-total-text').textContent()).toBe(`共 ${top.n} 条`);
    await expect.poll(() => page.getByTestId('activity-row').count()).toBe(Math.min(top.n, 20));
    expect(await page.getByTestId('activity-row').first().textContent()).toBe(top.name);
    expect(await phoneLayout(page, 'troops-cockpit-clickthrough', { width: 1440, height: 900 })).toEqual([]);
    await page.close();
  });

  it('on the phone (390 px) a month bar opens the activities of that month with its number', async () => {
    const { page } = await run.signedIn('leader', PHONE.width);
    await page.goto(`${run.base}/cockpit`);
    await page.getByTestId('cockpit-troops').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.locator('[data-testid=cockpit-canvas-troopsByMonth] svg path').count(), { timeout: 20_000 })
      .toBeGreaterThan(2);
    expect(await phoneLayout(page, 'troops-cockpit')).toEqual([]);
    const top = await largestRow(page, 'troopsByMonth');
    expect(top.n).toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(300);
    await clickBar(page, 'troopsByMonth', '#13c2c2');
    await page.waitForURL(new RegExp(`/troops\\?from=${top.name}-01&to=${top.name}-\\d\\d`));
    await expect.poll(() => page.getByTestId('activity-row').count()).toBe(Math.min(top.n, 20));
    await expect.poll(() => page.locator('.ant-pagination-total-text').textContent()).toBe(`共 ${top.n} 条`);
    expect(await phoneLayout(page, 'troops-cockpit-month')).toEqual([]);
    await page.close();
  });
});
