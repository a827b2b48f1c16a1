import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, login, phoneLayout, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

// the freshly started living demo city, as `npm start` makes it
beforeAll(async () => {
  if (enabled) run = await start({ living: true });
  // seeding the living city takes minutes on a loaded machine
}, 300_000);
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

async function home(username: string): Promise<Page> {
  const page = await run.browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  await login(page, run.base, username);
  await page.getByTestId('header-user').waitFor();
  await page.locator('[data-testid="home-todos"] [data-count]').first().waitFor();
  return page;
}

/** The to-dos on the page: key → count. */
async function todos(page: Page): Promise<Map<string, number>> {
  const items = page.locator('[data-testid="home-todos"] [data-count]');
  const out = new Map<string, number>();
  for (let i = 0; i < (await items.count()); i++) {
    const el = items.nth(i);
    out.set(
      ((await el.getAttribute('data-testid')) ?? '').replace(/^todo-/, ''),
      Number(await el.getAttribute('data-count')),
    );
  }
  return out;
}

/** "共 N 条" of the list the page shows. */
async function listTotal(page: Page): Promise<number> {
  const total = page.locator('.ant-pagination-total-text');
  await total.waitFor();
  await expect.poll(async () => /共 \d+ 条/.test((await total.textContent()) ?? '')).toBe(true);
  // the first answer may be a previous query's (kept while the new one loads): wait until it settles
  await page.waitForLoadState('networkidle');
  return Number(((await total.textContent()) ?? '').match(/共 (\d+) 条/)![1]);
}

const ROLES: [user: string, follow: string, figures: string[]][] = [
  ['city', 'reportsToReview', ['campaign', 'coverage', 'spending', 'needsOpen']],
  ['klmy', 'tasksOverdue', ['campaign', 'coverage', 'spending', 'needsOpen']],
  ['unit1', 'needsToRate', ['campaign', 'needsOpen']],
  ['jyj', 'needsToHandle', ['campaign', 'needsOpen']],
  ['jfq', 'needsToAccept', ['campaign', 'coverage', 'needsOpen']],
  ['leader', 'needsOverdue', ['campaign', 'coverage', 'needsOpen', 'rating']],
];

describe.runIf(enabled)('首页 of the living demo city in Chromium', () => {
  for (const [user, follow, figures] of ROLES)
    it(`${user} sees to-dos and figures, and the ${follow} link opens a list of that many`, async () => {
      const page = await home(user);
      const list = await todos(page);
      expect(list.size, user).toBeGreaterThan(0);
      expect(list.get(follow), `${user} ${follow}`).toBeGreaterThan(0);
      for (const f of figures) await page.getByTestId(`figure-${f}`).waitFor();
      // the bell in the header shows the same unread count as the to-do
      const unread = list.get('notificationsUnread') ?? 0;
      await expect
        .poll(async () =>
          Number.parseInt((await page.getByTestId('header-bell-count').textContent())?.trim() || '0', 10),
        )
        .toBe(Math.min(unread, 99));
      expect(await phoneLayout(page, `home-${user}`)).toEqual([]);
      await page.getByTestId(`todo-link-${follow}`).click();
      expect(await listTotal(page), `${user} ${follow}`).toBe(list.get(follow));
      expect(await phoneLayout(page, `home-${user}-${follow}`)).toEqual([]);
      await page.close();
    });
});

/**
 * Clicks a shape of a chart picked in the page: the SVG paths matching `kind` — a bar of a colour
 * (the largest), a line's point (a small circle stroked in the colour) or a heat-map cell.
 */
async function clickShape(page: Page, chartId: string, kind: 'bar' | 'point' | 'cell', colour = '#1677ff') {
  const canvas = page.getByTestId(`cockpit-canvas-${chartId}`);
  await canvas.scrollIntoViewIfNeeded();
  await expect.poll(async () => canvas.locator('svg path').count(), { timeout: 20_000 }).toBeGreaterThan(3);
  await page.waitForTimeout(300); // the chart's first layout settles before it takes clicks
  const at = await canvas.evaluate(
    (el, [k, c]) => {
      const shapes = [...el.querySelectorAll('path')].map((p) => ({ p, r: p.getBoundingClientRect() }));
      const fill = (p: { getAttribute(name: string): string | null }) => (p.getAttribute('fill') ?? '').toLowerCase();
      const picked =
        k === 'bar'
          ? shapes.filter((s) => fill(s.p) === c).sort((a, b) => b.r.width * b.r.height - a.r.width * a.r.height)
          : k === 'point'
            ? shapes.filter((s) => s.p.getAttribute('stroke') === c && s.r.width < 20 && s.r.height < 20).reverse()
            : shapes.filter(
                (s) =>
                  /^(#|rgb)/.test(fill(s.p)) &&
                  !['#fff', '#ffffff'].includes(fill(s.p)) &&
                  s.r.width > 10 &&
                  s.r.height > 10 &&
                  s.r.width < 300,
              );
      const r = picked[0]?.r;
      return r ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null;
    },
    [kind, colour] as const,
  );
  expect(at, `a ${kind} in ${chartId}`).not.toBeNull();
  await page.mouse.click(at!.x, at!.y);
}

/** The cockpit's figures for the campaign the page is about (the API the page reads). */
async function cockpitOf(page: Page, campaignId: string) {
  const res = await page.request.get(`${run.base}/api/v1/cockpit?campaignId=${encodeURIComponent(campaignId)}`);
  expect(res.status()).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: the response is read loosely in the journey
  return (await res.json()) as Record<string, any>;
}

/** The total of the visits page's filtered list (the targets of a cell, the visits of a day). */
async function filteredTotal(page: Page): Promise<number> {
  const el = page.getByTestId('coverage-filtered-total');
  await expect.poll(async () => (await el.getAttribute('data-total')) ?? '').toMatch(/^\d+$/);
  await page.waitForLoadState('networkidle');
  return Number(await el.getAttribute('data-total'));
}

/** Opens the cockpit and answers the figures its charts were drawn from (the page's own request). */
// biome-ignore lint/suspicious/noExplicitAny: the response is read loosely in the journey
async function openCockpit(page: Page): Promise<Record<string, any>> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => /\/api\/v1\/cockpit\?campaignId=/.test(r.url()) && r.status() === 200),
    page.goto(`${run.base}/cockpit`),
  ]);
  await page.getByTestId('cockpit-kpis').waitFor();
  return res.json();
}

describe.runIf(enabled)('驾驶舱 click-through in the living demo city', () => {
  it('city at 1440 px: each chart opens the filtered list behind it, showing the chart’s number', async () => {
    const { page } = await run.signedIn('city', 1440);
    await openCockpit(page);

    // completion by district/unit → the campaign's tasks of that org: as many as the bar's 任务数
    await clickShape(page, 'completion', 'bar');
    await page.waitForURL(/\/campaign-tasks\?campaignId=[^&]+&orgId=/);
    let url = new URL(page.url());
    let c = await cockpitOf(page, url.searchParams.get('campaignId')!);
    const org = c.completion.find((r: { orgId: string }) => r.orgId === url.searchParams.get('orgId'));
    expect(org.assigned).toBeGreaterThan(0);
    await page.getByTestId('task-filter').waitFor();
    expect(await listTotal(page)).toBe(org.assigned);
    expect(await phoneLayout(page, 'cockpit-to-tasks-1440', { width: 1440, height: 900 })).toEqual([]);

    // visit coverage by district × category → that district's targets of that category (应走访)
    await openCockpit(page);
    await clickShape(page, 'coverage', 'cell');
    await page.waitForURL(/\/visits\/coverage\?campaignId=[^&]+&orgId=[^&]+&category=/);
    url = new URL(page.url());
    c = await cockpitOf(page, url.searchParams.get('campaignId')!);
    const cell = c.coverage.cells.find(
      (x: { district: string; category: string }) =>
        x.district === url.searchParams.get('orgId') && x.category === url.searchParams.get('category'),
    );
    expect(cell.planned).toBeGreaterThan(0);
    expect(await filteredTotal(page)).toBe(cell.planned);

    // visits per day → the visits recorded that day
    await openCockpit(page);
    await clickShape(page, 'trend', 'point');
    await page.waitForURL(/\/visits\/coverage\?campaignId=[^&]+&day=\d{4}-\d{2}-\d{2}/);
    url = new URL(page.url());
    c = await cockpitOf(page, url.searchParams.get('campaignId')!);
    const day = c.trend.find((d: { day: string }) => d.day === url.searchParams.get('day'));
    expect(day.visits).toBeGreaterThan(0);
    expect(await filteredTotal(page)).toBe(day.visits);
    expect(await phoneLayout(page, 'cockpit-to-visits-1440', { width: 1440, height: 900 })).toEqual([]);

    // needs by department, the red (past the deadline) part → that department's overdue cases
    await openCockpit(page);
    await clickShape(page, 'needsDepartment', 'bar', '#ff4d4f');
    await page.waitForURL(/\/needs\?leadOrgId=[^&]+&sla=overdue/);
    url = new URL(page.url());
    const dept = (await cockpitOf(page, c.campaign.id)).needs.byDepartment.find(
      (d: { orgId: string }) => d.orgId === url.searchParams.get('leadOrgId'),
    );
    expect(dept.overdue).toBeGreaterThan(0);
    expect(await listTotal(page)).toBe(dept.overdue);
    await page.close();
  }, 240_000);

  it('klmy at 390 px: a coverage cell and a day of the trend open their lists with the chart’s numbers', async () => {
    const { page } = await run.signedIn('klmy', 390);
    await openCockpit(page);
    await clickShape(page, 'coverage', 'cell');
    await page.waitForURL(/\/visits\/coverage\?campaignId=[^&]+&orgId=[^&]+&category=/);
    let url = new URL(page.url());
    let c = await cockpitOf(page, url.searchParams.get('campaignId')!);
    const cell = c.coverage.cells.find(
      (x: { district: string; category: string }) =>
        x.district === url.searchParams.get('orgId') && x.category === url.searchParams.get('category'),
    );
    expect(await filteredTotal(page)).toBe(cell.planned);
    expect(await phoneLayout(page, 'cockpit-to-targets-390')).toEqual([]);

    await openCockpit(page);
    await clickShape(page, 'trend', 'point');
    await page.waitForURL(/\/visits\/coverage\?campaignId=[^&]+&day=/);
    url = new URL(page.url());
    c = await cockpitOf(page, url.searchParams.get('campaignId')!);
    const day = c.trend.find((d: { day: string }) => d.day === url.searchParams.get('day'));
    expect(await filteredTotal(page)).toBe(day.visits);
    expect(await phoneLayout(page, 'cockpit-to-visits-390')).toEqual([]);
    await page.close();
  }, 240_000);

  it('leader at 390 px: a needs bar opens the needs list of that status and colour', async () => {
    const { page } = await run.signedIn('leader', 390);
    const c = await openCockpit(page);
    await clickShape(page, 'needsStatus', 'bar', '#ff4d4f');
    await page.waitForURL(/\/needs\?status=[^&]+&sla=overdue/);
    const status = new URL(page.url()).searchParams.get('status');
    const row = c.needs.byStatus.find((s: { status: string }) => s.status === status);
    expect(row.overdue).toBeGreaterThan(0);
    expect(await listTotal(page)).toBe(row.overdue);
    expect(await phoneLayout(page, 'cockpit-to-needs-390')).toEqual([]);
    await page.close();
  }, 240_000);
});
