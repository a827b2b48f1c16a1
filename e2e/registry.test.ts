import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, login, phoneLayout, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

const ZHANG = idNumber('65020319500305001');

describe.runIf(enabled)('registry in Chromium', () => {
  it('imports a spreadsheet through the wizard, with progress, a dry run and an error report', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN' });
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/beneficiaries/import`);
    const org = page.getByTestId('import-org');
    await org.click();
    await org.locator('input').fill('克拉玛依区退役军人事务局');
    await page.locator('.ant-select-dropdown:visible').getByText('克拉玛依区退役军人事务局').first().waitFor();
    await page.keyboard.press('Enter');
    const csv = [
      '序号,姓名,身份证号码,联系电话,人员类别,区,街道,社区',
      `1,张建国,${ZHANG},13912348896,烈属,克拉玛依区,天山路街道,友谊社区`,
      `2,李秀英,${idNumber('65020319520606002')},,军属,克拉玛依区,胜利路街道,胜利社区`,
      `3,错号码,${idNumber('65020319600101003').slice(0, 17)}0,,军属,克拉玛依区,,`,
      // a city-wide roster: other districts' rows are skipped with one grouped line, even when wrong
      `4,独一,${idNumber('65020219600101004')},,军属,独山子区,西宁路街道,`,
      `5,独二,${idNumber('65020219600101005').slice(0, 17)}0,,外星人,独山子区,,`,
      `6,张建国,${ZHANG},,烈属,克拉玛依区,,`,
      '合计,6人,,,,,,',
    ].join('\r\n');
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-summary-created').textContent()).toContain('2');
    expect(await page.getByTestId('import-summary-invalid').textContent()).toContain('1');
    expect(await page.getByTestId('import-summary-other').textContent()).toContain('2');
    const others = await page.getByTestId('import-other-districts').textContent();
    expect(others).toContain('2 行属于其他区');
    expect(others).toContain('独山子区退役军人事务局 2 行');
    // the rows to fix first, then the duplicate; the kind filter narrows the list
    expect(await page.getByTestId('import-error-row').allTextContents()).toEqual(['4', '7']);
    await page.getByTestId('import-error-kind').getByText('文件内重复').click();
    expect(await page.getByTestId('import-error-row').allTextContents()).toEqual(['7']);
    expect(await page.getByTestId('import-error-report').isVisible()).toBe(true);
    expect(await phoneLayout(page, 'import-dry-run')).toEqual([]);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    await shot(page, 'import-done');
    await page.close();
  });

  it('finds a person by pinyin initials and reveals the full ID number with a reason', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN' });
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/beneficiaries`);
    await page.getByTestId('beneficiary-search').fill('zjg');
    await page.getByTestId('beneficiary-search').press('Enter');
    const row = page.getByTestId('beneficiary-row-name').filter({ hasText: '张建国' });
    await row.waitFor();
    // 李秀英 (lxy) is in the district too; only 张建国 matches zjg
    await expect.poll(() => page.getByTestId('beneficiary-row-name').count()).toBe(1);
    expect(await phoneLayout(page, 'search-pinyin')).toEqual([]);
    await row.click();
    await page.getByTestId('beneficiary-detail').waitFor();
    expect(await page.getByTestId('beneficiary-detail').textContent()).not.toContain(ZHANG);
    await page.getByTestId('reveal-open').click();
    await page.getByTestId('reveal-reason').fill('核实慰问对象身份');
    await page.getByTestId('reveal-submit').click();
    await expect.poll(async () => (await page.getByTestId('reveal-idNumber').textContent()) ?? '').toContain(ZHANG);
    expect(await page.getByTestId('reveal-phone').textContent()).toContain('13912348896');
    expect(await phoneLayout(page, 'reveal')).toEqual([]);
    await page.close();
  });

  it('exports exactly the rows chosen on the list', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/beneficiaries`);
    const row = page.locator('tr.ant-table-row', { hasText: '张建国' });
    await row.waitFor();
    await row.locator('.ant-checkbox-input').check();
    await page.getByTestId('selection-count').getByText('1').waitFor();
    expect(await phoneLayout(page, 'beneficiaries-selected')).toEqual([]);
    await page.getByTestId('beneficiary-export-selected').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('将导出所选的 1 人').waitFor();
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/beneficiaries/export'));
    const download = page.waitForEvent('download');
    await page.getByTestId('export-submit').click();
    const body = (await sent).postDataJSON() as { ids: string[]; filters: object };
    expect(body.ids).toEqual([await row.getAttribute('data-row-key')]);
    expect(body.filters).toEqual({});
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
    await dialog.getByTestId('export-done').waitFor();
    await page.close();
  });
});
