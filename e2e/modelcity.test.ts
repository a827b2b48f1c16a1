import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, phoneLayout, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

/** Opens 创建模范城 from the menu (group 双拥氛围) and the first standard's panel. */
async function openReadiness(page: Page) {
  await page.goto(`${run.base}/model-city`);
  await page.getByTestId('modelcity-total').waitFor();
  await page.getByTestId('modelcity-standard').first().click();
  await page.locator('[data-testid="modelcity-element"][data-code="1.2.1"]').waitFor();
}

const element = (page: Page, code: string) => page.locator(`[data-testid="modelcity-element"][data-code="${code}"]`);

describe.runIf(enabled)('创建全国双拥模范城 in Chromium', () => {
  it('a district attaches the leading-group minutes to their scoring element; the element is met', async () => {
    const page = (await run.signedIn('klmy')).page;
    await openReadiness(page);
    expect(await page.getByTestId('modelcity-scope').textContent()).toContain('克拉玛依区');
    expect(await element(page, '1.2.1').getByTestId('modelcity-element-status').textContent()).toBe('缺佐证');
    await element(page, '1.2.1').getByTestId('modelcity-upload').click();
    await page.getByTestId('modelcity-upload-title').fill('2026年双拥领导小组第一次会议纪要');
    await page.getByTestId('modelcity-upload-date').fill('2026-03-10');
    await page.getByTestId('modelcity-upload-file').setInputFiles({
      name: '会议纪要.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% minutes\n%%EOF\n'),
    });
    await page.getByTestId('modelcity-upload-ok').click();
    await element(page, '1.2.1').getByTestId('modelcity-evidence').waitFor();
    await expect
      .poll(() => element(page, '1.2.1').getByTestId('modelcity-element-status').textContent())
      .toBe('已达到');
    expect(await element(page, '1.2.1').getByTestId('modelcity-evidence').textContent()).toContain(
      '2026年双拥领导小组第一次会议纪要',
    );
    expect(await page.getByTestId('modelcity-total').textContent()).toContain('自评 0.5 分');
    expect(await phoneLayout(page, 'modelcity-district-attached')).toEqual([]);
    await page.close();
  });

  it('city staff check the city’s readiness and the gap list, and export the binder and the self-assessment', async () => {
    const page = (await run.signedIn('city')).page;
    await page.goto(`${run.base}/model-city`);
    await page.getByTestId('modelcity-total').waitFor();
    expect(await page.getByTestId('modelcity-scope').textContent()).toContain('全市');
    expect(await page.getByTestId('modelcity-total').textContent()).toContain('自评 0.5 分');
    await page.getByTestId('modelcity-standard').first().click();
    expect(await element(page, '1.2.1').getByTestId('modelcity-evidence').textContent()).toContain('克拉玛依区');
    await page.getByTestId('modelcity-tab-gaps').click();
    await page.getByTestId('modelcity-gap').first().waitFor();
    expect(await page.locator('[data-testid="modelcity-gap"][data-code="1.2.1"]').count()).toBe(0);
    expect(await page.locator('[data-testid="modelcity-gap"][data-code="1.2.2"]').count()).toBe(1);
    expect(await phoneLayout(page, 'modelcity-city-gaps')).toEqual([]);

    const binder = page.waitForEvent('download');
    await page.getByTestId('modelcity-binder').click();
    expect((await binder).suggestedFilename()).toBe('创建全国双拥模范城档案.docx');
    const xlsx = page.waitForEvent('download');
    await page.getByTestId('modelcity-xlsx').click();
    expect((await xlsx).suggestedFilename()).toBe('自评表.xlsx');
    await page.close();
  });
});
