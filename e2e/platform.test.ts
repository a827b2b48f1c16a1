import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, login, phoneLayout, pickOption, type Running, shot, start } from './harness.js';

const enabled = browserAvailable();
let run: Running;

beforeAll(async () => {
  if (enabled) run = await start();
});
afterAll(async () => run?.stop());
// a journey fails on any uncaught error in its pages
afterEach(() => run?.expectNoPageErrors());

describe.runIf(enabled)('platform shell in Chromium', () => {
  it('klmy logs in and sees only 克拉玛依区 in the organisation tree', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN' });
    await login(page, run.base, 'klmy');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/orgs`);
    const tree = page.getByTestId('org-tree');
    await tree.getByText('克拉玛依区退役军人事务局').first().waitFor();
    const text = await tree.textContent();
    expect(text).toContain('克拉玛依区退役军人事务局');
    for (const other of ['独山子区', '白碱滩区', '乌尔禾区', '克拉玛依市退役军人事务局', '军分区'])
      expect(text).not.toContain(other);
    // the menu follows the permissions: no user management for district staff? (user:read yes, manage no)
    expect(await page.getByTestId('user-create').count()).toBe(0);
    expect(await phoneLayout(page, 'klmy-orgs')).toEqual([]);
    await page.close();
  });

  it('admin creates a user, who must change the password at first login', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN' });
    await login(page, run.base, 'admin');
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/users`);
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill('e2euser');
    await page.getByTestId('user-form-displayName').fill('端到端用户');
    await pickOption(page, page.getByTestId('user-form-org'), '克拉玛依区退役军人事务局');
    await page.getByTestId('user-form-roles').click();
    await page.keyboard.type('区级工作人员');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByTestId('user-form-password').fill('E2e#Initial2025');
    expect(await phoneLayout(page, 'admin-create-user')).toEqual([]);
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByTestId('user-username').filter({ hasText: 'e2euser' }).waitFor();

    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    await login(page, run.base, 'e2euser', 'E2e#Initial2025');
    await page.getByTestId('forced-change-password').waitFor();
    await shot(page, 'forced-change-password');
    // nothing else is reachable until the password is changed
    await page.goto(`${run.base}/orgs`);
    await page.getByTestId('forced-change-password').waitFor();
    await page.getByTestId('cp-current').fill('E2e#Initial2025');
    await page.getByTestId('cp-new').fill('E2e#Changed2025');
    await page.getByTestId('cp-confirm').fill('E2e#Changed2025');
    await page.getByTestId('cp-submit').click();
    await page.getByTestId('header-user').waitFor();
    await page.goto(`${run.base}/orgs`);
    await page.getByTestId('org-tree').getByText('克拉玛依区退役军人事务局').first().waitFor();
    expect(await page.getByTestId('forced-change-password').count()).toBe(0);
    await page.close();
  });

  it('five wrong passwords lock the account', async () => {
    const page = await run.browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${run.base}/login`);
    const error = page.getByTestId('login-error');
    for (let i = 1; i <= 5; i++) {
      await page.getByTestId('login-username').fill('bjt');
      await page.getByTestId('login-password').fill(`Wrong#Password${i}`);
      await page.getByTestId('login-submit').click();
      await expect
        .poll(async () => (await error.count()) > 0 && ((await error.textContent()) ?? '').length > 0)
        .toBe(true);
      if (i < 5) await expect.poll(async () => (await error.textContent()) ?? '').toContain('用户名或密码错误');
    }
    await expect.poll(async () => (await error.textContent()) ?? '').toContain('锁定');
    // even the right password is refused now
    await page.getByTestId('login-password').fill('Shuangyong#2025');
    await page.getByTestId('login-submit').click();
    await expect.poll(async () => (await error.textContent()) ?? '').toContain('锁定');
    expect(await phoneLayout(page, 'locked')).toEqual([]);
    await page.close();
  });
});
