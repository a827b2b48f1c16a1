// Child processes, ports, sampling of a server's RSS and event-loop delay.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export function log(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const children = new Set();
function killAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });

/** Starts a child with stdout/stderr appended to `logFile`. */
export function start(cmd, args, { env, cwd, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
export async function stop(child, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(t);
}

/** Runs a command to completion; rejects on a non-zero exit. Output goes to `logFile`. */
export async function runToEnd(cmd, args, opts) {
  const child = start(cmd, args, opts);
  const { code, signal } = await child.exited;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code ?? signal} (see ${opts.logFile})`);
}

/** Runs a node script with a JSON spec on stdin and parses the last line of its stdout as JSON. */
export function runJson(script, spec, { env, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, '-'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => {
      children.delete(child);
      if (logFile && err) fs.appendFileSync(logFile, err);
      if (code !== 0) return reject(new Error(`${script} exited with ${code}: ${err.slice(0, 2000)}`));
      const last = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(last));
      } catch (e) {
        reject(new Error(`bad output from ${script}: ${out.slice(0, 500)} (${e.message})`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

export async function waitHttp(url, { timeoutMs = 120_000, child } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`process exited before ${url} answered`);
    try {
      const r = await fetch(url);
      if (r.ok) return r;
    } catch {}
    if (Date.now() > until) throw new Error(`timeout waiting for ${url}`);
    await sleep(200);
  }
}

/** Resident set size of a process in bytes, from /proc (0 when it is gone). */
export function rssOf(pid) {
  return memOf(pid).rss;
}

/** VmRSS and RssAnon (heap, stacks: what is not file-backed such as SQLite's mmap) in bytes. */
export function memOf(pid) {
  try {
    const t = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(t)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon') };
  } catch {
    return { rss: 0, anon: 0 };
  }
}

function promValue(text, name) {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/** Busy and total CPU ticks of the machine (/proc/stat). */
function machineTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - (f[4] ?? 0), total };
}

/** CPU ticks (user + system) of one process, 0 when it is gone. */
function processTicks(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
const HZ = 100; // USER_HZ on Linux

/** CPU ticks of every PostgreSQL process (the database server is part of the system under test). */
function postgresTicks() {
  const out = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') out.set(d, processTicks(d));
    } catch {}
  }
  return out;
}
function pgDelta(before, after) {
  let t = 0;
  for (const [pid, v] of after) t += v - (before.get(pid) ?? 0);
  return t;
}

/**
 * CPU accounting of a scenario: cores used by the measured server and by everything outside the
 * benchmark (other users of this machine), so noisy runs can be recognised. `ownPids` are the
 * benchmark's other processes; the load generator reports its own CPU, subtracted by the caller.
 */
export function cpuMeter(serverPid, ownPids = []) {
  const t0 = performance.now();
  const m0 = machineTicks();
  const s0 = processTicks(serverPid);
  const o0 = ownPids.map(processTicks);
  const self0 = process.cpuUsage();
  const pg0 = postgresTicks();
  return (loadgenCpuMs = 0) => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machineTicks();
    const server = (processTicks(serverPid) - s0) / HZ;
    const own = ownPids.map(processTicks).reduce((a, v, i) => a + v - o0[i], 0) / HZ;
    const self = process.cpuUsage(self0);
    const selfSec = (self.user + self.system) / 1e6;
    const busy = (m1.busy - m0.busy) / HZ;
    const pgSec = pgDelta(pg0, postgresTicks()) / HZ;
    const other = Math.max(0, busy - server - own - pgSec - selfSec - loadgenCpuMs / 1000);
    return {
      serverCores: server / seconds,
      postgresCores: pgSec / seconds,
      loadgenCores: loadgenCpuMs / 1000 / seconds,
      otherCores: other / seconds,
      loadAvg1: Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    };
  };
}

/**
 * Samples a server while a scenario runs: RSS from /proc every 200 ms, and every second the
 * event-loop delay of the last window — from /metrics (prom-client resets its histogram on each
 * scrape) for the platform, from /stats for the reference. The first scrape only resets.
 * Event-loop delay figures include the 10 ms sampling resolution of monitorEventLoopDelay.
 */
export function startSampler({ pid, kind, url }) {
  const rss = [];
  const windows = [];
  const delays = [];
  let busy = false;
  let first = true;
  async function scrape() {
    if (busy) return;
    busy = true;
    try {
      let w;
      if (kind === 'app') {
        const text = await (await fetch(`${url}/metrics`)).text();
        w = {
          lagP99Ms: promValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
          lagMaxMs: promValue(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
          rss: promValue(text, 'process_resident_memory_bytes'),
        };
      } else {
        w = await (await fetch(`${url}/stats`)).json();
      }
      if (!first) windows.push(w);
      if (!first && w.delays) delays.push(...w.delays);
      first = false;
      if (w.rss) rss.push(w.rss);
    } catch {
      // a server that does not answer within the window shows up as a long event-loop delay next time
    } finally {
      busy = false;
    }
  }
  const started = scrape();
  const anon = [];
  const sampleMem = () => {
    const m = memOf(pid);
    rss.push(m.rss);
    anon.push(m.anon);
  };
  const tRss = setInterval(sampleMem, 200);
  const tLag = setInterval(scrape, 1000);
  return {
    async stop() {
      await started;
      clearInterval(tRss);
      clearInterval(tLag);
      while (busy) await sleep(20);
      await scrape();
      sampleMem();
      const mem = { rssPeakMB: Math.max(0, ...rss) / 2 ** 20, rssAnonPeakMB: Math.max(0, ...anon) / 2 ** 20 };
      if (kind !== 'app') return { ...mem, ...delayStats(delays) };
      // the platform: prom-client's figures as served on /metrics (worst 1-s window); the
      // harness replaces lagP99Ms/lagMaxMs with the trace's tick delays afterwards
      const p99 = windows.map((w) => w.lagP99Ms).filter(Number.isFinite);
      const max = windows.map((w) => w.lagMaxMs).filter(Number.isFinite);
      const metricsLagP99Ms = p99.length ? Math.max(...p99) : null;
      const metricsLagMaxMs = max.length ? Math.max(...max) : null;
      return {
        ...mem,
        metricsLagP99Ms,
        metricsLagMaxMs,
        lagP99Ms: metricsLagP99Ms,
        lagMaxMs: metricsLagMaxMs,
        windows: windows.length,
      };
    },
  };
}

/** p99 and max of event-loop tick delays (ms), and how many ticks were measured. */
export function delayStats(delays) {
  if (!delays.length) return { lagP99Ms: null, lagMaxMs: null, lagTicks: 0 };
  const a = Float64Array.from(delays).sort();
  return { lagP99Ms: a[Math.ceil(0.99 * a.length) - 1], lagMaxMs: a[a.length - 1], lagTicks: a.length };
}

/**
 * Waits (at most `maxMs`) until processes outside the benchmark use less than `cores` CPU over a
 * 2-s window, so a scenario does not start while another user of the machine is busy. Returns
 * the waited seconds and the last measured foreign load.
 */
export async function waitQuiet(ownPids, { cores = 0.3, maxMs = 30_000 } = {}) {
  const t0 = performance.now();
  for (;;) {
    const m = cpuMeter(ownPids[0] ?? process.pid, ownPids.slice(1));
    await sleep(2000);
    const r = m(0);
    // the benchmark's own processes are idle here, postgres included (other databases' use counts as foreign)
    const foreign = r.otherCores + r.postgresCores;
    if (foreign < cores || performance.now() - t0 > maxMs)
      return { waitedSec: (performance.now() - t0) / 1000, foreignCores: foreign };
  }
}
