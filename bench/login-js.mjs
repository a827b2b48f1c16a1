// The login page's JS as a first visit loads it (gzip -6 of each script, bench/lib/firstpaint.mjs):
// `node bench/login-js.mjs` after `npm run build`. Starts the built server in demo mode on a
// throw-away data dir, measures one cold load of /login, prints the scripts and the total.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLoginPage } from './lib/firstpaint.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-loginjs-'));
const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn(
  process.execPath,
  [path.join(root, 'packages/server/dist/cli.js'), 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'],
  {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: `sqlite:${path.join(dataDir, 'b.db')}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  },
);
const base = `http://127.0.0.1:${port}`;
try {
  let ready = false;
  for (let i = 0; i < 600 && !ready; i++) {
    ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) throw new Error('server did not start');
  const result = await measureLoginPage(base, { runs: 1 });
  for (const s of result.scripts) console.log(`${s.url}\t${(s.gzipBytes / 1024).toFixed(1)} KB gzip`);
  console.log(
    `login page JS: ${(result.jsGzipBytes / 1024).toFixed(1)} KB gzip (${result.jsGzipBytes} B) in ${result.scripts.length} files`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
