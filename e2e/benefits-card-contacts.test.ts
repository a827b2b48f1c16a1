import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipText } from '../packages/server/test/campaigns-fixtures.js';
import { browserAvailable, idNumber, phoneLayout, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

const now = new Date();
const PERIOD = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
const DISTRICT = '克拉玛依区退役军人事务局';
const LINE = '0990-6231234（工作日 9:30—18:00）';
const DEFAULT = '12345（全市政务服务热线）';

/** The 待遇明白卡 of the roster's one line, downloaded from the lines dialog, as its words. */
async function cardWords(page: Page) {
  await page.getByRole('tab', { name: '发放名册' }).click();
  await page.getByTestId('roster-lines').first().click();
  const dialog = page.getByRole('dialog');
  const line = dialog.locator('tr', { hasText: '郑秀兰' });
  await line.waitFor();
  const download = page.waitForEvent('download');
  await line.getByTestId('line-card').click();
  const card = await download;
  expect(card.suggestedFilename()).toBe(`郑秀兰户${PERIOD}待遇明白卡.docx`);
  const words = zipText(fs.readFileSync(await card.path()), 'word/document.xml').replace(/<[^>]+>/g, '');
  await dialog.getByRole('button', { name: /关\s*闭|Close/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  return words;
}

describe.runIf(enabled)('明白卡咨询电话 in Chromium (decisions/0065)', () => {
  it('the city’s standards manager sets a district’s line, reads it on a card, clears it and the card has the city default', async () => {
    const klmy = await run.signedIn('klmy');
    const city = await run.signedIn('city');
    // one 烈士遗属 of 友谊社区, the city's standard and klmy's roster of the month (as the pages would)
    const org = (
      await (await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`)).json()
    ).items[0].id;
    const person = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers: klmy.csrf,
      data: {
        orgId: org,
        name: '郑秀兰',
        idNumber: idNumber('65020319420311002'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status(), await person.text()).toBe(201);
    const standard = await city.page.request.post(`${run.base}/api/v1/benefit-standards`, {
      headers: city.csrf,
      data: {
        benefitType: 'survivor_pension',
        category: 'martyr_survivor',
        layer: 'national',
        amountFen: 260_050,
        validFrom: '2025-01',
        docNo: '民发〔2025〕1号',
      },
    });
    expect(standard.status(), await standard.text()).toBe(201);
    const roster = await klmy.page.request.post(`${run.base}/api/v1/benefit-rosters`, {
      headers: klmy.csrf,
      data: { period: PERIOD },
    });
    expect(roster.status(), await roster.text()).toBe(201);
    await klmy.page.close();

    // the city's manager opens 明白卡咨询电话 from the benefits page
    const page = city.page;
    await page.getByTestId('nav-benefits').click();
    await page.getByRole('tab', { name: '明白卡咨询电话' }).click();
    const field = (name: string) => page.locator(`input[data-testid="card-contact"][aria-label="${name}"]`);
    await field(DISTRICT).waitFor();
    // the city's default first, then the district's own line
    await field('全市默认').fill(DEFAULT);
    await expect.poll(() => page.getByTestId('card-contact-hint').first().textContent()).toContain(DEFAULT);
    await field(DISTRICT).fill(LINE);
    await page.getByTestId('card-contacts-save').click();
    await page.getByText('已保存，新下载的明白卡使用新的联系电话').waitFor();
    expect(await phoneLayout(page, 'benefits-card-contacts')).toEqual([]);

    // a card of a 克拉玛依区 household carries the district's line
    const withLine = await cardWords(page);
    expect(withLine).toContain(`政策咨询：${DISTRICT}　${LINE}`);

    // cleared: the page says the default applies, and the next card prints it
    await page.getByRole('tab', { name: '明白卡咨询电话' }).click();
    await field(DISTRICT).fill('');
    const hint = page.locator('.ant-form-item', { has: field(DISTRICT) }).getByTestId('card-contact-hint');
    await expect.poll(() => hint.textContent()).toBe(`未设置，明白卡使用全市默认：${DEFAULT}`);
    await page.getByTestId('card-contacts-save').click();
    await page.getByText('已保存，新下载的明白卡使用新的联系电话').last().waitFor();
    // saved: the server's answer fills the page again
    await page.reload();
    await page.getByRole('tab', { name: '明白卡咨询电话' }).click();
    await field(DISTRICT).waitFor();
    expect(await field(DISTRICT).inputValue()).toBe('');
    expect(await field('全市默认').inputValue()).toBe(DEFAULT);
    const withDefault = await cardWords(page);
    expect(withDefault).toContain(`政策咨询：${DISTRICT}　${DEFAULT}`);
    expect(withDefault).not.toContain(LINE);
  });
});
