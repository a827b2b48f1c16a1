import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, idNumber, phoneLayout, type Running, shot, start } from './harness.js';

/**
 * Issue 13, item 1 (decisions/0012): a district that registers someone another district holds
 * only asks; the holding district decides on the 迁移 page, the asking one sees no 同意.
 */
const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
afterEach(() => run?.expectNoPageErrors());

async function communityOf(s: { page: Page }, name: string): Promise<string> {
  const orgs = await (await s.page.request.get(`${run.base}/api/v1/orgs?q=${encodeURIComponent(name)}`)).json();
  return orgs.items[0].id;
}

/** 独山子区 holds a person; 克拉玛依区 registers the same ID number, which opens a transfer request. */
async function requestTakeover(name: string, first17: string) {
  const dsz = await run.signedIn('dsz', 1440);
  const klmy = await run.signedIn('klmy', 1440);
  const id = idNumber(first17);
  const held = await dsz.page.request.post(`${run.base}/api/v1/beneficiaries`, {
    headers: dsz.csrf,
    data: {
      orgId: await communityOf(dsz, '大庆东路社区'),
      name,
      idNumber: id,
      categories: [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }],
    },
  });
  expect(held.status(), await held.text()).toBe(201);
  const asked = await klmy.page.request.post(`${run.base}/api/v1/beneficiaries`, {
    headers: klmy.csrf,
    data: {
      orgId: await communityOf(klmy, '友谊社区'),
      name,
      idNumber: id,
      categories: [{ code: 'martyr_survivor', startDate: '2010-01-01', relation: 'mother' }],
    },
  });
  expect(asked.status()).toBe(409);
  expect(await asked.text()).not.toContain('独山子');
  await dsz.page.close();
  await klmy.page.close();
}

async function rowOf(page: Page, name: string) {
  await page.goto(`${run.base}/transfers`);
  const row = page.getByTestId('transfer-table').locator('tr', { hasText: name });
  await row.waitFor();
  return row;
}

describe.runIf(enabled)('transfers in Chromium', () => {
  for (const width of [1440, 390]) {
    it(`the holding district accepts a transfer, the requesting district sees no 同意 (${width} px)`, async () => {
      const name = width === 1440 ? '迁移甲' : '迁移乙';
      await requestTakeover(name, width === 1440 ? '65020219500101012' : '65020219500101023');
      // the side that asked: it may withdraw, never accept
      const klmy = await run.signedIn('klmy', width);
      const asking = await rowOf(klmy.page, name);
      expect(await asking.getByTestId('transfer-reject').count()).toBe(1);
      expect(await asking.getByTestId('transfer-accept').count()).toBe(0);
      expect(await phoneLayout(klmy.page, `transfers-requester-${width}`)).toEqual([]);
      await klmy.page.close();
      // the holder decides
      const dsz = await run.signedIn('dsz', width);
      const holding = await rowOf(dsz.page, name);
      await holding.getByTestId('transfer-accept').click();
      await dsz.page.getByTestId('transfer-note').fill('已核实，同意迁出');
      await dsz.page.locator('.ant-modal-footer .ant-btn-primary').click();
      // the pending list no longer holds it; the request is accepted
      await expect.poll(() => holding.count()).toBe(0);
      const all = await (await dsz.page.request.get(`${run.base}/api/v1/transfers`)).json();
      expect(all.items.find((t: { beneficiaryName: string }) => t.beneficiaryName === name).status).toBe('accepted');
      await shot(dsz.page, `transfers-accepted-${width}`);
      expect(await phoneLayout(dsz.page, `transfers-holder-${width}`)).toEqual([]);
      await dsz.page.close();
    });
  }
});
