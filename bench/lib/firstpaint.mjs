// Login page in headless Chromium (DESIGN.md §5: first paint ≤ 1.5 s on localhost, login-page JS
// ≤ 400 KB gzip): `runs` cold loads, each in a fresh browser context (empty cache), of /login on
// the running server. First paint and first contentful paint from the Paint Timing API; the
// scripts the page loaded are counted as transferred and as gzip -6 of their bodies (what a
// compressing proxy would send; the server may already compress, see `encodings`).
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function measureLoginPage(baseUrl, { runs = 5 } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const loads = [];
  let scripts = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ locale: 'zh-CN' });
      const page = await context.newPage();
      const seen = [];
      page.on('response', (res) => {
        if (res.request().resourceType() === 'script') seen.push(res);
      });
      const t0 = Date.now();
      await page.goto(`${baseUrl}/login`, { waitUntil: 'load' });
      // the login form is on screen: React has rendered
      await page.locator('input[type="password"]').first().waitFor();
      const readyMs = Date.now() - t0;
      const paint = await page.evaluate(() => {
        const p = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          firstPaint: p['first-paint'] ?? null,
          fcp: p['first-contentful-paint'] ?? null,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
          load: nav?.loadEventEnd ?? null,
        };
      });
      loads.push({ ...paint, formVisibleMs: readyMs });
      if (i === 0) {
        scripts = [];
        for (const res of seen) {
          const body = await res.body().catch(() => null);
          if (!body) continue;
          const headers = res.headers();
          scripts.push({
            url: new URL(res.url()).pathname,
            bytes: body.length,
            gzipBytes: gzipSync(body, { level: 6 }).length,
            encoding: headers['content-encoding'] ?? 'identity',
            transferred: Number(headers['content-length'] ?? body.length),
          });
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = (k) =>
    loads
      .map((l) => l[k])
      .filter((v) => v != null)
      .sort((a, b) => a - b);
  const median = (k) => {
    const a = sorted(k);
    return a.length ? a[Math.floor((a.length - 1) / 2)] : null;
  };
  const max = (k) => sorted(k).at(-1) ?? null;
  return {
    runs,
    loads,
    firstPaintMedianMs: median('firstPaint'),
    fcpMedianMs: median('fcp'),
    fcpMaxMs: max('fcp'),
    formVisibleMedianMs: median('formVisibleMs'),
    scripts,
    jsBytes: scripts.reduce((n, s) => n + s.bytes, 0),
    jsGzipBytes: scripts.reduce((n, s) => n + s.gzipBytes, 0),
    encodings: [...new Set(scripts.map((s) => s.encoding))],
  };
}
