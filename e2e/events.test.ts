import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, phoneLayout, pickOption, type Running, start } from './harness.js';

const enabled = browserAvailable();
/** The district's task of the demo's Spring Festival notice (seed/demo-campaign.json). */
const TASK = '完成重点优抚对象走访慰问并报送走访情况';
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

/**
 * 双拥活动 (decisions/0043): 克拉玛依区 plans a 军地联谊 for today for its task of the Spring Festival
 * notice, the notice with a designation is flagged and refused, the fixed one published; it invites
 * 驻市部队甲, marks it held, records the unit's attendance and the note, files it as evidence of a
 * model-city element; the month's calendar shows it — at 1440 px and at 390 px.
 */
describe.runIf(enabled)('events in Chromium', () => {
  it('a district plans an event, invites a unit, records attendance and the note; the calendar shows it', async () => {
    const { page } = await run.signedIn('klmy', 1440);
    await page.goto(`${run.base}/events`);
    await page.getByTestId('event-new').click();
    await page.getByTestId('event-save').waitFor();
    await pickOption(page, page.getByTestId('event-type'), '军地联谊');
    await page.getByTestId('event-title').fill('八一军地联谊会');
    await page.getByTestId('event-place').fill('克拉玛依区文化馆');
    await page.getByTestId('event-notice').fill('欢迎居民与驻克61234部队官兵联欢。');
    // the campaign task the event serves: the district's task of the city's Spring Festival notice
    await pickOption(page, page.getByTestId('event-task'), TASK);
    expect(await phoneLayout(page, 'events-plan')).toEqual([]);
    await page.getByTestId('event-save').click();
    await page.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('event-task').textContent()).toContain(TASK);
    // the notice's designation is flagged in place and publishing is refused
    await expect.poll(() => page.getByTestId('event-findings').textContent()).toContain('61234部队');
    await page.getByTestId('event-publish').click();
    await expect.poll(() => page.locator('.ant-message, .ant-notification').textContent()).toContain('保密检查');
    await page.getByTestId('event-notice').fill('欢迎居民与驻地部队官兵联欢。');
    await page.getByTestId('event-save').click();
    await expect.poll(() => page.getByTestId('event-findings').count()).toBe(0);
    await page.getByTestId('event-publish').click();
    await expect.poll(() => page.getByTestId('event-notice-state').textContent()).toBe('通知已发布');

    // a multiple select stays open: type, pick the option, close it
    await page.getByTestId('event-invitees').click();
    await page.getByTestId('event-invitees').locator('input').fill('驻市部队甲');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '驻市部队甲' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('event-invite').click();
    await expect.poll(() => page.getByTestId('event-invitation').count()).toBe(1);
    await page.getByTestId('event-hold').click();
    await expect.poll(() => page.getByTestId('event-status').first().textContent()).toBe('已举办');
    await page.getByTestId('event-attended').check();
    await page.getByTestId('event-headcount').fill('30');
    await page.getByTestId('event-save-attendance').click();
    await page.getByTestId('event-note').fill('官兵和居民共 80 余人参加，演出节目 12 个。');
    await page.getByTestId('event-save-note').click();
    await expect.poll(() => page.getByTestId('event-close').isEnabled()).toBe(true);
    expect(await phoneLayout(page, 'events-detail')).toEqual([]);
    await page.getByTestId('event-close').click();
    await expect.poll(() => page.getByTestId('event-status').first().textContent()).toBe('已归档');
    // the task stays with the closed event
    await expect.poll(() => page.getByTestId('event-task').textContent()).toContain(TASK);

    // 标记为创建佐证: the held event is filed as evidence of a model-city element
    const tag = page.getByTestId('modelcity-tag');
    await expect.poll(() => tag.textContent()).toContain('尚未归档');
    await pickOption(page, tag.getByTestId('modelcity-tag-element'), '活动记录和照片');
    await tag.getByTestId('modelcity-tag-button').click();
    await expect.poll(() => tag.getByTestId('modelcity-tag-filed').first().textContent()).toContain('活动记录和照片');
    expect(await phoneLayout(page, 'events-modelcity-tag')).toEqual([]);

    await page.goto(`${run.base}/events`);
    await expect.poll(() => page.getByTestId('event-row').first().textContent()).toContain('八一军地联谊会');
    expect(await phoneLayout(page, 'events-calendar')).toEqual([]);

    // the invited unit sees it on its calendar, on the phone
    const unit = await run.signedIn('unit1', 390);
    await unit.page.goto(`${run.base}/events`);
    await expect.poll(() => unit.page.getByTestId('event-row').first().textContent()).toContain('八一军地联谊会');
    await unit.page.getByTestId('event-row').first().locator('a').click();
    await expect.poll(() => unit.page.getByTestId('event-invitation').first().textContent()).toContain('30');
  });
});
