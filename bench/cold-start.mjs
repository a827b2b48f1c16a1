// Cold start and idle memory of the built server (DESIGN.md §5: cold start ≤ 1 s, idle RSS ≤ 120 MiB
// at 10^6). Each run spawns `node packages/server/dist/cli.js serve` on an existing data set, polls
// GET /readyz every 10 ms until it answers 200 (spawn → ready), reads the process's CPU time at that
// moment (/proc/PID/stat, all threads), lets it sit idle, then reads its memory (/proc/PID/status:
// VmRSS, RssAnon, RssFile, threads) and the main thread's V8 breakdown, which the preload
// lib/mem-report.cjs writes on SIGUSR2, and stops it. Idle means idle: a server that is still doing
// its start-up's scheduled work at that moment (the day's brief, made in a render process of its
// own, decisions/0079) is read then — itself and its child processes — and again once its children
// have ended (up to 120 s later); the idle figure is the latter, children included. bench/run.mjs
// runs it for its cold-start row; run alone, its results go by hand into docs/benchmarks.md.
//
//   node bench/cold-start.mjs --data-dir DIR [--runs 5] [--idle 10] [--cpu-prof DIR] [--cli path/to/cli.js]
//   node bench/cold-start.mjs --url postgres://…/db --key-file DIR/keys.json [--runs 5]
//
// The data set: `DATA_DIR=DIR node packages/server/dist/cli.js seed --synthetic --beneficiaries N`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, sleep } from './lib/proc.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MEM_REPORT = path.join(ROOT, 'bench/lib/mem-report.cjs');

const { values: opt } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    url: { type: 'string' },
    'key-file': { type: 'string' },
    runs: { type: 'string', default: '5' },
    idle: { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
    json: { type: 'boolean', default: false },
    cli: { type: 'string' },
  },
});
/** The built entry; `--cli` runs another build (e.g. a copy of dist/ before a change) beside it. */
const CLI = path.resolve(opt.cli ?? path.join(ROOT, 'packages/server/dist/cli.js'));
if (!opt['data-dir'] && !opt.url) {
  process.stderr.write('usage: node bench/cold-start.mjs --data-dir DIR | --url postgres://… --key-file F\n');
  process.exit(2);
}
if (!fs.existsSync(CLI)) {
  process.stderr.write('build first: npm run -s build\n');
  process.exit(2);
}

/** utime + stime of a process in seconds (all its threads). */
function cpuSeconds(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** VmRSS, RssAnon, RssFile, VmHWM of a process in MiB, and its thread count. */
function memMiB(pid) {
  const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(t)?.[1] ?? 0) / 1024;
  const threads = Number(/Threads:\s+(\d+)/.exec(t)?.[1] ?? 0);
  return { rss: mib('VmRSS'), anon: mib('RssAnon'), file: mib('RssFile'), hwm: mib('VmHWM'), threads };
}

/** The pids of a process's children (/proc/PID/stat's ppid field). */
function childrenOf(pid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(d));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** VmRSS of a process's children, in MiB (0 when there are none). */
function childrenMiB(pid) {
  let sum = 0;
  for (const c of childrenOf(pid)) {
    try {
      sum += memMiB(c).rss;
    } catch {
      // ended meanwhile
    }
  }
  return sum;
}

function status(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
  });
}

async function once(i) {
  const port = await freePort();
  const memFile = path.join(os.tmpdir(), `sy-cold-start-${process.pid}-${i}.json`);
  fs.rmSync(memFile, { force: true });
  const env = { ...process.env, LOG_LEVEL: 'warn', SY_MEM_REPORT: memFile };
  if (opt['data-dir']) env.DATA_DIR = path.resolve(opt['data-dir']);
  if (opt.url) env.DATABASE_URL = opt.url;
  if (opt['key-file']) env.KEY_FILE = path.resolve(opt['key-file']);
  const nodeArgs = ['--require', MEM_REPORT];
  if (opt['cpu-prof']) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.resolve(opt['cpu-prof'])}`);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise((r) => child.once('exit', r));
  let readyMs = null;
  let cpuAtReady = null;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited: ${stderr.slice(-2000)}`);
    if ((await status(`http://127.0.0.1:${port}/readyz`)) === 200) {
      readyMs = performance.now() - t0;
      cpuAtReady = cpuSeconds(child.pid);
      break;
    }
    if (performance.now() - t0 > 300_000) throw new Error('no /readyz 200 within 300 s');
    await sleep(10);
  }
  const memAtReady = memMiB(child.pid);
  await sleep(Number(opt.idle) * 1000);
  let idle = { ...memMiB(child.pid), children: childrenMiB(child.pid) };
  let cpuAtIdle = cpuSeconds(child.pid);
  /** The reading at the idle point while the server still had children (its start-up's scheduled work), and how long they lasted. */
  let busy = null;
  if (idle.children > 0) {
    const t = performance.now();
    while (childrenOf(child.pid).length && performance.now() - t < 120_000) await sleep(200);
    busy = { ...idle, settledAfterS: (performance.now() - t) / 1000 };
    await sleep(1000);
    idle = { ...memMiB(child.pid), children: childrenMiB(child.pid) };
    cpuAtIdle = cpuSeconds(child.pid);
  }
  idle.total = idle.rss + idle.children;
  child.kill('SIGUSR2');
  const until = performance.now() + 10_000;
  while (!fs.existsSync(memFile) && performance.now() < until) await sleep(50);
  const v8 = fs.existsSync(memFile) ? JSON.parse(fs.readFileSync(memFile, 'utf8')) : null;
  child.kill(opt['cpu-prof'] ? 'SIGINT' : 'SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(kill);
  fs.rmSync(memFile, { force: true });
  return { readyMs, cpuAtReady, memAtReady, idle, busy, cpuAtIdle, v8, load: os.loadavg()[0] };
}

const results = [];
for (let i = 0; i < Number(opt.runs); i++) {
  const r = await once(i);
  results.push(r);
  const v = r.v8;
  process.stderr.write(
    `run ${i + 1}: ready ${(r.readyMs / 1000).toFixed(2)} s, CPU at ready ${r.cpuAtReady.toFixed(2)} s ` +
      `(after ${opt.idle} s idle ${r.cpuAtIdle.toFixed(2)} s); RSS at ready ${r.memAtReady.rss.toFixed(0)} MiB; ` +
      (r.busy
        ? `at ${opt.idle} s still at work: ${r.busy.rss.toFixed(0)} MiB + children ${r.busy.children.toFixed(0)} MiB, idle ${r.busy.settledAfterS.toFixed(0)} s later; `
        : '') +
      `idle RSS ${r.idle.total.toFixed(0)} MiB (anon ${r.idle.anon.toFixed(0)}, file ${r.idle.file.toFixed(0)}, children ${r.idle.children.toFixed(0)}, peak ${r.idle.hwm.toFixed(0)})` +
      (v
        ? `; heap used/total ${v.heapUsed.toFixed(0)}/${v.heapTotal.toFixed(0)} MiB, external ${v.external.toFixed(0)} (buffers ${v.arrayBuffers.toFixed(0)}), threads ${r.idle.threads}`
        : '') +
      `; load ${r.load.toFixed(1)}\n`,
  );
}
const sorted = (k) => results.map(k).sort((a, b) => a - b);
const med = (k) => {
  const s = sorted(k);
  return s[Math.floor(s.length / 2)];
};
const summary = {
  runs: results.length,
  readySeconds: { min: sorted((r) => r.readyMs)[0] / 1000, median: med((r) => r.readyMs) / 1000 },
  cpuAtReadySeconds: { min: sorted((r) => r.cpuAtReady)[0], median: med((r) => r.cpuAtReady) },
  idleRssMiB: { min: sorted((r) => r.idle.total)[0], median: med((r) => r.idle.total) },
  /** Starts whose server was still at its scheduled work at the idle point, and the largest server + children then. */
  busyAtIdle: {
    starts: results.filter((r) => r.busy).length,
    maxMiB: Math.max(0, ...results.filter((r) => r.busy).map((r) => r.busy.rss + r.busy.children)),
  },
  idleAnonMiB: { median: med((r) => r.idle.anon) },
  loadavg: results.map((r) => Number(r.load.toFixed(1))),
};
if (opt.json) process.stdout.write(`${JSON.stringify({ summary, results }, null, 2)}\n`);
else
  process.stdout.write(
    `ready s min ${summary.readySeconds.min.toFixed(2)} median ${summary.readySeconds.median.toFixed(2)}; ` +
      `CPU at ready s min ${summary.cpuAtReadySeconds.min.toFixed(2)} median ${summary.cpuAtReadySeconds.median.toFixed(2)}; ` +
      `idle RSS MiB min ${summary.idleRssMiB.min.toFixed(0)} median ${summary.idleRssMiB.median.toFixed(0)} (anon ${summary.idleAnonMiB.median.toFixed(0)}); ` +
      `load ${summary.loadavg.join(', ')}\n`,
  );
