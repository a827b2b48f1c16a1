import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idChecksum } from '@shuangyong/shared';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { layoutProblems, PHONE } from './layout.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(root, 'artifacts', 'e2e');
const SERVER = path.join(root, 'packages/server/dist/cli.js');
const WEB = path.join(root, 'packages/web/dist/index.html');

/**
 * Browser tests need Debian's Chromium and the built app. Locally a missing Chromium skips them
 * (with the reason printed); under CI=true it is a failure, never a silent skip.
 */
export function browserAvailable(): boolean {
  const missing = [CHROMIUM, SERVER, WEB].filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return true;
  const msg = `browser tests need ${missing.join(', ')} (apt-get install -y chromium fonts-noto-cjk fonts-noto-core; npm run build)`;
  if (process.env.CI === 'true') throw new Error(msg);
  process.stderr.write(`SKIPPED: ${msg}\n`);
  return false;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  base: string;
  browser: Browser;
  /** Uncaught errors of every page opened so far (a journey fails on any: `expectNoPageErrors`). */
  pageErrors: string[];
  /** Fails when a page of the journey threw an uncaught error (and forgets them for the next test). */
  expectNoPageErrors(): void;
  /**
   * A new page signed in as `username` (zh-CN, 1440×900 unless a width or viewport is given), with
   * the CSRF header for API calls made through `page.request`.
   */
  signedIn(username: string, viewport?: number | Viewport): Promise<SignedIn>;
  stop(): Promise<void>;
}

export interface Viewport {
  width: number;
  height: number;
}

export interface SignedIn {
  page: Page;
  csrf: Record<string, string>;
}

/** Every page of every context records its uncaught errors (`pageerror`) into `errors`. */
function watchErrors(browser: Browser, errors: string[]): void {
  const watch = (context: BrowserContext) => {
    context.on('page', (page) => page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`)));
  };
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    watch(context);
    return context;
  };
  browser.newPage = async (...args: Parameters<Browser['newPage']>) => {
    const context = await browser.newContext(...args);
    const page = await context.newPage();
    page.on('close', () => void context.close().catch(() => undefined));
    return page;
  };
}

/**
 * Starts the built server in demo mode on a fresh data dir and a headless Chromium. By default the
 * demo is the empty city (`serve --demo --empty`: orgs, accounts and the campaign, nothing else);
 * `living: true` starts what `npm start` starts, the living demo city (issue 18).
 */
export async function start(opts: { living?: boolean } = {}): Promise<Running> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-e2e-'));
  const port = await freePort();
  const server: ChildProcess = spawn(
    process.execPath,
    [SERVER, 'serve', '--demo', ...(opts.living ? [] : ['--empty']), '--port', String(port), '--host', '127.0.0.1'],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        DATABASE_URL: `sqlite:${path.join(dataDir, 'e2e.db')}`,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  let ready = false;
  let exited = false;
  server.once('exit', () => {
    exited = true;
  });
  // a loaded machine takes a while to migrate and seed (the living city is seeded before the
  // server listens): wait until it answers; a server that died is not waited for
  while (!ready && !exited) {
    try {
      ready = (await fetch(`${base}/readyz`)).ok;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (!ready) throw new Error('server did not start');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const pageErrors: string[] = [];
  watchErrors(browser, pageErrors);
  return {
    base,
    browser,
    pageErrors,
    expectNoPageErrors: () => {
      const found = pageErrors.splice(0);
      if (found.length) throw new Error(`uncaught errors in the page:\n${found.join('\n')}`);
    },
    signedIn: async (username, viewport = 1440) => {
      const size = typeof viewport === 'number' ? { width: viewport, height: 900 } : viewport;
      const page = await browser.newPage({ locale: 'zh-CN', viewport: size });
      await login(page, base, username);
      await page.getByTestId('header-user').waitFor();
      const me = await (await page.request.get(`${base}/api/v1/auth/me`)).json();
      return { page, csrf: { 'x-csrf-token': me.csrfToken } };
    },
    stop: async () => {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * The phone check of a journey step: at 390 px wide, nothing overlaps and no label wraps inside a
 * word (e2e/layout.ts); screenshots of the step at 390 px and at `restore` width go to artifacts/e2e.
 * Returns the problems (a journey expects none).
 */
export async function phoneLayout(
  page: Page,
  name: string,
  restore?: { width: number; height: number },
): Promise<string[]> {
  const before = restore ?? page.viewportSize();
  if (before && before.width !== PHONE.width) await shot(page, `${name}-${before.width}`);
  await page.setViewportSize(PHONE);
  // from the top (the sticky header covers whatever is scrolled under it)
  await page.evaluate('window.scrollTo(0, 0)');
  await layoutSettled(page);
  const problems = await layoutProblems(page);
  await shot(page, `${name}-390`);
  if (before && before.width !== PHONE.width) {
    await page.setViewportSize(before);
    // the wide layout brings back what the phone hid (the registry's filter row, for one), which
    // moves what is below it: a click before then lands on whatever was there
    await layoutSettled(page);
  }
  return problems;
}

/** antd reacts to a new width on the next frames (breakpoint listeners, fixed columns). */
function layoutSettled(page: Page): Promise<unknown> {
  return page.evaluate(
    'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 200))))',
  );
}

export const DEMO_PASSWORD = 'Shuangyong#2025';

/** A valid GB 11643 number from its first 17 digits (for fixture persons). */
export const idNumber = (first17: string): string => first17 + idChecksum(first17);

export async function login(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/**
 * Picks the option named `text` in an antd Select (typing it first where the select searches). A
 * click that lands while the dropdown is still opening is lost, so it opens and picks until the
 * field shows the choice.
 */
export async function pickOption(page: Page, field: Locator, text: string): Promise<void> {
  const openList = page.locator('.ant-select-dropdown:visible');
  await vi.waitFor(
    async () => {
      if (!(await openList.count())) await field.click();
      // a searchable select lists only the options in view: narrow it to the one wanted
      const search = field.locator('input');
      if (await search.isEditable()) await search.fill(text);
      // a plain select lists options, a tree select lists tree nodes
      await openList
        .locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper', { hasText: text })
        .first()
        .click({ timeout: 2000 });
      await field.getByText(text).first().waitFor({ timeout: 2000 });
    },
    { timeout: 20_000, interval: 200 },
  );
  await openList.waitFor({ state: 'detached' });
}

/** The input of an antd DatePicker (the test id lands on the input or on its wrapper). */
export const dateInput = (page: Page, testId: string): Locator =>
  page.locator(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`).first();

/**
 * Sets an antd DatePicker (date or date and time) by typing into its input, as a user with a
 * keyboard would. A keystroke that lands while the picker is still opening is lost, so it types,
 * confirms and leaves the field until the field shows the value typed.
 */
export async function pickDate(page: Page, testId: string, value: string): Promise<void> {
  const input = dateInput(page, testId);
  await vi.waitFor(
    async () => {
      await input.click();
      await input.press('ControlOrMeta+a');
      await input.fill(value);
      await input.press('Enter');
      await input.press('Tab');
      await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'detached', timeout: 2000 });
      const shown = await input.inputValue();
      if (shown !== value) throw new Error(`date field ${testId} shows ${shown}, not ${value}`);
    },
    { timeout: 20_000, interval: 200 },
  );
}

/**
 * Clicks the largest shape of a colour in a cockpit chart (its biggest bar, not the legend icon),
 * after the chart has drawn one and has been brought into the viewport the mouse clicks in.
 */
export async function clickBar(page: Page, chartId: string, fill: string): Promise<void> {
  const canvas = page.getByTestId(`cockpit-canvas-${chartId}`);
  await canvas.locator(`svg path[fill="${fill}"]`).first().waitFor({ state: 'attached' });
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.evaluate((el, colour) => {
    let best: { x: number; y: number; area: number } | null = null;
    for (const p of el.querySelectorAll(`path[fill="${colour}"]`)) {
      const r = p.getBoundingClientRect();
      const area = r.width * r.height;
      if (!best || area > best.area) best = { x: r.x + r.width / 2, y: r.y + r.height / 2, area };
    }
    return best;
  }, fill);
  expect(box, `a ${fill} bar in ${chartId}`).not.toBeNull();
  await page.mouse.click(box!.x, box!.y);
}
