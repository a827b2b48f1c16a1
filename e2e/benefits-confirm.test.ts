import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, dateInput, idNumber, phoneLayout, pickOption, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

/**
 * People registered this year need no confirmation of this year (decisions/0045), so the journey
 * runs in next year's browser calendar, as the server's tests use next year: the page asks the
 * server about the months it believes current.
 */
const NEXT = new Date().getFullYear() + 1;
const crumbs = async (page: import('playwright-core').Page) =>
  ((await page.getByTestId('breadcrumb').textContent()) ?? '').replace(/\s+/g, '');

async function people(
  signed: { page: import('playwright-core').Page; csrf: Record<string, string> },
  names: readonly string[],
  serial: string,
) {
  const org = (
    await (await signed.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`)).json()
  ).items[0].id;
  const ids: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const res = await signed.page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers: signed.csrf,
      data: {
        orgId: org,
        name,
        idNumber: idNumber(`6502031945061${i}${serial}1`),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    ids[name] = (await res.json()).id;
  }
  return ids;
}

describe.runIf(enabled)('年度确认 and 发放账户 in Chromium (issue 21, decisions/0045)', () => {
  it('klmy sees who has not confirmed the year, whose payments are held, and records one and then two at once', async () => {
    const city = await run.signedIn('city');
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
    await city.page.close();
    const klmy = await run.signedIn('klmy');
    const ids = await people(klmy, ['赵桂兰', '钱玉珍', '孙秀梅'], '06');
    const page = klmy.page;

    // February: last year's confirmation still holds, nobody is held yet, all three are due
    await page.clock.setFixedTime(new Date(`${NEXT}-02-10T10:00:00+08:00`));
    await page.reload();
    await page.getByTestId('nav-benefit-confirmations').click();
    expect(await crumbs(page)).toBe('待遇落实/年度确认');
    const summary = page.getByTestId('confirm-summary');
    await expect
      .poll(() => summary.textContent())
      .toBe(`${NEXT} 年尚未确认 3 人，其中 ${NEXT}-02 因未确认暂停发放 0 人；已登记确认 0 人`);
    expect(await page.getByTestId('confirm-due').count()).toBe(3);

    // June: without the year's confirmation their payments are held
    await page.clock.setFixedTime(new Date(`${NEXT}-06-15T10:00:00+08:00`));
    await page.reload();
    await expect
      .poll(() => summary.textContent())
      .toBe(`${NEXT} 年尚未确认 3 人，其中 ${NEXT}-06 因未确认暂停发放 3 人；已登记确认 0 人`);
    const held = page.getByTestId('confirm-held');
    expect(await held.count()).toBe(3);
    expect(await phoneLayout(page, 'benefits-confirm-held')).toEqual([]);

    // a name leads to the person
    expect(await page.getByRole('link', { name: '赵桂兰' }).getAttribute('href')).toBe(`/beneficiaries/${ids.赵桂兰}`);

    // one, by video
    await page.locator('tr', { hasText: '赵桂兰' }).getByTestId('confirm-one').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`登记 ${NEXT} 年度确认：赵桂兰`).waitFor();
    expect(await dateInput(page, 'confirm-date').inputValue()).toBe(`${NEXT}-06-15`);
    await pickOption(page, dialog.getByTestId('confirm-method'), '视频认证');
    await dialog.getByTestId('confirm-note').fill('视频连线本人');
    await dialog.getByTestId('confirm-submit').click();
    await page.getByText(`已登记 1 人的 ${NEXT} 年度确认`).waitFor();
    await expect.poll(() => held.count()).toBe(2);
    expect(await page.locator('tr', { hasText: '赵桂兰' }).count()).toBe(0);

    // the other two at once: select the rows, one dialog
    for (const name of ['钱玉珍', '孙秀梅'])
      await page.locator('tr', { hasText: name }).locator('.ant-checkbox-input').check();
    const batch = page.getByTestId('confirm-batch');
    expect(await batch.textContent()).toContain('登记所选（2 人）');
    expect(await phoneLayout(page, 'benefits-confirm-selected')).toEqual([]);
    await batch.click();
    await dialog.getByText(`登记 ${NEXT} 年度确认：孙秀梅、钱玉珍`).waitFor();
    await pickOption(page, dialog.getByTestId('confirm-method'), '入户核实');
    expect(await phoneLayout(page, 'benefits-confirm-batch-form')).toEqual([]);
    await dialog.getByTestId('confirm-submit').click();
    await page.getByText(`已登记 2 人的 ${NEXT} 年度确认`).waitFor();
    await page.getByText('没有待确认的对象').waitFor();
    await expect
      .poll(() => summary.textContent())
      .toBe(`${NEXT} 年尚未确认 0 人，其中 ${NEXT}-06 因未确认暂停发放 0 人；已登记确认 3 人`);

    // what the server holds
    const saved = await (await page.request.get(`${run.base}/api/v1/benefit-confirmations?year=${NEXT}`)).json();
    const byPerson = Object.fromEntries(
      saved.items.map((c: { beneficiaryId: string; method: string; confirmedOn: string; note: string | null }) => [
        c.beneficiaryId,
        [c.method, c.confirmedOn, c.note],
      ]),
    );
    expect(byPerson).toEqual({
      [ids.赵桂兰!]: ['video', `${NEXT}-06-15`, '视频连线本人'],
      [ids.钱玉珍!]: ['home_visit', `${NEXT}-06-15`, null],
      [ids.孙秀梅!]: ['home_visit', `${NEXT}-06-15`, null],
    });
    await page.close();
  });

  it('klmy records a bank account with checked fields, opens it with a reason, changes it; the city sees it masked', async () => {
    const klmy = await run.signedIn('klmy');
    const ids = await people(klmy, ['李凤兰'], '07');
    const page = klmy.page;
    await page.goto(`${run.base}/beneficiaries/${ids.李凤兰}`);
    await page.getByRole('tab', { name: '发放账户' }).click();
    await page.getByTestId('account-none').waitFor();
    expect(await crumbs(page)).toBe('优抚对象/对象名册/详情');
    expect(await page.getByTestId('account-reveal').count()).toBe(0);

    // the form says in Chinese what is wrong
    await page.getByTestId('account-edit').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('account-bank').fill('农');
    await dialog.getByTestId('account-no').fill('6222abc');
    await dialog.getByTestId('account-save').click();
    await dialog.getByText('开户银行应为 2—60 个字').waitFor();
    await dialog.getByText('银行账号应为 8—30 位数字').waitFor();
    expect(await phoneLayout(page, 'benefits-account-form')).toEqual([]);
    await dialog.getByTestId('account-bank').fill('农业银行克拉玛依分行');
    await dialog.getByTestId('account-no').fill('6228 4800 1234 5678 901');
    await dialog.getByTestId('account-save').click();
    await page.getByText('发放账户已保存').waitFor();
    const number = page.getByTestId('account-number');
    await expect.poll(() => number.textContent()).toBe('***************8901');
    expect(await phoneLayout(page, 'benefits-account-masked')).toEqual([]);

    // the number in full: a reason first, then shown and recorded
    await page.getByTestId('account-reveal').click();
    await dialog.getByTestId('account-reveal-submit').click();
    await dialog.getByText('请填写事由', { exact: true }).waitFor();
    await dialog.getByTestId('account-reveal-reason').fill('核对银行退回的代发记录');
    await dialog.getByTestId('account-reveal-submit').click();
    await expect.poll(() => number.textContent()).toBe('6228480012345678901');
    await page.getByTestId('account-revealed').waitFor();
    expect(await page.getByTestId('account-reveal').count()).toBe(0);

    // a new card: masked again (once the first message has gone, so the next one is this save's)
    await page.getByText('发放账户已保存').waitFor({ state: 'detached' });
    await page.getByTestId('account-edit').click();
    expect(await dialog.getByTestId('account-bank').inputValue()).toBe('农业银行克拉玛依分行');
    await dialog.getByTestId('account-bank').fill('工商银行克拉玛依分行');
    await dialog.getByTestId('account-no').fill('6212260000001234');
    await dialog.getByTestId('account-save').click();
    await page.getByText('发放账户已保存').waitFor();
    await expect.poll(() => number.textContent()).toBe('************1234');
    expect(await page.getByTestId('account-revealed').count()).toBe(0);

    // the person's history names the reveal, with its reason and not the number
    await page.getByRole('tab', { name: '历史' }).click();
    const reveal = page.locator('[data-testid="history-entry"][data-action="benefit.account.reveal"]');
    await reveal.waitFor();
    expect(await reveal.textContent()).toContain('查看完整银行账号');
    expect(await reveal.textContent()).toContain('核对银行退回的代发记录');
    expect(await page.getByTestId('beneficiary-history').textContent()).not.toContain('6228480012345678901');
    await page.close();

    // the city's staff may change the account but not open it
    const city = await run.signedIn('city', 390);
    await city.page.goto(`${run.base}/beneficiaries/${ids.李凤兰}`);
    await city.page.getByRole('tab', { name: '发放账户' }).click();
    await expect.poll(() => city.page.getByTestId('account-number').textContent()).toBe('************1234');
    expect(await city.page.getByTestId('account-reveal').count()).toBe(0);
    await city.page.getByTestId('account-edit').waitFor();
    expect(await phoneLayout(city.page, 'benefits-account-city')).toEqual([]);
    await city.page.close();
  });
});
