import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, phoneLayout, pickDate, pickOption, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

type Signed = { page: import('playwright-core').Page; csrf: Record<string, string> };

async function post(s: Signed, url: string, data: object, status = 201) {
  const res = await s.page.request.post(`${run.base}/api/v1${url}`, { headers: s.csrf, data });
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
}

describe.runIf(enabled)('残疾等级变更 on the person page in Chromium (issue 21, decisions/0056)', () => {
  it('klmy records a grade change with its decision date and number; the paid month gets back pay; the history lists it', async () => {
    const city = await run.signedIn('city');
    for (const [min, max, fen] of [
      [5, 6, 300_000],
      [1, 4, 500_000],
    ] as const)
      await post(city, '/benefit-standards', {
        benefitType: 'disability_pension',
        category: 'disabled_veteran',
        gradeMin: min,
        gradeMax: max,
        layer: 'national',
        amountFen: fen,
        validFrom: '2025-01',
        docNo: '民发〔2025〕1号',
      });
    const klmy = await run.signedIn('klmy');
    const org = (
      await (await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`)).json()
    ).items[0].id;
    const person = await post(klmy, '/beneficiaries', {
      orgId: org,
      name: '韩卫东',
      idNumber: idNumber('65020319580412031'),
      categories: [{ code: 'disabled_veteran', startDate: '2010-01-01', disabilityGrade: 6, disabilityCause: 'war' }],
    });
    // 2025-05 is paid at grade 6 before the change is recorded
    const roster = await post(klmy, '/benefit-rosters', { period: '2025-05' });
    await post(klmy, `/benefit-rosters/${roster.id}/request`, { version: roster.version }, 200);
    await post(city, `/benefit-rosters/${roster.id}/decision`, { version: 2, decision: 'approve' }, 200);
    await city.page.close();

    const page = klmy.page;
    await page.goto(`${run.base}/beneficiaries/${person.id}`);
    await page.getByRole('tab', { name: '优抚类别' }).click();
    const panel = page.getByTestId('grade-changes');
    await expect.poll(() => panel.getByTestId('grade-change-list').textContent()).toContain('暂无等级变更记录');
    await page.getByTestId('grade-change-open').click();
    const dialog = page.getByRole('dialog');
    await pickDate(page, 'grade-change-date', '2025-03-20');
    await pickOption(page, dialog.getByTestId('grade-change-grade'), '4 级');
    await pickOption(page, dialog.getByTestId('grade-change-cause'), '因公');
    await dialog.getByTestId('grade-change-doc').fill('克退役〔2025〕12号');
    expect(await phoneLayout(page, 'registry-grade-change-form')).toEqual([]);
    await page.getByTestId('grade-change-submit').click();
    await dialog.waitFor({ state: 'detached' });

    const row = panel.getByTestId('grade-change-list').locator('tbody tr.ant-table-row').first();
    await expect.poll(() => row.textContent()).toContain('2025-03-20');
    const text = ((await row.textContent()) ?? '').replace(/\s+/g, '');
    expect(text).toBe('2025-03-20残疾军人6级→4级因战→因公2025-04克退役〔2025〕12号—');
    // the category shows the grade in force now
    await expect
      .poll(async () => ((await page.getByTestId('beneficiary-assignments').textContent()) ?? '').replace(/\s+/g, ''))
      .toContain('4级因公');
    // 2025-05 was paid at 3,000.00: 2,000.00 is owed back, on the next roster
    await expect
      .poll(() => page.getByTestId('backpay-result').textContent(), { timeout: 20_000 })
      .toContain('补发已生成：1 条');
    expect(await phoneLayout(page, 'registry-grade-change-list')).toEqual([]);

    await page.getByRole('tab', { name: '历史' }).click();
    const entry = page.locator('[data-testid="history-entry"][data-action="beneficiary.gradeChange"]');
    await expect.poll(() => entry.textContent()).toContain('变更伤残等级');
    expect((await entry.textContent())?.replace(/\s+/g, '')).toContain('伤残等级：6→4');

    // refused: a date before the category's start is not accepted by the server
    const refused = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries/${person.id}/grade-changes`, {
      headers: klmy.csrf,
      data: {
        version: 2,
        code: 'disabled_veteran',
        effectiveDate: '2009-12-31',
        disabilityGrade: 3,
        documentNo: 'x',
      },
    });
    expect(refused.status()).toBe(400);
  });

  it('klmy imports a roster with a new grade and its decision (recorded) and one without a decision (refused)', async () => {
    const klmy = await run.signedIn('klmy');
    const org = (
      await (await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`)).json()
    ).items[0].id;
    const other = await post(klmy, '/beneficiaries', {
      orgId: org,
      name: '马建军',
      idNumber: idNumber('65020319600815033'),
      categories: [{ code: 'disabled_veteran', startDate: '2012-01-01', disabilityGrade: 7, disabilityCause: 'duty' }],
    });
    const han = (
      await (await klmy.page.request.get(`${run.base}/api/v1/beneficiaries?q=${encodeURIComponent('韩卫东')}`)).json()
    ).items[0];
    const page = klmy.page;
    await page.goto(`${run.base}/beneficiaries/import`);
    const orgPicker = page.getByTestId('import-org');
    await orgPicker.click();
    await orgPicker.locator('input').fill('克拉玛依区退役军人事务局');
    await page.locator('.ant-select-dropdown:visible').getByText('克拉玛依区退役军人事务局').first().waitFor();
    await page.keyboard.press('Enter');
    // 韩卫东 4级 → 3级 by a decision of 2025-06-10; 马建军's 五级 has no decision: refused, row 3
    const csv = [
      '姓名,身份证号码,人员类别,伤残等级,伤残性质,等级调整决定日期,等级调整文号',
      `韩卫东,${idNumber('65020319580412031')},残疾军人,三级,因公,2025-06-10,克退役〔2025〕20号`,
      `马建军,${idNumber('65020319600815033')},残疾军人,五级,因公,,`,
    ].join('\r\n');
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: '调级.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-summary-grade-changes').textContent()).toContain('1');
    expect(await page.getByTestId('import-summary-invalid').textContent()).toContain('1');
    expect(await page.getByTestId('import-error-row').allTextContents()).toEqual(['3']);
    await expect
      .poll(() => page.getByTestId('import-errors').textContent())
      .toContain('请填写等级调整决定日期和等级调整文号');
    expect(await phoneLayout(page, 'registry-grade-import-dry-run')).toEqual([]);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });

    // the change is on the person page as the form's would be; the refused row wrote nothing
    await page.goto(`${run.base}/beneficiaries/${han.id}`);
    await page.getByRole('tab', { name: '优抚类别' }).click();
    const row = page.getByTestId('grade-change-list').locator('tbody tr.ant-table-row').first();
    await expect.poll(() => row.textContent()).toContain('2025-06-10');
    expect(((await row.textContent()) ?? '').replace(/\s+/g, '')).toBe(
      '2025-06-10残疾军人4级→3级因公2025-07克退役〔2025〕20号—',
    );
    const kept = await (await klmy.page.request.get(`${run.base}/api/v1/beneficiaries/${other.id}`)).json();
    expect(kept.assignments[0]).toMatchObject({ disabilityGrade: 7, disabilityCause: 'duty' });
  });
});
