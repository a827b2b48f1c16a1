import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipText } from '../packages/server/test/campaigns-fixtures.js';
import { pdfPages } from '../packages/server/test/pdf-text.js';
import { browserAvailable, idNumber, phoneLayout, pickOption, type Running, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

// the browser's month (the page proposes it) — the container runs in UTC
const now = new Date();
const PERIOD = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
const LONG_AGO = new Date(now.getFullYear(), now.getMonth(), 1 - 40).toISOString().slice(0, 10);

describe.runIf(enabled)('待遇发放与对账 in Chromium (issue 21)', () => {
  it('klmy builds the month’s roster, downloads the bank list and reconciles a return file with five planted errors', async () => {
    const klmy = await run.signedIn('klmy');
    const city = await run.signedIn('city');
    // four 烈士遗属 of 友谊社区 and one who died before this month (as the registry form would)
    const org = (
      await (await klmy.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`)).json()
    ).items[0].id;
    const ids: Record<string, string> = {};
    const personIds: Record<string, string> = {};
    const households: Record<string, string> = {};
    for (const [n, name, extra] of [
      ['1', '钱秀英', {}],
      ['2', '孙玉兰', {}],
      ['3', '李桂香', {}],
      // 周淑珍 lives with 李桂香: one household, one 明白卡
      ['4', '周淑珍', { household: '李桂香' }],
      ['5', '吴凤英', { status: 'deceased', statusDate: LONG_AGO }],
    ] as const) {
      ids[name] = idNumber(`6502031940050${n}002`);
      const res = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
        headers: klmy.csrf,
        data: {
          orgId: org,
          name,
          idNumber: ids[name],
          categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
          ...('household' in extra ? { householdId: households[extra.household]! } : extra),
        },
      });
      expect(res.status(), await res.text()).toBe(201);
      personIds[name] = (await res.json()).id;
      households[name] = (
        await (await klmy.page.request.get(`${run.base}/api/v1/beneficiaries/${personIds[name]}`)).json()
      ).household.id;
    }
    // the city's standard: ¥2,600.50 a month
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
    expect(standard.status()).toBe(201);
    // 钱秀英's bank account: sealed on the server, masked on screen, in full on the bank list
    const account = await klmy.page.request.put(`${run.base}/api/v1/benefit-accounts/${personIds.钱秀英}`, {
      headers: klmy.csrf,
      data: { bankName: '农业银行克拉玛依分行', accountNo: '6228 4800 1234 5678 901' },
    });
    expect(account.status(), await account.text()).toBe(200);

    // klmy builds the roster of the month in the page
    const page = klmy.page;
    await page.getByTestId('nav-benefits').click();
    await page.getByTestId('roster-period').fill(PERIOD);
    await page.getByTestId('roster-create').click();
    await page.getByTestId('roster-status').filter({ hasText: '草稿' }).waitFor();
    // 4 × ¥2,600.50: the person who died before the month is not on it
    expect(await page.getByTestId('roster-total').first().textContent()).toBe('¥10,402.00');
    expect(await phoneLayout(page, 'benefits-roster-draft')).toEqual([]);
    await page.getByTestId('roster-request').click();
    await page.getByTestId('roster-status').filter({ hasText: '待审核' }).waitFor();

    // the city releases it (klmy cannot release its own roster)
    const list = await (await city.page.request.get(`${run.base}/api/v1/benefit-rosters?period=${PERIOD}`)).json();
    const roster = list.items[0];
    const released = await city.page.request.post(`${run.base}/api/v1/benefit-rosters/${roster.id}/decision`, {
      headers: city.csrf,
      data: { version: roster.version, decision: 'approve' },
    });
    expect(released.status()).toBe(200);

    await page.reload();
    await page.getByTestId('roster-status').filter({ hasText: '已放行' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('roster-bank-list').click();
    const file = await (await download).path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const cells = (r: number) => [1, 2, 3, 4, 5, 6].map((c) => String(sheet.getRow(r).getCell(c).value ?? ''));
    expect(cells(1)).toEqual(['序号', '姓名', '身份证号', '开户银行', '银行账号', '金额（元）']);
    const rows = [2, 3, 4, 5].map(cells);
    expect(rows.map((r) => r[1]).sort()).toEqual(['孙玉兰', '周淑珍', '李桂香', '钱秀英'].sort());
    expect(rows.find((r) => r[1] === '钱秀英')!.slice(2)).toEqual([
      ids.钱秀英,
      '农业银行克拉玛依分行',
      '6228480012345678901',
      '2600.50',
    ]);
    expect(cells(6)).toEqual(['合计', '4 人', '', '', '', '10402.00']);

    // the 待遇明白卡 of a person's household (decisions/0057), from the roster's lines
    await page.getByTestId('roster-lines').click();
    const lines = page.getByRole('dialog');
    // the account is masked in the list
    await lines.locator('tr', { hasText: '钱秀英' }).getByText('***************8901').waitFor();
    const line = lines.locator('tr', { hasText: '周淑珍' });
    await line.waitFor();
    const cardDownload = page.waitForEvent('download');
    await line.getByTestId('line-card').click();
    const card = await cardDownload;
    expect(card.suggestedFilename()).toBe(`李桂香户${PERIOD}待遇明白卡.docx`);
    const xml = zipText(fs.readFileSync(await card.path()), 'word/document.xml');
    const words = xml.replace(/<[^>]+>/g, '');
    expect(words).toContain('1. 李桂香（身份证号：650203');
    expect(words).toContain('2. 周淑珍（身份证号：650203');
    expect(words).not.toContain(ids.周淑珍!);
    expect(words).toContain('定期抚恤金：每月 2600.50 元');
    expect(words).toContain('依据：烈士遗属，2025-01 起国家标准 2600.50 元（民发〔2025〕1号）');
    expect(words).toContain('本户每月合计：5201.00 元');
    expect(words).toContain('政策咨询：克拉玛依区退役军人事务局');
    expect(words).not.toContain('钱秀英');
    expect(xml).not.toMatch(/w:type="page"|w:pageBreakBefore/);
    // the same card as a one-page PDF
    const pdfDownload = page.waitForEvent('download');
    await line.getByTestId('line-card-pdf').click();
    const cardPdf = await pdfDownload;
    expect(cardPdf.suggestedFilename()).toBe(`李桂香户${PERIOD}待遇明白卡.pdf`);
    const pdf = await pdfPages(fs.readFileSync(await cardPdf.path()));
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('周淑珍');
    expect(pdf.text).toContain('李桂香');
    expect(pdf.text).toContain('本户每月合计：5201.00 元');
    expect(pdf.text).toContain('定期抚恤金：每月 2600.50 元');
    expect(pdf.text).toContain('民发〔2025〕1号');
    await lines.getByRole('button', { name: /关\s*闭|Close/ }).click();

    // the bank's return file: 钱秀英 failed, 孙玉兰 underpaid, 李桂香 missing, 吴凤英 paid though dead,
    // an ID nobody registered; 周淑珍 right
    const returned = [
      '身份证号,户名,交易金额,处理结果',
      `${ids.钱秀英},钱秀英,2600.50,失败：账户冻结`,
      `${ids.孙玉兰},孙玉兰,2600.00,成功`,
      `${ids.周淑珍},周淑珍,2600.50,成功`,
      `${ids.吴凤英},吴凤英,2600.50,成功`,
      `${idNumber('65020419600101003')},查无此人,2600.50,成功`,
    ].join('\r\n');
    await page.locator('input[type=file]').setInputFiles({
      name: '回盘.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(returned, 'utf8'),
    });
    // reconciled by a job: the page follows its progress to the result
    const result = page.getByTestId('reconcile-result');
    await result.waitFor();
    for (const kind of ['failed', 'underpaid', 'missing', 'paid_after_death', 'unknown_id'])
      expect(await page.getByTestId(`reconcile-${kind}`).textContent(), kind).toBe('1');
    // and no other kind of problem
    expect(await result.locator('[data-testid^="reconcile-"]').count()).toBe(5);
    await page.getByTestId('roster-status').filter({ hasText: '已对账' }).waitFor();
    // the roster's totals: what the bank paid (the four 成功 lines) and five open problems
    const rosterRow = page.locator('tr', { has: page.getByTestId('roster-status') });
    await expect.poll(() => rosterRow.locator('td').nth(5).textContent()).toBe('¥10,401.50');
    expect(await rosterRow.locator('td').nth(6).textContent()).toBe('5');
    expect(await phoneLayout(page, 'benefits-reconciled')).toEqual([]);

    // the worklist: exactly the five; the payment after death is recovered and closed
    await page.getByRole('tab', { name: '对账问题' }).click();
    const kinds = page.getByTestId('discrepancy-kind');
    await expect.poll(() => kinds.count()).toBe(5);
    expect((await kinds.allTextContents()).sort()).toEqual(
      ['发放失败', '少发', '回盘中缺失', '死亡后仍发放', '身份证号不在名册'].sort(),
    );
    // each planted error on its person, and no one else
    const found = await page
      .locator('tr', { has: kinds })
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    expect(Object.fromEntries(found)).toEqual({
      发放失败: '钱秀英',
      少发: '孙玉兰',
      回盘中缺失: '李桂香',
      死亡后仍发放: '吴凤英',
      身份证号不在名册: '查无此人',
    });
    expect(await phoneLayout(page, 'benefits-worklist')).toEqual([]);
    // each is a case of the district office with a deadline, none overdue yet (decisions/0055)
    const owners = page.getByTestId('discrepancy-owner');
    expect(await owners.allTextContents()).toEqual(Array(5).fill('克拉玛依区退役军人事务局'));
    const deadlines = page.getByTestId('discrepancy-deadline');
    for (const d of await deadlines.all()) {
      expect(await d.textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(await d.getAttribute('data-overdue')).toBe('false');
    }
    // the district hands the underpayment to its clerk by name; the deadline stands
    const under = page.locator('tr', { has: page.getByTestId('discrepancy-kind').filter({ hasText: '少发' }) });
    const due = await under.getByTestId('discrepancy-deadline').textContent();
    await under.getByTestId('discrepancy-reassign').click();
    const moveDialog = page.getByRole('dialog');
    await pickOption(page, moveDialog.getByTestId('discrepancy-reassign-user'), '克拉玛依区工作人员');
    await moveDialog.getByTestId('discrepancy-reassign-note').fill('请核实后补发');
    await moveDialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect
      .poll(() => under.getByTestId('discrepancy-owner').textContent())
      .toBe('克拉玛依区退役军人事务局 · 克拉玛依区工作人员');
    expect(await under.getByTestId('discrepancy-deadline').textContent()).toBe(due);
    // the office's cases are the clerk's to do, on the home page too
    const home = await (await page.request.get(`${run.base}/api/v1/home`)).json();
    expect(home.todos).toContainEqual(expect.objectContaining({ key: 'discrepanciesToHandle', count: 5 }));
    const row = page.locator('tr', { has: page.getByTestId('discrepancy-kind').filter({ hasText: '死亡后仍发放' }) });
    await row.getByTestId('discrepancy-close').click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, dialog.getByTestId('discrepancy-resolution'), '已追回');
    await dialog.getByTestId('discrepancy-note').fill('已从银行追回 2600.50 元');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(() => kinds.count()).toBe(4);
    // among the closed ones: recovered
    await pickOption(page, page.getByTestId('discrepancy-status'), '已办结');
    const closed = page.locator('tr', { hasText: '吴凤英' });
    await closed.getByText('已追回').waitFor();
    expect(await closed.getByTestId('discrepancy-kind').textContent()).toBe('死亡后仍发放');
    await expect.poll(() => kinds.count()).toBe(1);

    // the totals follow: the roster shows four open problems
    await page.getByRole('tab', { name: '发放名册' }).click();
    const open = page
      .locator('tr', { has: page.getByTestId('roster-status') })
      .locator('td')
      .nth(6);
    await expect.poll(() => open.textContent()).toBe('4');
    // and the month-over-month totals: four open, one closed, owed and paid as on the roster
    await page.getByRole('tab', { name: '汇总' }).click();
    const month = page.locator('tr', { hasText: PERIOD }).filter({ has: page.getByTestId('totals-open') });
    await expect.poll(() => month.getByTestId('totals-open').textContent()).toBe('4');
    expect(await month.getByTestId('totals-closed').textContent()).toBe('1');
    expect(await month.textContent()).toContain('¥10,402.00');
    expect(await month.textContent()).toContain('¥10,401.50');
    expect((await page.getByTestId('totals-sum').textContent())?.replace(/\s+/g, '')).toBe(
      ['合计', '¥10,402.00', '¥10,401.50', '4', '1'].join(''),
    );
    expect(await phoneLayout(page, 'benefits-totals')).toEqual([]);
    await city.page.close();
    await page.close();
  });

  it('the city enters one standard by hand, with its 性质; a wrong amount is refused in the form', async () => {
    const city = await run.signedIn('city');
    const page = city.page;
    await page.getByTestId('nav-benefits').click();
    await page.getByRole('tab', { name: '待遇标准' }).click();
    await page.getByTestId('standard-new').click();
    const dialog = page.getByRole('dialog');
    await pickOption(page, dialog.getByTestId('standard-type'), '残疾抚恤金');
    await pickOption(page, dialog.getByTestId('standard-category'), '残疾军人');
    await dialog.getByLabel('等级起').fill('5');
    await dialog.getByLabel('等级止').fill('6');
    await pickOption(page, dialog.getByTestId('standard-cause'), '因战');
    await dialog.getByTestId('standard-amount').fill('4000.123');
    await dialog.getByTestId('standard-from').fill('2025-01');
    await dialog.getByTestId('standard-doc').fill('民发〔2025〕2号');
    expect(await phoneLayout(page, 'benefits-standard-form', { width: 1440, height: 900 })).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByTestId('standard-save').click();
    await dialog.getByText('金额无效（应为元，最多两位小数）').waitFor();
    await dialog.getByTestId('standard-amount').fill('4000');
    await dialog.getByTestId('standard-save').click();
    const row = page.locator('tr', { hasText: '民发〔2025〕2号' });
    await row.waitFor();
    // months already paid (klmy's released roster): the back pay runs as a job the page follows to its result
    const backpay = page.getByTestId('backpay-result');
    await backpay.waitFor();
    expect(await backpay.textContent()).toMatch(
      /^补发已生成：\d+ 条，合计 ¥[\d,.]+（涉及已发放的 [1-9]\d* 个区县月份）$/,
    );
    expect(await row.textContent()).toContain('因战');
    const saved = await (
      await page.request.get(`${run.base}/api/v1/benefit-standards?benefitType=disability_pension`)
    ).json();
    expect(saved.items.find((x: { docNo: string }) => x.docNo === '民发〔2025〕2号')).toMatchObject({
      category: 'disabled_veteran',
      gradeMin: 5,
      gradeMax: 6,
      disabilityCause: 'war',
      layer: 'national',
      amountFen: 400_000,
      validFrom: '2025-01',
    });
    expect(await phoneLayout(page, 'benefits-standards')).toEqual([]);
    await page.close();
  });
});
