import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, phoneLayout, pickDate, pickOption, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

describe.runIf(enabled)('荣誉 and 立功喜报 in Chromium', () => {
  it('klmy finds a household by its head and community, registers a 立功喜报 and follows it in the list', async () => {
    const klmy = await run.signedIn('klmy');
    // a 烈士遗属 in 友谊社区 (through the API, as the registry form would)
    const found = await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const person = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers: klmy.csrf,
      data: {
        orgId: (await found.json()).items[0].id,
        name: '赵桂芝',
        idNumber: idNumber('65020319420404002'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);

    // the households list names the household by its head and community, not by a masked address
    await klmy.page.getByTestId('nav-households').click();
    const row = klmy.page.getByTestId('household-row').filter({ hasText: '赵桂芝家（友谊社区）' });
    await row.waitFor();
    await row.click();
    await klmy.page.getByRole('heading', { name: '赵桂芝家（友谊社区）' }).waitFor();

    // register a citation received 30 days ago: past its 5 working days, so overdue
    const received = new Date(Date.now() - 30 * 86_400_000);
    const receivedText = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(received);
    await klmy.page.getByTestId('citation-add').click();
    const dialog = klmy.page.getByRole('dialog');
    await dialog.getByTestId('citation-form-memberName').fill('赵小兵');
    await pickOption(klmy.page, dialog.getByTestId('citation-form-level'), '三等功');
    await pickDate(klmy.page, 'citation-form-receivedAt', receivedText);
    await dialog.getByRole('button', { name: /确\s*定|登\s*记|保\s*存/ }).click();
    // a success message after the save
    await klmy.page.getByText('立功喜报已登记').waitFor();
    await klmy.page.getByTestId('citation').filter({ hasText: '赵小兵' }).waitFor();

    // the list of all citations: the overdue one first, with its household; the presets filter it
    await klmy.page.getByTestId('nav-citations').click();
    const first = klmy.page.getByTestId('citation-table').locator('tr.ant-table-row').first();
    await first.getByText('赵小兵').waitFor();
    expect(await first.textContent()).toContain('赵桂芝家（友谊社区）');
    await first.getByTestId('citation-overdue').waitFor();
    await klmy.page.getByTestId('citation-preset').getByText('逾期未登记').click();
    await klmy.page.getByTestId('citation-table').getByText('赵小兵').waitFor();
    await shot(klmy.page, 'citations-overdue-1440');
    expect(await phoneLayout(klmy.page, 'citations-overdue')).toEqual([]);
    await klmy.page.setViewportSize({ width: 390, height: 844 });
    await klmy.page.getByTestId('citation-row').filter({ hasText: '赵小兵' }).click();
    await klmy.page.getByRole('heading', { name: '赵桂芝家（友谊社区）' }).waitFor();
    expect(await phoneLayout(klmy.page, 'household-by-head')).toEqual([]);
    await klmy.page.close();

    // the city's read-only staff see the head's name masked
    const city = await run.signedIn('city', 390);
    await city.page.goto(`${run.base}/citations`);
    await city.page.getByTestId('citation-table').getByText('赵＊＊家（友谊社区）').waitFor();
    expect(await phoneLayout(city.page, 'citations-city')).toEqual([]);
    await city.page.close();
  });

  it('the auditor reads the audit rows in Chinese: object type, object name and changed fields', async () => {
    const auditor = await run.signedIn('auditor');
    await auditor.page.goto(`${run.base}/audit`);
    await pickOption(auditor.page, auditor.page.getByTestId('audit-filter-entityType'), '立功喜报');
    await auditor.page.getByTestId('audit-search').click();
    const row = auditor.page.locator('tr.ant-table-row', { hasText: '立功喜报' }).first();
    await row.waitFor();
    expect(await row.getByTestId('audit-changes').textContent()).toBe('立功等级、户');
    expect(await row.textContent()).not.toContain('citation');
    expect(await phoneLayout(auditor.page, 'audit-citation')).toEqual([]);
    // the filtered log as xlsx
    const sent = auditor.page.waitForRequest((r) => r.url().includes('/api/v1/audit/export'));
    const download = auditor.page.waitForEvent('download');
    await auditor.page.getByTestId('audit-export').click();
    expect(new URL((await sent).url()).searchParams.get('entityType')).toBe('citation');
    expect((await download).suggestedFilename()).toBe('审计日志.xlsx');
    // the person's rows name the person — masked for the auditor — not a UUID
    await pickOption(auditor.page, auditor.page.getByTestId('audit-filter-entityType'), '优抚对象');
    await auditor.page.getByTestId('audit-search').click();
    await auditor.page.getByTestId('audit-entity-label').filter({ hasText: '赵＊＊' }).first().waitFor();
    expect(await phoneLayout(auditor.page, 'audit-person')).toEqual([]);
    await auditor.page.close();
  });
});
