import jpeg from 'jpeg-js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, login, phoneLayout, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;
/** The Spring Festival campaign `serve --demo` seeds (packages/server/src/seed/demo-campaign.ts). */
const DEMO_TITLE = /^关于做好\d{4}年元旦春节期间双拥工作的通知$/;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

/** A camera-like photo: a colour gradient, as a baseline JPEG. */
function photo(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.set([Math.round((x * 255) / width), Math.round((y * 255) / height), 120, 255], (y * width + x) * 4);
  return jpeg.encode({ data, width, height }, 85).data;
}

/** Waits until the <img> has loaded real pixels; returns its natural width. (e2e has no DOM types: page code as text.) */
async function loadedWidth(page: Page, selector: string): Promise<number> {
  const img = page.locator(selector).first();
  await img.scrollIntoViewIfNeeded();
  const el = `document.querySelector(${JSON.stringify(selector)})`;
  await page.waitForFunction(`!!${el} && ${el}.complete && ${el}.naturalWidth > 0`, undefined, { timeout: 15_000 });
  return (await page.evaluate(`${el}.naturalWidth`)) as number;
}

/** The Blobs the form keeps in IndexedDB with its drafts (packages/web/src/modules/visits/drafts.ts). */
const storedPhotos = async (page: Page) =>
  (await page.evaluate(`new Promise((resolve, reject) => {
    const req = indexedDB.open('sy-visits');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const count = db.transaction('photos').objectStore('photos').count();
      count.onerror = () => reject(count.error);
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
    };
  })`)) as number;

describe.runIf(enabled)('走访照片 in Chromium', () => {
  it('klmy records a visit with a photo offline at phone width; it is uploaded once, even when an answer is lost, and a photo is added later', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 812 } });
    const page = await context.newPage();
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    const me = await (await page.request.get(`${run.base}/api/v1/auth/me`)).json();
    const headers = { 'x-csrf-token': me.csrfToken };
    // a 烈士遗属 of 克拉玛依区 and a confirmed plan with her, through the API as the pages would
    const found = await page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent('友谊社区')}`);
    const community = (await found.json()).items[0].id as string;
    const person = await page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers,
      data: {
        orgId: community,
        name: '赵淑芬',
        idNumber: idNumber('65020319450303004'),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);
    const offered = (await (await page.request.get(`${run.base}/api/v1/visit-campaigns`)).json()).items;
    const demo = offered.find((c: { title: string }) => DEMO_TITLE.test(c.title));
    expect(demo).toMatchObject({ kind: 'spring_festival', status: 'issued' });
    const plan = await page.request.post(`${run.base}/api/v1/visit-plans`, {
      headers,
      data: { campaignId: demo.id, title: '端到端照片走访', rules: [{ categories: ['martyr_survivor'] }] },
    });
    expect(plan.status()).toBe(201);
    const confirmed = await page.request.post(`${run.base}/api/v1/visit-plans/${(await plan.json()).id}/confirm`, {
      headers,
      data: { version: (await plan.json()).version },
    });
    expect(confirmed.status()).toBe(200);

    await page.goto(`${run.base}/visits/record`);
    await page.getByTestId('visit-campaign').getByText(demo.title).waitFor();
    await page.getByTestId('visit-photos').getByText('拍照').waitFor();
    expect(await page.getByText('最多 9 张，每张不超过 8 MB，JPEG 或 PNG 格式').count()).toBe(1);
    // a file that is no photo is refused in the form, with the reason
    await page.getByTestId('visit-photo-input').setInputFiles({
      name: '说明.pdf',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('%PDF-1.7 not a photo'),
    });
    await page.getByText('“说明.pdf”不是 JPEG 或 PNG 图片，未添加').waitFor();
    // and so is one above the server's 8 MB
    const big = Buffer.alloc(9 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    await page
      .getByTestId('visit-photo-input')
      .setInputFiles({ name: '大图.jpg', mimeType: 'image/jpeg', buffer: big });
    await page.getByText('“大图.jpg”有 9 MB，超过每张 8 MB 的上限，未添加').waitFor();
    expect(await page.getByTestId('visit-photo-preview').count()).toBe(0);

    await page.getByTestId('visit-target').click();
    await page.keyboard.type('赵淑芬');
    await page.locator('.ant-select-item-option', { hasText: '赵淑芬' }).first().click();
    await page.getByTestId('visit-staff').fill('张科长');
    await page.getByTestId('visit-photo-input').setInputFiles({
      name: '慰问.jpg',
      mimeType: 'image/jpeg',
      buffer: photo(640, 480),
    });
    expect(await loadedWidth(page, '[data-testid="visit-photo-preview"] img')).toBe(640);
    expect(await page.getByTestId('visit-photo-preview').locator('img').getAttribute('src')).toMatch(/^blob:/);
    await shot(page, 'visits-photo-picked');

    // offline: the visit and its photo wait in IndexedDB
    await context.setOffline(true);
    await page.getByTestId('visit-save').click();
    const draftsCard = page.getByTestId('visit-drafts');
    await draftsCard.getByText('1 张照片待上传').waitFor();
    expect(await page.getByTestId('visit-photo-preview').count()).toBe(0);
    expect(await storedPhotos(page)).toBe(1);
    await shot(page, 'visits-photo-offline-draft');

    // back online, the answer to the photo upload is lost on the way back (the server did store it)
    const lost: number[] = [];
    await page.route('**/api/v1/visits/*/photos', async (route) => {
      const answer = await route.fetch();
      lost.push(answer.status());
      await route.abort('connectionreset');
    });
    await context.setOffline(false);
    await expect.poll(() => lost, { timeout: 15_000 }).toEqual([201]);
    await draftsCard.getByText('1 张照片待上传').waitFor();
    await page.unroute('**/api/v1/visits/*/photos');
    // the visit itself is not sent again; the photo is, and the server answers the one it kept
    const answers: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && /\/api\/v1\/visits(\/|$)/.test(new URL(r.url()).pathname))
        answers.push(r.status());
    });
    await page.getByTestId('visit-sync').click();
    await draftsCard.waitFor({ state: 'detached', timeout: 15_000 });
    expect(answers).toEqual([200]);
    expect(await storedPhotos(page)).toBe(0);

    const list = await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${demo.id}`)).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ targetName: '赵淑芬' });
    expect(list.items[0].photos).toHaveLength(1);
    expect(list.items[0].photos[0]).toMatchObject({ contentType: 'image/jpeg', hasThumbnail: true });
    const photoId = list.items[0].photos[0].id as string;

    // the page shows its thumbnail, and the full-size photo on a click
    const thumb = '[data-testid="visit-recent"] [data-testid="visit-photo-thumb"] img';
    await page.locator(thumb).waitFor({ timeout: 15_000 });
    expect(await page.locator(thumb).count()).toBe(1);
    const src = await page.locator(thumb).getAttribute('src');
    expect(src).toContain(`/api/v1/visit-photos/${photoId}`);
    expect(src).toContain('thumb=1');
    expect(await page.locator(thumb).getAttribute('loading')).toBe('lazy');
    expect(await loadedWidth(page, thumb)).toBe(320);
    expect(await phoneLayout(page, 'visits-photo-thumbnail')).toEqual([]);
    await page.locator(thumb).click();
    const full = `.ant-image-preview img[src$="/api/v1/visit-photos/${photoId}"]`;
    expect(await loadedWidth(page, full)).toBe(640);
    await shot(page, 'visits-photo-preview');
    await page.keyboard.press('Escape');
    await page.locator('.ant-image-preview').waitFor({ state: 'hidden' });

    // a photo taken later is added to the saved visit from the list
    await page.getByTestId('visit-recent-item').getByTestId('visit-add-photos').click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByText('为赵淑芬补充走访照片').waitFor();
    await dialog.getByTestId('visit-photo-input').setInputFiles({
      name: '合影.jpg',
      mimeType: 'image/jpeg',
      buffer: photo(480, 640),
    });
    await dialog.getByTestId('visit-photo-preview').waitFor();
    await shot(page, 'visits-photo-add-later');
    await dialog.getByTestId('visit-add-photos-send').click();
    await page.getByText('已上传 1 张照片').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator(thumb).count(), { timeout: 15_000 }).toBe(2);
    const after = await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${demo.id}`)).json();
    expect(after.items[0].photos).toHaveLength(2);
    await context.close();
  });
});
