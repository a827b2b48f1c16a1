import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, variant } from '../packages/server/test/fixtures/notice-corpus/corpus.js';
import { browserAvailable, dateInput, phoneLayout, pickDate, type Running, shot, start } from './harness.js';

/**
 * A damaged notice (PDF-wrapped, traditional characters with pinyin, garbled runs) pasted into the
 * campaign wizard by the city's staff: the proposal is clean, one item title is fixed, the fix
 * survives going back and reading the text again, and the issued campaign, its dashboard and the
 * district's task list show the fixed title with no annotation or garbage anywhere.
 */
const enabled = browserAvailable();
let run: Running;
let campaignUrl = '';

const notice = loadCorpus().find((n) => n.name.startsWith('19-'))!;
const DAMAGED = variant(notice, 'all');
const FIXED = '走访慰问重点优抚对象和困难退役军人家庭';
/** What a damaged paste leaves behind when it is not repaired. */
const GARBAGE = /[àáǎāèéěēìíǐīòóǒōùúǔūǖǘǚǜ]|\uFFFD|锟斤拷|烫烫|ä¸|[?？]{2}|- \d+ -|第\d+页|—\d+—/;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

const itemTitles = (page: Page) =>
  page
    .locator('[data-testid^="item-title-"]')
    .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));

describe.runIf(enabled)('a damaged notice in the campaign wizard (Chromium)', () => {
  it('the city pastes a damaged notice, fixes an item title, and the fix survives navigation and a second reading', async () => {
    expect(DAMAGED).toMatch(GARBAGE);
    const page = (await run.signedIn('city')).page;
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('notice-text').fill(DAMAGED);
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('proposal-form').waitFor();
    expect(await page.getByTestId('proposal-title').inputValue()).toBe(notice.expected.title);
    expect(await itemTitles(page)).toEqual(notice.expected.items.map((i) => i.title));
    // the original text stays beside the proposal
    expect(await page.getByTestId('proposal-original').textContent()).toContain('雙擁');
    // 附件 and 抄送 are read into their own fields and shown, none in the items or requirements
    expect(await page.getByTestId('proposal-attachments').locator('li').allTextContents()).toEqual(
      notice.expected.attachments,
    );
    expect(await page.getByTestId('proposal-cc').textContent()).toBe(notice.expected.cc.join('、'));
    // a task's title follows its item's title until the task is edited
    await page.getByTestId('item-title-0').fill(FIXED);
    expect(await page.getByTestId('task-title-0-0').inputValue()).toBe(FIXED);
    // the notice's deadline has passed: a warning, then one date for every task
    await expect.poll(async () => page.getByText('截止日期早于今天').count()).toBeGreaterThan(0);
    await pickDate(page, 'task-deadline-0-0', '2030-01-20');
    await page.getByTestId('task-deadline-all-0-0').click();
    for (let i = 0; i < notice.expected.items.length; i++)
      expect(await dateInput(page, `task-deadline-${i}-0`).inputValue()).toBe('2030-01-20');
    await expect.poll(async () => page.getByText('截止日期早于今天').count()).toBe(0);
    await shot(page, 'campaign-damaged-proposal');
    // back to the text and on again: nothing the user did is lost
    await page.getByTestId('proposal-back').click();
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('proposal-form').waitFor();
    expect((await itemTitles(page))[0]).toBe(FIXED);
    expect(await dateInput(page, 'task-deadline-3-0').inputValue()).toBe('2030-01-20');
    // the text changed and is read again: the fixed title and the dates stay
    await page.getByTestId('proposal-back').click();
    await page.getByTestId('notice-text').fill(`${DAMAGED}\n`);
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('proposal-form').waitFor();
    expect(await itemTitles(page)).toEqual([FIXED, ...notice.expected.items.slice(1).map((i) => i.title)]);
    expect(await page.getByTestId('task-title-0-0').inputValue()).toBe(FIXED);
    expect(await dateInput(page, 'task-deadline-2-0').inputValue()).toBe('2030-01-20');
    expect(await phoneLayout(page, 'campaign-damaged-proposal')).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('campaign-create-issue').click();
    const detail = page.getByTestId('campaign-detail');
    await detail.waitFor();
    await expect.poll(async () => detail.getAttribute('data-status')).toBe('issued');
    campaignUrl = new URL(page.url()).pathname;
    const tasks = await page.getByTestId('campaign-task').allTextContents();
    expect(tasks.join('|')).toContain(FIXED);
    expect(await detail.textContent()).not.toMatch(GARBAGE);
    // the item 各驻市部队要… went to the units only, the others as their items say
    expect(await page.locator('[data-testid="assignment-link"][data-org="克拉玛依区退役军人事务局"]').count()).toBe(2);
    expect(await phoneLayout(page, 'campaign-damaged-issued')).toEqual([]);
    await page.close();
  });

  it('the dashboard and the district’s task list show the fixed title and nothing garbled', async () => {
    const page = (await run.signedIn('city')).page;
    await page.goto(`${run.base}${campaignUrl}/dashboard`);
    await page.getByTestId('matrix').waitFor();
    const dashboard = (await page.getByTestId('campaign-dashboard-page').textContent()) ?? '';
    expect(dashboard).toContain(FIXED);
    expect(dashboard).not.toMatch(GARBAGE);
    expect(await phoneLayout(page, 'campaign-damaged-dashboard')).toEqual([]);
    await page.close();

    const klmy = (await run.signedIn('klmy')).page;
    await klmy.getByTestId('nav-campaign-tasks').click();
    const rows = klmy.getByTestId('task-row');
    await rows.first().waitFor();
    await expect.poll(async () => rows.filter({ hasText: FIXED }).count()).toBe(1);
    expect((await klmy.getByTestId('task-table').textContent()) ?? '').not.toMatch(GARBAGE);
    expect(await phoneLayout(klmy, 'campaign-damaged-tasks')).toEqual([]);
    await klmy.close();
  });
});
