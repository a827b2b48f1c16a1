import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { idChecksum } from '@shuangyong/shared';
import { type Browser, chromium, type Page } from 'playwright-core';

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
  stop(): Promise<void>;
}

/** Starts the built server in demo mode on a fresh data dir and a headless Chromium. */
export async function start(): Promise<Running> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-e2e-'));
  const port = await freePort();
  const server: ChildProcess = spawn(
    process.execPath,
    [SERVER, 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'],
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
  for (let i = 0; i < 300 && !ready; i++) {
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
  return {
    base,
    browser,
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

export const DEMO_PASSWORD = 'Shuangyong#2025';

/** A valid GB 11643 number from its first 17 digits (for fixture persons). */
export const idNumber = (first17: string): string => first17 + idChecksum(first17);

export async function login(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}
