import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, login, phoneLayout, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
const SW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/web/dist/sw.js');
let run: Running;
/** The Spring Festival campaign `serve --demo` seeds (packages/server/src/seed/demo-campaign.ts). */
const DEMO_TITLE = /^关于做好\d{4}年元旦春节期间双拥工作的通知$/;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

/** Runs `code` (page-side JavaScript, e2e has no DOM types) against one IndexedDB store: its count. */
const countIn = async (page: Page, db: string, store: string) =>
  (await page.evaluate(`new Promise((resolve, reject) => {
    const req = indexedDB.open(${JSON.stringify(db)});
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const d = req.result;
      if (!d.objectStoreNames.contains(${JSON.stringify(store)})) { d.close(); return resolve(0); }
      const c = d.transaction(${JSON.stringify(store)}).objectStore(${JSON.stringify(store)}).count();
      c.onerror = () => reject(c.error);
      c.onsuccess = () => { d.close(); resolve(c.result); };
    };
  })`)) as number;

interface Setup {
  campaignId: string;
  title: string;
}

/** Persons of the signed-in district (烈士遗属 in `community`) and a confirmed plan with them, through the API. */
async function planFor(page: Page, community: string, persons: [name: string, first17: string][]): Promise<Setup> {
  const me = await (await page.request.get(`${run.base}/api/v1/auth/me`)).json();
  const headers = { 'x-csrf-token': me.csrfToken };
  const found = await page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent(community)}`);
  const orgId = (await found.json()).items[0].id as string;
  for (const [name, first17] of persons) {
    const person = await page.request.post(`${run.base}/api/v1/beneficiaries`, {
      headers,
      data: {
        orgId,
        name,
        idNumber: idNumber(first17),
        categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
      },
    });
    expect(person.status()).toBe(201);
  }
  const offered = (await (await page.request.get(`${run.base}/api/v1/visit-campaigns`)).json()).items;
  const demo = offered.find((c: { title: string }) => DEMO_TITLE.test(c.title));
  const plan = await page.request.post(`${run.base}/api/v1/visit-plans`, {
    headers,
    data: { campaignId: demo.id, title: `离线走访 ${me.user.username}`, rules: [{ categories: ['martyr_survivor'] }] },
  });
  expect(plan.status()).toBe(201);
  const { id, version } = await plan.json();
  const confirmed = await page.request.post(`${run.base}/api/v1/visit-plans/${id}/confirm`, {
    headers,
    // households an earlier plan of this district already holds stay with it
    data: { version, dropConflicts: true },
  });
  expect(confirmed.status()).toBe(200);
  return { campaignId: demo.id, title: demo.title };
}

/** Opens the field form online once: the service worker installs and the lists are kept. */
async function openOnline(page: Page, setup: Setup) {
  await page.goto(`${run.base}/visits/record`);
  await page.getByTestId('visit-campaign').getByText(setup.title).waitFor();
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  // the target list has been fetched (and kept for this user)
  await expect.poll(() => countIn(page, 'sy-offline', 'cache'), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
}

/** A camera-like photo: a colour gradient, as a baseline JPEG. */
function photo(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.set([Math.round((x * 255) / width), Math.round((y * 255) / height), 120, 255], (y * width + x) * 4);
  return jpeg.encode({ data, width, height }, 85).data;
}

async function recordVisit(page: Page, name: string, staff: string, withPhoto = false) {
  await page.getByTestId('visit-target').click();
  await page.keyboard.type(name);
  await page.locator('.ant-select-item-option', { hasText: name }).first().click();
  await page.getByTestId('visit-staff').fill(staff);
  if (withPhoto) {
    await page
      .getByTestId('visit-photo-input')
      .setInputFiles({ name: '慰问.jpg', mimeType: 'image/jpeg', buffer: photo(640, 480) });
    await page.getByTestId('visit-photo-preview').waitFor();
  }
  await page.getByTestId('visit-save').click();
  await page.getByTestId('visit-save').and(page.locator(':not(.ant-btn-loading)')).waitFor();
  await expect.poll(() => page.getByTestId('visit-photo-preview').count()).toBe(0);
}

const visitsOf = async (page: Page, campaignId: string) =>
  (await (await page.request.get(`${run.base}/api/v1/visits?campaignId=${campaignId}`)).json()) as {
    total: number;
    items: { targetName: string }[];
  };

async function reopenOffline(context: BrowserContext, page: Page): Promise<void> {
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('offline-banner').waitFor();
}

describe.runIf(enabled)('the field app offline in Chromium', () => {
  it('is installable: a manifest starting on the field page, icons bundled, a service worker', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${run.base}/login`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await (await page.request.get(`${run.base}${href}`)).json();
    expect(manifest).toMatchObject({ start_url: '/visits/record', display: 'standalone', lang: 'zh-CN' });
    expect(manifest.name).toBe('双拥工作平台 · 走访登记');
    expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(['192x192', '512x512', '512x512']);
    for (const icon of manifest.icons) {
      const res = await page.request.get(`${run.base}${icon.src}`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('image/png');
    }
    expect(await page.evaluate('navigator.serviceWorker.ready.then((r) => r.active.scriptURL)')).toBe(
      `${run.base}/sw.js`,
    );
    const sw = await page.request.get(`${run.base}/sw.js`);
    expect(sw.headers()['cache-control']).toBe('no-cache');
    await context.close();
  });

  it('klmy at 1440 px: loads once online, goes offline, reloads, records a visit, sees it queued, sent once back online', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    const setup = await planFor(page, '友谊社区', [['赵淑芬', '65020319450303004']]);
    await openOnline(page, setup);

    await reopenOffline(context, page);
    // the app opened from the phone: the campaign, the kept list with its age, the form
    await page.getByTestId('visit-campaign').getByText(setup.title).waitFor();
    await page
      .getByTestId('visit-list-age')
      .getByText(/^名单更新于 (刚刚|\d+ 分钟前)$/)
      .waitFor();
    await recordVisit(page, '赵淑芬', '张科长');
    const outbox = page.getByTestId('visit-drafts');
    await outbox.getByText('待发送（1）').waitFor();
    await outbox.locator('[data-testid="outbox-item"][data-state="waiting"]').getByText('赵淑芬').waitFor();
    await outbox.getByText('当前离线，联网后自动发送').waitFor();
    await shot(page, 'visits-offline-queued-1440');

    // back online, the server refuses it once: the outbox says why, and 重试 sends it
    let refused = 0;
    await page.route('**/api/v1/visits', async (route) => {
      if (route.request().method() !== 'POST' || refused > 0) return route.fallback();
      refused++;
      await route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: '走访时间不能晚于当前时间',
          status: 422,
          code: 'validation',
        }),
      });
    });
    await context.setOffline(false);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    const failed = outbox.locator('[data-testid="outbox-item"][data-state="failed"]');
    await failed.getByText('走访时间不能晚于当前时间').waitFor({ timeout: 20_000 });
    await failed.getByText('发送失败').waitFor();
    await shot(page, 'visits-offline-failed-1440');
    await failed.getByRole('button', { name: '重试' }).click();
    await outbox.waitFor({ state: 'detached', timeout: 20_000 });
    await page.unroute('**/api/v1/visits');
    expect(refused).toBe(1);
    const sent = await visitsOf(page, setup.campaignId);
    expect(sent.total).toBe(1);
    expect(sent.items.map((v) => v.targetName)).toEqual(['赵淑芬']);
    await shot(page, 'visits-offline-sent-1440');
    await context.close();
  });

  it('dsz at 390 px: two visits with a photo offline wait in the outbox; logout wipes the kept lists and seals the drafts from the next user; dsz again: both sent once', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await login(page, run.base, 'dsz');
    await page.getByTestId('header-user').waitFor();
    const setup = await planFor(page, '大庆东路社区', [
      ['李桂兰', '65020219480808002'],
      ['孙玉珍', '65020219500505002'],
    ]);
    await openOnline(page, setup);

    await reopenOffline(context, page);
    await page.getByTestId('visit-list-age').waitFor();
    await recordVisit(page, '李桂兰', '王干事', true);
    await recordVisit(page, '孙玉珍', '王干事');
    const outbox = page.getByTestId('visit-drafts');
    await outbox.getByText('待发送（2）').waitFor();
    expect(await outbox.locator('[data-testid="outbox-item"][data-state="waiting"]').count()).toBe(2);
    await outbox.getByText('1 张照片待上传').waitFor();
    await outbox.scrollIntoViewIfNeeded();
    expect(await phoneLayout(page, 'visits-offline-outbox')).toEqual([]);

    // a shared phone: logging out (still offline) wipes what was kept, the drafts stay sealed
    expect(await countIn(page, 'sy-offline', 'cache')).toBeGreaterThan(0);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    expect(await countIn(page, 'sy-offline', 'cache')).toBe(0);
    expect(await countIn(page, 'sy-visits', 'drafts')).toBe(2);
    expect(await countIn(page, 'sy-visits', 'photos')).toBe(1);
    // sealed under dsz's key, which the phone no longer has: no name, no visit, no photo in the clear
    const stored = (await page.evaluate(`new Promise((resolve) => {
      const req = indexedDB.open('sy-visits');
      req.onsuccess = () => {
        const t = req.result.transaction(['drafts', 'photos']);
        const d = t.objectStore('drafts').getAll();
        const p = t.objectStore('photos').getAll();
        t.oncomplete = () => resolve([...d.result, ...p.result].map((r) =>
          [r.targetName ?? null, r.body ?? null, r.blob ?? null, r.sealed && r.sealed.data.byteLength > 0]));
      };
    })`)) as unknown[];
    expect(stored).toEqual([
      [null, null, null, true],
      [null, null, null, true],
      [null, null, null, true],
    ]);

    // online, another user of the phone sees none of them, and sends none
    await context.setOffline(false);
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/visits/record`);
    await page.getByTestId('visit-recent').waitFor();
    await page.getByTestId('visit-target').waitFor();
    expect(await page.getByTestId('visit-drafts').count()).toBe(0);
    expect(await countIn(page, 'sy-visits', 'drafts')).toBe(2);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    expect(await countIn(page, 'sy-offline', 'cache')).toBe(0);

    // dsz again: the form sends both, once, with the photo
    await login(page, run.base, 'dsz');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/visits/record`);
    await page.getByTestId('visit-recent').getByText('孙玉珍').waitFor({ timeout: 20_000 });
    await expect.poll(() => countIn(page, 'sy-visits', 'drafts'), { timeout: 20_000 }).toBe(0);
    expect(await page.getByTestId('visit-drafts').count()).toBe(0);
    const sent = (await (
      await page.request.get(`${run.base}/api/v1/visits?campaignId=${setup.campaignId}`)
    ).json()) as { total: number; items: { targetName: string; photos: unknown[] }[] };
    expect(sent.total).toBe(2);
    expect(sent.items.map((v) => [v.targetName, v.photos.length]).sort()).toEqual([
      ['孙玉珍', 0],
      ['李桂兰', 1],
    ]);
    expect(await countIn(page, 'sy-visits', 'photos')).toBe(0);
    await context.close();
  });

  it('a new deployment’s service worker waits for 刷新, and the reload keeps an unsent draft (390 px)', async () => {
    const context = await run.browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    const setup = await planFor(page, '油建社区', [['周玉梅', '65020319470707002']]);
    await openOnline(page, setup);
    // opened again, the page is the worker's (a first visit is not controlled by it)
    await page.reload();
    await page.waitForFunction('navigator.serviceWorker.controller !== null');
    await page.getByTestId('visit-campaign').getByText(setup.title).waitFor();
    // the network drops every time the visit is sent: it stays in the outbox
    await page.route('**/api/v1/visits', (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
    );
    await page.getByTestId('visit-target').click();
    await page.keyboard.type('周玉梅');
    await page.locator('.ant-select-item-option', { hasText: '周玉梅' }).first().click();
    await page.getByTestId('visit-staff').fill('李干事');
    await page.getByTestId('visit-save').click();
    const outbox = page.getByTestId('visit-drafts');
    await outbox.locator('[data-testid="outbox-item"][data-state="waiting"]').getByText('周玉梅').waitFor();

    // a new deployment: another sw.js on the server, with the precompressed copies the build makes
    const deploy = (sw: Buffer) => {
      fs.writeFileSync(SW, sw);
      fs.writeFileSync(`${SW}.br`, zlib.brotliCompressSync(sw));
      fs.writeFileSync(`${SW}.gz`, zlib.gzipSync(sw));
    };
    const original = fs.readFileSync(SW);
    try {
      deploy(Buffer.concat([original, Buffer.from('\n// next deployment\n')]));
      await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => r.update())');
      const banner = page.getByTestId('update-banner');
      await banner.getByText('新版本可用，刷新后使用（未提交的草稿会保留）').waitFor({ timeout: 20_000 });
      expect(await phoneLayout(page, 'visits-offline-update')).toEqual([]);
      await Promise.all([page.waitForEvent('load', { timeout: 20_000 }), banner.getByRole('button').click()]);
    } finally {
      deploy(original);
    }
    // the new worker controls the reloaded page, and the draft is still there
    expect(await page.evaluate("navigator.serviceWorker.controller?.state ?? 'none'")).toBe('activated');
    await outbox.locator('[data-testid="outbox-item"]').getByText('周玉梅').waitFor();
    expect(await page.getByTestId('update-banner').count()).toBe(0);

    // the network is back: sent once
    await page.unroute('**/api/v1/visits');
    // the app retries by itself too: 同步 may already be running (disabled) or done (gone); it only hastens it
    await outbox
      .getByTestId('visit-sync')
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await outbox.waitFor({ state: 'detached', timeout: 20_000 });
    const sent = await visitsOf(page, setup.campaignId);
    expect(sent.items.filter((v) => v.targetName === '周玉梅')).toHaveLength(1);
    await context.close();
  });
});
