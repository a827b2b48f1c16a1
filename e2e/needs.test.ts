import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, phoneLayout, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

/** Text only the military side may see. */
const SECRET = '营区东门岗哨调整（仅军方）';

/** Picks an option of a searchable antd Select by its label. */
async function choose(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).locator('input').fill(text);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function statusIs(page: Page, status: string) {
  await page.locator(`[data-testid="need-detail"][data-status="${status}"]`).waitFor();
}

async function act(page: Page, action: string, fill?: () => Promise<void>) {
  await page.getByTestId(`need-action-${action}`).click();
  await page.locator('.ant-modal').waitFor();
  await fill?.();
  await page.locator('.ant-modal-footer .ant-btn-primary').click();
  await page.locator('.ant-modal').waitFor({ state: 'detached' });
}

describe.runIf(enabled)('急难愁盼 in Chromium', () => {
  let url: string;

  it('unit1 raises a need with a military-only detail', async () => {
    const page = (await run.signedIn('unit1')).page;
    await page.getByTestId('nav-needs').click();
    await page.getByTestId('needs-create').click();
    await page.getByTestId('need-form-title').fill('两名军人子女秋季入学');
    await choose(page, 'need-form-category', '子女入学入托');
    await page.getByTestId('need-form-description').fill('两名军人子女需在九月开学前安排就近入学。');
    await page.getByTestId('need-form-military').waitFor();
    await page.getByTestId('need-form-militaryDetail').fill(SECRET);
    expect(await phoneLayout(page, 'needs-unit-form')).toEqual([]);
    await page.getByTestId('need-form-submit').click();
    await statusIs(page, 'submitted');
    url = page.url();
    expect(url).toMatch(/\/needs\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('need-military').textContent()).toContain(SECRET);
    expect(await phoneLayout(page, 'needs-unit-submitted')).toEqual([]);
    await page.close();
  });

  it('city accepts it and assigns it to 教育局 without seeing the military-only text', async () => {
    const page = (await run.signedIn('city')).page;
    await page.goto(url);
    await statusIs(page, 'submitted');
    await page.getByTestId('need-redacted').waitFor();
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.getByTestId('need-military').count()).toBe(0);
    await act(page, 'accept');
    await statusIs(page, 'accepted');
    await act(page, 'assign', () => choose(page, 'need-modal-lead', '市教育局'));
    await statusIs(page, 'assigned');
    expect(await page.getByTestId('need-handlers').textContent()).toContain('市教育局');
    await page.getByTestId('need-deadline').waitFor();
    expect(await phoneLayout(page, 'needs-city-assigned')).toEqual([]);
    await page.close();
  });

  it('jyj finds it in the inbox and resolves it, never seeing the military-only text', async () => {
    const page = (await run.signedIn('jyj')).page;
    await page.getByTestId('nav-needs-inbox').click();
    await page.getByTestId('need-row').filter({ hasText: '两名军人子女秋季入学' }).click();
    await statusIs(page, 'assigned');
    expect(await page.content()).not.toContain(SECRET);
    await act(page, 'start');
    await statusIs(page, 'in_progress');
    await act(page, 'resolve', () =>
      page.getByTestId('need-modal-resolution').fill('已协调第一小学为两名子女办理入学手续。'),
    );
    await statusIs(page, 'resolved');
    expect(await page.content()).not.toContain(SECRET);
    expect(await phoneLayout(page, 'needs-jyj-resolved')).toEqual([]);
    await page.goto(`${run.base}/notifications`);
    await page.getByTestId('notification').first().waitFor();
    expect(await page.content()).not.toContain(SECRET);
    await page.close();
  });

  it('unit1 confirms it with a rating', async () => {
    const page = (await run.signedIn('unit1')).page;
    await page.goto(url);
    await statusIs(page, 'resolved');
    expect(await page.getByTestId('need-resolution').textContent()).toContain('第一小学');
    await act(page, 'confirm', async () => {
      await page.locator('.ant-modal .ant-rate-star').nth(4).click();
      await page.getByTestId('need-modal-comment').fill('解决及时，感谢！');
    });
    await statusIs(page, 'confirmed');
    await page.getByTestId('need-rating').waitFor();
    const kinds = await page
      .getByTestId('need-event')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['submitted', 'accept', 'assign', 'start', 'resolve', 'confirm']);
    expect(await phoneLayout(page, 'needs-unit-confirmed')).toEqual([]);
    await page.close();
  });

  it('city sees the statistics and the department league', async () => {
    const page = (await run.signedIn('city')).page;
    await page.getByTestId('nav-need-stats').click();
    await page.getByTestId('need-league').getByText('市教育局').waitFor();
    expect(await phoneLayout(page, 'needs-city-stats')).toEqual([]);
    await page.close();
  });
});
