import jpeg from 'jpeg-js';
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

/** A real JPEG (jpeg-js), optionally with an EXIF block whose IFD0 points to a GPS IFD. */
function photo(withGps: boolean): Buffer {
  const width = 64;
  const height = 48;
  const data = Buffer.alloc(width * height * 4, 180);
  const plain = Buffer.from(jpeg.encode({ data, width, height }, 85).data);
  if (!withGps) return plain;
  const tiff = Buffer.alloc(32);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // IFD0: one entry
  tiff.writeUInt16LE(0x8825, 10); // GPS IFD pointer
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  tiff.writeUInt16LE(0, 26);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([plain.subarray(0, 2), head, body, plain.subarray(2)]);
}

async function statusIs(page: Page, text: string) {
  await page.locator('[data-testid="publicity-status"]', { hasText: text }).waitFor();
}

async function upload(page: Page, name: string, withGps: boolean) {
  const before = await page.getByTestId('publicity-photo').count();
  await page
    .getByTestId('publicity-photo-input')
    .setInputFiles({ name, mimeType: 'image/jpeg', buffer: photo(withGps) });
  await page.getByTestId('publicity-photo').nth(before).waitFor();
}

async function review(page: Page, url: string, decision: 'approve' | 'return', comment?: string) {
  await page.goto(url);
  await page.getByTestId('publicity-review').waitFor();
  if (comment) await page.getByTestId('publicity-review-comment').fill(comment);
  await page.getByTestId(`publicity-${decision}`).click();
  await page.getByTestId('publicity-review').waitFor({ state: 'detached' });
}

describe.runIf(enabled)('宣传稿件 and the confidentiality review in Chromium', () => {
  let url: string;

  it('a district writes an item with a unit designation and a photo carrying GPS; the checks flag both', async () => {
    const page = (await run.signedIn('klmy')).page;
    await page.goto(`${run.base}/publicity`);
    await page.getByTestId('publicity-create').click();
    await page.getByTestId('publicity-title').fill('军民共建结硕果');
    await page.getByTestId('publicity-body').fill('驻克61234部队官兵走进社区开展义诊。\n\n居民纷纷点赞。');
    await page.getByTestId('publicity-save').click();
    await page.waitForURL(/\/publicity\/[0-9a-f-]{36}$/);
    url = page.url();
    await upload(page, '义诊现场.jpg', true);
    const findings = page.getByTestId('finding');
    await expect.poll(() => findings.count()).toBe(2);
    expect(await page.locator('[data-testid="finding"][data-rule="designation.code_number"]').count()).toBe(1);
    expect(await page.locator('[data-testid="finding"][data-rule="image.gps"]').count()).toBe(1);
    expect(await page.getByTestId('finding-mark').first().textContent()).toBe('61234部队');
    expect(await phoneLayout(page, 'publicity-author-findings')).toEqual([]);
    await page.getByTestId('publicity-submit').click();
    await statusIs(page, '地方审查中');
    await page.close();
  });

  it('the civil side passes it to the 军分区, which returns it with a comment', async () => {
    const city = (await run.signedIn('city')).page;
    await review(city, url, 'approve');
    await statusIs(city, '军分区审查中');
    await city.close();

    const jfq = (await run.signedIn('jfq')).page;
    await jfq.goto(url);
    await jfq.getByTestId('publicity-review').waitFor();
    await expect.poll(() => jfq.getByTestId('finding').count()).toBe(2);
    expect(await phoneLayout(jfq, 'publicity-jfq-review')).toEqual([]);
    await review(jfq, url, 'return', '请删去部队代号，照片含定位信息请更换');
    await statusIs(jfq, '已退回');
    await jfq.close();
  });

  it('the author fixes the text and the photo and sends it again; both sides approve', async () => {
    const page = (await run.signedIn('klmy')).page;
    await page.goto(url);
    await page.getByTestId('publicity-review-entry').last().waitFor();
    expect(await page.getByTestId('publicity-review-entry').last().textContent()).toContain('请删去部队代号');
    await page.getByTestId('publicity-body').fill('驻市部队官兵走进社区开展义诊。\n\n居民纷纷点赞。');
    await page.getByTestId('publicity-save').click();
    await page.getByTestId('publicity-photo-remove').click();
    await expect.poll(() => page.getByTestId('publicity-photo').count()).toBe(0);
    await upload(page, '义诊现场（已处理）.jpg', false);
    await expect.poll(() => page.getByTestId('finding').count()).toBe(0);
    await page.getByTestId('publicity-submit').click();
    await statusIs(page, '地方审查中');
    expect(await phoneLayout(page, 'publicity-author-fixed')).toEqual([]);
    await page.close();

    const city = (await run.signedIn('city')).page;
    await review(city, url, 'approve');
    await statusIs(city, '军分区审查中');
    await city.close();
    const jfq = (await run.signedIn('jfq')).page;
    await review(jfq, url, 'approve');
    await statusIs(jfq, '审查通过');
    await jfq.close();
  });

  it('the author marks it published with its outlet', async () => {
    const page = (await run.signedIn('klmy')).page;
    await page.goto(url);
    await page.getByTestId('publicity-publish').waitFor();
    expect(await phoneLayout(page, 'publicity-publish')).toEqual([]);
    await page.getByTestId('publicity-publish-ref').fill('https://tv.example.cn/news/0801');
    await page.getByTestId('publicity-publish-button').click();
    await statusIs(page, '已发布');
    expect(await page.getByTestId('publicity-published').textContent()).toContain('城市台');
    await page.close();
  });
});
