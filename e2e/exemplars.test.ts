import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, phoneLayout, pickOption, type Running, start } from './harness.js';
import { PHONE } from './layout.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

async function statusIs(page: Page, text: string) {
  await page.locator('[data-testid="exemplar-status"]', { hasText: text }).first().waitFor();
}

describe.runIf(enabled)('双拥先进典型 in Chromium: a district nominates, the city recognises', () => {
  let url: string;

  it('klmy nominates a person; a unit code number in the deeds is flagged in place until it is taken out', async () => {
    const { page } = await run.signedIn('klmy', 1440);
    await page.goto(`${run.base}/exemplars`);
    await page.getByTestId('exemplar-create').click();
    await page.getByTestId('exemplar-name').fill('张秀兰');
    await page.getByTestId('exemplar-summary').fill('十年如一日照顾军属老人');
    await page.getByTestId('exemplar-deeds').fill('退役前在 32145部队 服役，现带领社区退役军人服务站为军属送医送药。');
    // the unit the exemplar concerns (it co-authors it)
    await pickOption(page, page.getByTestId('exemplar-concerned'), '驻市部队甲');
    await page.getByTestId('exemplar-save').click();
    await page.waitForURL(/\/exemplars\/[0-9a-f-]{36}$/);
    url = page.url();
    // the designation is found, named and marked in the text
    const findings = page.getByTestId('exemplar-findings');
    await findings.getByTestId('finding').first().waitFor();
    expect(await findings.getByTestId('finding-mark').first().textContent()).toContain('32145');

    await page.getByTestId('exemplar-deeds').fill('现带领社区退役军人服务站，为军属送医送药、组织志愿者开展双拥活动。');
    await page.getByTestId('exemplar-save').click();
    await findings.getByTestId('finding').first().waitFor({ state: 'detached' });
    await page.getByTestId('exemplar-submit').click();
    await statusIs(page, '市级审核中');
    await page.getByText('所涉单位：驻市部队甲').waitFor();
    await page.close();
  });

  it('city staff on a phone find it among those waiting for them, and recognise it', async () => {
    const { page } = await run.signedIn('city', PHONE);
    await page.goto(`${run.base}/exemplars`);
    await page.getByTestId('exemplar-to-review').click();
    await page.getByTestId('exemplar-row').filter({ hasText: '张秀兰' }).first().click();
    await page.getByTestId('exemplar-review').waitFor();
    expect(await phoneLayout(page, 'city-exemplar-review')).toEqual([]);
    await page.getByTestId('exemplar-approve').click();
    await page.getByTestId('exemplar-review').waitFor({ state: 'detached' });
    await statusIs(page, '已认定');
    await page.close();
  });

  it('klmy turns the recognised exemplar into a profile for the publicity review, and the register lists it', async () => {
    const { page } = await run.signedIn('klmy', 1440);
    await page.goto(url);
    await statusIs(page, '已认定');
    // 标记为创建佐证: the recognised exemplar is filed as evidence of the model-city element
    const tag = page.getByTestId('modelcity-tag');
    await pickOption(page, tag.getByTestId('modelcity-tag-element'), '先进典型宣传');
    await tag.getByTestId('modelcity-tag-button').click();
    await expect.poll(() => tag.getByTestId('modelcity-tag-filed').first().textContent()).toContain('先进典型宣传');
    expect(await phoneLayout(page, 'exemplar-modelcity-tag')).toEqual([]);
    await page.getByTestId('exemplar-profile-create').click();
    await page.getByTestId('exemplar-profile-link').click();
    await page.waitForURL(/\/publicity\/[0-9a-f-]{36}$/);
    await page.getByTestId('publicity-status').first().waitFor();

    await page.goto(`${run.base}/exemplars`);
    const row = page.locator('tr', { has: page.getByTestId('exemplar-row').filter({ hasText: '张秀兰' }) });
    await row.getByTestId('exemplar-status').filter({ hasText: '已认定' }).waitFor();
    await page.close();
  });
});
