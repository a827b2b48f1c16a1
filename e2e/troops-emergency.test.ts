import fs from 'node:fs';
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

const TITLE = '白杨河洪水险情';
const SECRET = '兵力部署细节仅军方掌握';

/**
 * Issue 20's journeys: a district asks for troops → the 军分区 dispatches unit1 → unit1 records
 * arrival and the work on its phone → the district sees the after-action record, thanks the unit
 * and downloads the letter (DOCX and PDF); then the 军民共建 pairs with their plan's progress and
 * the statistics. Each page is checked at 1440 px and at 390 px (phoneLayout).
 */
describe.runIf(enabled)('抢险救灾 support requests in Chromium', () => {
  let url: string;

  it('the district requests troop support', async () => {
    const { page } = await run.signedIn('klmy');
    await page.goto(`${run.base}/troop-emergencies`);
    await page.getByTestId('emergency-create').click();
    await page.getByTestId('em-submit').waitFor();
    await page.getByTestId('em-title').fill(TITLE);
    await page.getByTestId('em-location').fill('克拉玛依区白杨河沿岸');
    await page.getByTestId('em-situation').fill('连日降雨，白杨河水位上涨，沿岸村庄受到威胁。');
    await page.getByTestId('em-needs').fill('加固堤坝、转移群众');
    await page.getByTestId('em-people').fill('40');
    await page.getByTestId('em-equipment').fill('冲锋舟、沙袋');
    expect(await phoneLayout(page, 'troops-emergency-form')).toEqual([]);
    await page.getByTestId('em-submit').click();
    await page.waitForURL(/\/troop-emergencies\/[0-9a-f-]{36}$/);
    url = page.url().replace(run.base, '');
    await page.getByTestId('emergency-detail').waitFor();
    expect(await page.getByTestId('emergency-status').textContent()).toBe('待审批');
    expect(await page.locator('body').textContent()).toContain('小时内审批');
    // the requesting side withdraws, never decides
    expect(await page.getByTestId('em-decide').count()).toBe(0);
    expect(await page.getByTestId('em-withdraw').count()).toBe(1);
    expect(await phoneLayout(page, 'troops-emergency-requested')).toEqual([]);
    await page.close();
  });

  it('the 军分区 approves and dispatches unit1', async () => {
    const { page } = await run.signedIn('jfq');
    await page.goto(`${run.base}/troop-emergencies`);
    await page.getByTestId('emergency-row').filter({ hasText: TITLE }).first().click();
    await page.getByTestId('em-decide').click();
    await pickOption(page, page.getByTestId('em-unit-0'), '驻市部队甲');
    await page.getByTestId('em-unit-people-0').fill('30');
    expect(await phoneLayout(page, 'troops-emergency-decide')).toEqual([]);
    await page.getByTestId('em-modal-ok').click();
    await expect.poll(() => page.getByTestId('emergency-status').textContent()).toBe('已派出');
    expect(await page.getByTestId('emergency-dispatch').textContent()).toContain('驻市部队甲');
    expect(await page.getByTestId('emergency-timeline').textContent()).toContain('批准并派出部队');
    expect(await phoneLayout(page, 'troops-emergency-dispatched')).toEqual([]);
    await page.close();
  });

  it('unit1 records arrival, the work done and its return on the phone', async () => {
    const { page } = await run.signedIn('unit1', PHONE);
    await page.goto(`${run.base}/troop-emergencies`);
    await page.getByTestId('emergency-row').filter({ hasText: TITLE }).first().click();
    await page.getByTestId('em-arrive').click();
    await page.getByTestId('em-return').waitFor();
    await page.getByTestId('em-return').click();
    await page.getByTestId('em-work').fill('加固堤坝 800 米，转移群众 120 人');
    await page.getByTestId('em-hours').fill('240');
    await page.getByTestId('em-helped').fill('120');
    await page.getByTestId('em-resources').fill('沙袋 3000 个');
    await page.getByTestId('em-military-note').fill(SECRET);
    expect(await phoneLayout(page, 'troops-emergency-return')).toEqual([]);
    await page.getByTestId('em-modal-ok').click();
    await expect.poll(() => page.getByTestId('emergency-status').textContent()).toBe('已完成');
    expect(await page.getByTestId('dispatch-military-note').textContent()).toContain(SECRET);
    expect(await phoneLayout(page, 'troops-emergency-unit')).toEqual([]);
    await page.close();
  });

  it('the district sees the after-action record without military-only notes, thanks the unit and downloads the letter', async () => {
    const { page } = await run.signedIn('klmy');
    await page.goto(`${run.base}${url}`);
    await page.getByTestId('emergency-after-action').waitFor();
    const after = (await page.getByTestId('emergency-after-action').textContent()) ?? '';
    expect(after).toContain('120');
    expect(after).toContain('沙袋 3000 个');
    expect(await page.locator('body').textContent()).not.toContain(SECRET);
    expect(await page.getByTestId('dispatch-military-note').count()).toBe(0);
    await page.getByTestId('em-letter').click();
    await page.getByTestId('em-modal-ok').click();
    await page.getByTestId('emergency-letter').waitFor();
    expect(await page.getByTestId('emergency-letter').textContent()).toContain('帮助群众 120 人');
    expect(await page.getByTestId('emergency-status').textContent()).toBe('已致谢');
    const [docx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('em-letter-docx').click()]);
    expect(docx.suggestedFilename()).toBe('感谢信.docx');
    expect(
      fs
        .readFileSync((await docx.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('em-letter-pdf').click()]);
    expect(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect(await phoneLayout(page, 'troops-emergency-thanked')).toEqual([]);
    await page.goto(`${run.base}/troop-emergencies`);
    await page.getByTestId('emergency-row').first().waitFor();
    expect(await phoneLayout(page, 'troops-emergency-list')).toEqual([]);
    await page.close();
  });
});

describe.runIf(enabled)('军民共建 and statistics in Chromium', () => {
  it('the district sees a pair’s plan progress from the activities recorded against it; the statistics count them', async () => {
    // unit1 pairs with a school of 克拉玛依区 and records one of the two planned lessons against it
    const unit = await run.signedIn('unit1');
    const places = await (await unit.page.request.get(`${run.base}/api/v1/troop-places`)).json();
    const youyi = places.items.find((p: { name: string }) => p.name.startsWith('友谊社区')).id;
    const year = new Date().getFullYear();
    const pair = await unit.page.request.post(`${run.base}/api/v1/troop-partnerships`, {
      headers: unit.csrf,
      data: {
        partnerKind: 'school',
        partnerName: '友谊小学',
        placeOrgId: youyi,
        startsOn: `${year}-01-01`,
        plans: [{ year, type: 'education_aid', planned: 2 }],
      },
    });
    expect(pair.status(), await pair.text()).toBe(201);
    const today = new Date().toISOString().slice(0, 10);
    const lesson = await unit.page.request.post(`${run.base}/api/v1/troop-activities`, {
      headers: unit.csrf,
      data: {
        type: 'education_aid',
        occurredOn: today,
        durationMinutes: 90,
        placeKind: 'school',
        placeOrgId: youyi,
        placeName: '友谊小学',
        participants: 4,
        reached: { students: 45 },
        lessonsTaught: 2,
        partnershipId: (await pair.json()).id,
      },
    });
    expect(lesson.status(), await lesson.text()).toBe(201);
    await unit.page.close();

    const { page } = await run.signedIn('klmy');
    await page.goto(`${run.base}/troop-partnerships`);
    await page.getByTestId('partnership-row').filter({ hasText: '友谊小学' }).first().waitFor();
    expect(await phoneLayout(page, 'troops-partnerships')).toEqual([]);
    await page.getByTestId('partnership-row').filter({ hasText: '友谊小学' }).first().click();
    await page.getByTestId('partnership-plans').waitFor();
    expect(await page.getByTestId('partnership-plan-count').first().textContent()).toBe('1/2');
    expect(await page.getByTestId('partnership-activity').count()).toBe(1);
    expect(await phoneLayout(page, 'troops-partnership')).toEqual([]);

    await page.goto(`${run.base}/troop-stats`);
    await page.getByTestId('stats-by-type').waitFor();
    await expect.poll(async () => page.getByTestId('stats-by-type').textContent()).toContain('助学兴教');
    expect(await page.getByTestId('stats-groups').textContent()).toContain('45');
    expect(await page.getByTestId('stats-by-district').textContent()).toContain('克拉玛依区');
    expect(await phoneLayout(page, 'troops-stats')).toEqual([]);
    await page.close();
  });
});
