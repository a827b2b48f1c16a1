import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, login, phoneLayout, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

// the freshly started living demo city, as `npm start` makes it
beforeAll(async () => {
  if (enabled) run = await start({ living: true });
});
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
