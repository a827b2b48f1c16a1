import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipText } from '../packages/server/test/campaigns-fixtures.js';
import { browserAvailable, clickBar, phoneLayout, pickOption, type Running, start } from './harness.js';

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

    // one job for the round and its period: progress, then the DOCX, the self-assessment and the zip
    await page.getByTestId('modelcity-binder').click();
    expect(await page.getByTestId('modelcity-binder-from').inputValue()).toBe('2023-01-01');
    expect(await page.getByTestId('modelcity-binder-reveal').count()).toBe(0);
    await page.getByTestId('modelcity-binder-start').click();
    await page.getByTestId('modelcity-binder-files').waitFor();
    const binder = page.waitForEvent('download');
    await page.getByTestId('modelcity-binder-docx').click();
    const docx = await binder;
    expect(docx.suggestedFilename()).toBe('创建全国双拥模范城档案.docx');
    // its first-level headings are the table's standards, in order (一、组织领导坚强有力（6分）…)
    const table = await (await page.request.get(`${run.base}/api/v1/modelcity/readiness`)).json();
    const doc = zipText(fs.readFileSync((await docx.path())!), 'word/document.xml');
    const headings = [...doc.matchAll(/<w:p\b[\s\S]*?<\/w:p>/g)]
      .filter((m) => m[0].includes('<w:pStyle w:val="Heading1"/>'))
      .map((m) => [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
    expect(headings.map((h) => h.replace(/^[一二三四五六七八九十]+、/, '').replace(/（.*$/, ''))).toEqual(
      table.standards.map((st: { title: string }) => st.title),
    );
    const xlsx = page.waitForEvent('download');
    await page.getByTestId('modelcity-binder-xlsx').click();
    expect((await xlsx).suggestedFilename()).toBe('自评表.xlsx');
    const zip = page.waitForEvent('download');
    await page.getByTestId('modelcity-binder-zip').click();
    const file = await zip;
    expect(file.suggestedFilename()).toBe('创建全国双拥模范城佐证材料.zip');
    const data = fs.readFileSync((await file.path())!);
    expect(data.includes(Buffer.from('佐证材料清单.csv'))).toBe(true);
    expect(data.includes(Buffer.from('1 组织领导坚强有力/1.2 '))).toBe(true);
    expect(data.includes(Buffer.from('2026年双拥领导小组第一次会议纪要.pdf'))).toBe(true);
    await page.close();
  });

  it('a district exports its binder on a phone, revealing personal data with a reason', async () => {
    const page = (await run.signedIn('klmy', 390)).page;
    await page.goto(`${run.base}/model-city`);
    await page.getByTestId('modelcity-total').waitFor();
    await page.getByTestId('modelcity-binder').click();
    await page.getByTestId('modelcity-binder-reveal').click();
    await page.getByTestId('modelcity-binder-reason').fill('迎检前核对材料');
    expect(await phoneLayout(page, 'modelcity-district-binder-form')).toEqual([]);
    await page.getByTestId('modelcity-binder-start').click();
    await page.getByTestId('modelcity-binder-files').waitFor();
    expect(await phoneLayout(page, 'modelcity-district-zip')).toEqual([]);
    const zip = page.waitForEvent('download');
    await page.getByTestId('modelcity-binder-zip').click();
    const file = await zip;
    expect(file.suggestedFilename()).toBe('创建全国双拥模范城佐证材料.zip');
    const data = fs.readFileSync((await file.path())!);
    expect(data.includes(Buffer.from('2026年双拥领导小组第一次会议纪要.pdf'))).toBe(true);
    await page.close();
  });

  it('city staff make 市教育局 answer for an item by a deadline; 市教育局 finds it in its to-do and files a plan', async () => {
    const city = (await run.signedIn('city')).page;
    await city.goto(`${run.base}/model-city`);
    await city.getByTestId('modelcity-total').waitFor();
    await city.getByTestId('modelcity-standard').first().click();
    const item = city.locator('[data-testid="modelcity-item"][data-code="1.3"]');
    await item.getByTestId('modelcity-assign').click();
    await pickOption(city, city.getByTestId('modelcity-assign-lead'), '市教育局');
    await city.getByTestId('modelcity-assign-deadline').fill('2026-12-28');
    await city.getByTestId('modelcity-assign-ok').click();
    await item.getByTestId('modelcity-owners').waitFor();
    expect(await item.getByTestId('modelcity-owners').textContent()).toContain('牵头：市教育局');
    expect(await phoneLayout(city, 'modelcity-city-assigned')).toEqual([]);
    await city.close();

    const jyj = (await run.signedIn('jyj', 390)).page;
    // the task is in the department's to-do (the campaigns' 待办)
    await jyj.goto(`${run.base}/campaign-tasks`);
    await jyj.getByText('创建双拥模范城 1.3', { exact: false }).first().waitFor();
    await jyj.goto(`${run.base}/model-city`);
    await jyj.getByTestId('modelcity-tab-mine').click();
    const mine = jyj.locator('[data-testid="modelcity-mine"][data-code="1.3"]');
    await mine.waitFor();
    expect(await mine.getByTestId('modelcity-mine-score').textContent()).toBe('0/1 分');
    await jyj.getByText('逐项达标情况').click();
    await jyj.getByTestId('modelcity-standard').first().click();
    await element(jyj, '1.3.2').getByTestId('modelcity-upload').click();
    await jyj.getByTestId('modelcity-upload-title').fill('市教育局2026年双拥工作计划');
    await jyj.getByTestId('modelcity-upload-date').fill('2026-03-01');
    await jyj.getByTestId('modelcity-upload-file').setInputFiles({
      name: '计划.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% plan\n%%EOF\n'),
    });
    await jyj.getByTestId('modelcity-upload-ok').click();
    await expect.poll(() => element(jyj, '1.3.2').getByTestId('modelcity-element-status').textContent()).toBe('已达到');
    await jyj.getByTestId('modelcity-tab-mine').click();
    await expect.poll(() => mine.getByTestId('modelcity-mine-score').textContent()).toBe('0.25/1 分');
    expect(await phoneLayout(jyj, 'modelcity-department-mine')).toEqual([]);
    await jyj.close();
  });
  it('city staff move the deadline of 1.3 on its task, at 1440 and on a phone; the form starts from the current owners', async () => {
    for (const [width, date] of [
      [1440, '2026-12-30'],
      [390, '2026-12-31'],
    ] as const) {
      const page = (await run.signedIn('city', width)).page;
      await page.goto(`${run.base}/model-city`);
      await page.getByTestId('modelcity-total').waitFor();
      await page.getByTestId('modelcity-standard').first().click();
      const item = page.locator('[data-testid="modelcity-item"][data-code="1.3"]');
      await item.getByTestId('modelcity-reassign').click();
      const deadline = page.getByTestId('modelcity-assign-deadline');
      await deadline.waitFor();
      expect(await deadline.inputValue()).toBe(width === 1440 ? '2026-12-28' : '2026-12-30');
      expect(await page.getByTestId('modelcity-assign-lead').textContent()).toContain('市教育局');
      await deadline.fill(date);
      expect(await phoneLayout(page, `modelcity-city-reassign-${width}`)).toEqual([]);
      await page.getByTestId('modelcity-assign-ok').click();
      await expect.poll(() => item.getByTestId('modelcity-owners').textContent()).toContain(`时限 ${date}`);
      expect(await item.getByTestId('modelcity-owners').textContent()).toContain('牵头：市教育局');
      await page.close();
    }
    // the same task in 市教育局's to-do carries the new deadline
    const jyj = await run.signedIn('jyj');
    const todo = await (await jyj.page.request.get(`${run.base}/api/v1/assignments?pageSize=50`)).json();
    expect(todo.items.map((a: { deadline: string }) => a.deadline)).toContain('2026-12-31');
    await jyj.page.close();
  });

  it('city staff download the table template, import it as a new round (a wrong file is refused in Chinese), switch rounds and see the trend', async () => {
    const page = (await run.signedIn('city')).page;
    await page.goto(`${run.base}/model-city`);
    await page.getByTestId('modelcity-total').waitFor();
    const exampleTotal = (await page.getByTestId('modelcity-total').textContent()) ?? '';
    expect(exampleTotal).toContain('自评 0.');
    await page.getByTestId('modelcity-tab-trend').click();
    await page.getByTestId('modelcity-trend').first().waitFor();
    expect(await page.getByTestId('modelcity-trend').count()).toBe(1);

    const download = page.waitForEvent('download');
    await page.getByTestId('modelcity-template').click();
    const template = await download;
    expect(template.suggestedFilename()).toBe('考评细则模板.xlsx');
    const table = fs.readFileSync((await template.path()) as string);

    await page.getByTestId('modelcity-import').click();
    await page.getByTestId('modelcity-import-name').fill('第十二届考评细则（自治区）');
    await page.getByTestId('modelcity-import-start').fill('2027-01-01');
    await page.getByTestId('modelcity-import-end').fill('2030-12-31');
    // a table that is not the template: the API names the columns it wants
    await page.getByTestId('modelcity-import-file').setInputFiles({
      name: '自拟表.xlsx',
      mimeType: 'text/csv',
      buffer: Buffer.from('名称,分值\n组织领导,6\n'),
    });
    await page.getByTestId('modelcity-import-ok').click();
    await page.getByText('表头与模板不一致，应为：类别、标准序号', { exact: false }).waitFor();
    await page.getByTestId('modelcity-import-file').setInputFiles({
      name: '考评细则.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: table,
    });
    await page.getByTestId('modelcity-import-ok').click();
    // the server reads the sheet (in its reader worker, which may first have to start): wait for
    // the confirmation the user waits for, not a fixed time
    await page.getByText('已导入“第十二届考评细则（自治区）”').waitFor();

    // the new round is shown (no evidence yet) and sits beside the example in the trend
    await expect.poll(() => page.getByTestId('modelcity-total').textContent()).toContain('自评 0 分');
    expect(await page.getByTestId('modelcity-round').textContent()).toContain('第十二届考评细则（自治区）');
    const rows = page.getByTestId('modelcity-trend');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-round')).toBe('全国双拥模范城考评标准（示例）');
    expect(await rows.nth(1).getAttribute('data-round')).toBe('第十二届考评细则（自治区）');
    expect(await rows.nth(1).getByTestId('modelcity-trend-score').textContent()).toMatch(/^0\//);
    expect(await rows.nth(0).getByTestId('modelcity-trend-score').textContent()).not.toMatch(/^0\//);
    expect(await phoneLayout(page, 'modelcity-city-rounds')).toEqual([]);

    await pickOption(page, page.getByTestId('modelcity-round'), '全国双拥模范城考评标准（示例）');
    await expect.poll(() => page.getByTestId('modelcity-total').textContent()).toBe(exampleTotal);
    await page.close();

    // on a phone: the newest round is shown first; switch to the example and read the trend
    const phone = (await run.signedIn('city', 390)).page;
    await phone.goto(`${run.base}/model-city`);
    await phone.getByTestId('modelcity-total').waitFor();
    expect(await phone.getByTestId('modelcity-total').textContent()).toContain('自评 0 分');
    await pickOption(phone, phone.getByTestId('modelcity-round'), '全国双拥模范城考评标准（示例）');
    await expect.poll(() => phone.getByTestId('modelcity-total').textContent()).toBe(exampleTotal);
    await phone.getByTestId('modelcity-tab-trend').click();
    await expect.poll(() => phone.getByTestId('modelcity-trend').count()).toBe(2);
    expect(await phoneLayout(phone, 'modelcity-city-trend-phone')).toEqual([]);
    await phone.close();
  });

  it('leaders read the readiness by standard on the cockpit, as a table too, and a bar opens that standard (1440 and 390 px)', async () => {
    const { page } = await run.signedIn('leader');
    await page.goto(`${run.base}/cockpit`);
    const card = page.getByTestId('cockpit-chart-readiness');
    await card.waitFor();
    expect(await card.textContent()).toContain('创建双拥模范城达标情况');
    await page.getByTestId('cockpit-toggle-readiness').getByText('表格视图').click();
    const rows = page.getByTestId('cockpit-table-readiness').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(8);
    expect(await rows.first().textContent()).toContain('1. 组织领导坚强有力');
    // the same numbers as the readiness of the newest round (the one imported above)
    const r = await (await page.request.get(`${run.base}/api/v1/modelcity/readiness`)).json();
    expect(await card.textContent()).toContain(r.round.name);
    for (const [i, s] of (r.standards as { score: number; points: number }[]).entries()) {
      expect(await rows.nth(i).locator('td').nth(1).textContent()).toBe(String(s.score / 100));
      expect(await rows.nth(i).locator('td').nth(2).textContent()).toBe(String(s.points / 100));
    }
    await page.getByTestId('cockpit-toggle-readiness').getByText('图表视图').click();
    // the bars of the totals (grey) are there whatever the score: click the largest
    await expect
      .poll(() => page.getByTestId('cockpit-canvas-readiness').locator('svg path[fill="#d9d9d9"]').count())
      .toBeGreaterThan(1);
    await page.waitForTimeout(300); // let the chart finish its first layout before clicking on it
    await clickBar(page, 'readiness', '#d9d9d9');
    await page.waitForURL(/\/model-city\?/);
    const code = new URL(page.url()).searchParams.get('standard');
    expect(code).toMatch(/^[1-8]$/);
    // the page opens at that standard: its items are shown without a click
    await page.locator(`[data-testid="modelcity-item"][data-code="${code}.1"]`).waitFor();
    await page.close();

    const phone = (await run.signedIn('leader', 390)).page;
    await phone.goto(`${run.base}/cockpit`);
    await phone.getByTestId('cockpit-chart-readiness').waitFor();
    await phone.getByTestId('cockpit-toggle-readiness').getByText('表格视图').click();
    await phone.getByTestId('cockpit-table-readiness').waitFor();
    expect(await phoneLayout(phone, 'modelcity-cockpit-readiness')).toEqual([]);
    await phone.close();
  });
  it('city staff edit an element’s points of the newest round at 1440 px and the item total is the new sum; the dialog on a phone', async () => {
    const page = (await run.signedIn('city', 1440)).page;
    await page.goto(`${run.base}/model-city`);
    await page.getByTestId('modelcity-total').waitFor();
    await page.getByTestId('modelcity-standard').first().click();
    const item = page.locator('[data-testid="modelcity-item"][data-code="1.2"]');
    const el = element(page, '1.2.1');
    await el.waitFor();
    const outOf = (text: string | null) => Number(/\/([\d.]+) 分/.exec(text ?? '')?.[1]);
    const elBefore = outOf(await el.getByTestId('modelcity-element-score').textContent());
    const itemBefore = outOf(await item.locator('> div').first().textContent());
    expect(elBefore).toBeGreaterThan(0);
    await el.getByTestId('modelcity-edit-element-open').click();
    const field = page.getByTestId('modelcity-edit-points');
    await field.waitFor();
    const input = (await field.evaluate((e) => e.tagName)) === 'INPUT' ? field : field.locator('input');
    await input.fill(String(elBefore + 1));
    await page.getByTestId('modelcity-edit-ok').click();
    await page.getByText(`已保存，项目分值 ${itemBefore + 1} 分`).waitFor();
    await expect
      .poll(async () => outOf(await el.getByTestId('modelcity-element-score').textContent()))
      .toBe(elBefore + 1);
    await expect.poll(async () => outOf(await item.locator('> div').first().textContent())).toBe(itemBefore + 1);
    // the whole item's dialog, on a phone
    await item.getByTestId('modelcity-edit-item').click();
    await page.getByTestId('modelcity-edit-content').waitFor();
    expect(await page.getByTestId('modelcity-edit-element').count()).toBeGreaterThan(1);
    expect(await phoneLayout(page, 'modelcity-city-edit-item')).toEqual([]);
    await page.close();
    // a district sees no 编辑
    const klmy = (await run.signedIn('klmy')).page;
    await openReadiness(klmy);
    expect(await klmy.getByTestId('modelcity-edit-item').count()).toBe(0);
    expect(await klmy.getByTestId('modelcity-edit-element-open').count()).toBe(0);
    await klmy.close();
  });
});
