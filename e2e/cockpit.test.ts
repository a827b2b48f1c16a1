import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserAvailable, clickBar, phoneLayout, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
  // starting the server takes a while on a loaded machine
}, 300_000);
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

/** A unit raises two needs; the city accepts one and assigns it to 市教育局 (so the needs charts have data). */
async function needs() {
  const unit = await run.signedIn('unit1');
  const city = await run.signedIn('city');
  const raise = async (title: string) => {
    const res = await unit.page.request.post(`${run.base}/api/v1/needs`, {
      headers: unit.csrf,
      data: { title, description: '端到端驾驶舱', category: 'schooling' },
    });
    expect(res.status()).toBe(201);
    return res.json();
  };
  const a = await raise('驾驶舱端到端问题一');
  await raise('驾驶舱端到端问题二');
  const orgs = await (
    await city.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('市教育局')}`)
  ).json();
  const assigned = await city.page.request.post(`${run.base}/api/v1/needs/${a.id}/accept-assign`, {
    headers: city.csrf,
    data: { version: a.version, leadOrgId: orgs.items[0].id, deadlineDays: 5 },
  });
  expect(assigned.status()).toBe(200);
  await unit.page.close();
  await city.page.close();
}

describe.runIf(enabled)('领导驾驶舱 in Chromium', () => {
  it('city opens the cockpit, sees the charts, toggles a table view, clicks through to the list, makes and downloads the brief (1440 and 390 px)', async () => {
    await needs();
    const { page } = await run.signedIn('city');
    await page.getByTestId('nav-cockpit').click();
    await page.getByTestId('cockpit-kpis').waitFor();
    // the charts are drawn (SVG with shapes), the completion chart names the districts
    for (const id of ['completion', 'needsStatus', 'needsDepartment', 'spending'])
      await vi.waitFor(
        async () =>
          expect(await page.locator(`[data-testid=cockpit-canvas-${id}] svg path`).count()).toBeGreaterThan(3),
        {
          timeout: 20_000,
        },
      );
    await expect.poll(() => page.getByTestId('cockpit-canvas-completion').textContent()).toContain('克拉玛依区');
    await expect.poll(() => page.getByTestId('cockpit-league').textContent()).toMatch(/第 \d 名/);

    // the table view of the needs chart: the assigned row's "within the time limit" count
    await page.getByTestId('cockpit-toggle-needsStatus').getByText('表格视图').click();
    const table = page.getByTestId('cockpit-table-needsStatus');
    const assignedRow = table.locator('tr', { hasText: '已分派' });
    await assignedRow.waitFor();
    // columns: status, within the limit, due soon, overdue, not timed, total
    const cells = (await assignedRow.locator('td').allTextContents()).map(Number);
    const withinLimit = cells[1]!;
    expect(withinLimit).toBeGreaterThanOrEqual(1);
    const layout1 = await phoneLayout(page, 'cockpit-table', { width: 1440, height: 900 });
    expect(layout1).toEqual([]);
    await page.getByTestId('cockpit-toggle-needsStatus').getByText('图表视图').click();
    await page.getByTestId('cockpit-canvas-needsStatus').waitFor();

    // click the green (within the time limit) bar of 已分派 → the needs list of that status and colour
    await page.waitForTimeout(300); // let the chart finish its first layout before clicking on it
    await clickBar(page, 'needsStatus', '#52c41a');
    await page.waitForURL(/\/needs\?status=assigned&sla=ok/);
    await page.getByTestId('needs-table').waitFor();
    // the list's total (共 N 条) is the chart's count
    await expect.poll(() => page.locator('.ant-pagination-total-text').textContent()).toBe(`共 ${withinLimit} 条`);
    expect(await page.getByTestId('need-row').count()).toBe(Math.min(withinLimit, 20));
    await shot(page, 'cockpit-clickthrough-1440');

    // back to the cockpit: make the brief and download it
    await page.goBack();
    await page.getByTestId('brief-generate').click();
    await page.getByTestId('brief-row').first().waitFor();
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('brief-docx').first().click()]);
    expect(docx.suggestedFilename()).toMatch(/^每日简报-\d{4}-\d{2}-\d{2}\.docx$/);
    const file = await docx.path();
    expect(fs.statSync(file!).size).toBeGreaterThan(10_000);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('brief-pdf').first().click()]);
    expect(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const layout2 = await phoneLayout(page, 'cockpit', { width: 1440, height: 900 });
    expect(layout2).toEqual([]);
    await page.close();
    // making the brief renders six charts: minutes on a loaded machine
  }, 300_000);

  it('the leader reads the cockpit at 390 px: charts and briefs, no button to make one', async () => {
    const { page } = await run.signedIn('leader', 390);
    await page.goto(`${run.base}/cockpit`);
    await page.getByTestId('cockpit-kpis').waitFor();
    await vi.waitFor(
      async () =>
        expect(await page.locator('[data-testid=cockpit-canvas-completion] svg path').count()).toBeGreaterThan(3),
      {
        timeout: 20_000,
      },
    );
    await page.getByTestId('cockpit-briefs').waitFor();
    expect(await page.getByTestId('brief-generate').count()).toBe(0);
    const problems = await phoneLayout(page, 'cockpit-leader');
    expect(problems).toEqual([]);
    await page.close();
  });
});
