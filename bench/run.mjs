#!/usr/bin/env node
// Benchmark harness (DESIGN.md §5, issue 7): prepares a data set per dialect (cached under
// bench/.data/), starts the server and a bare reference server as child processes, drives load from
// a separate load-generator process, samples RSS and event-loop delay, and writes docs/benchmarks.md.
//
//   npm run bench                                  # 10^6 persons, SQLite and PostgreSQL
//   node bench/run.mjs --quick                     # smoke run: 10^4 persons, short scenarios
//   node bench/run.mjs --n 1000000 --db sqlite --duration 30 --concurrency 32
//
// Options: --quick, --n N, --db sqlite|postgres|both, --duration S (per load scenario),
// --concurrency C, --import-rows R, --export-rows R (target size of the export), --export-user U (the export
// downloaded by U with no filter, e.g. `city`: the whole city), --visits V (default 5N), --out FILE,
// --no-build, --keep (keep the per-run database copy), --reseed (rebuild the cached data set),
// --seed-only (prepare the data sets and stop), --reuse-stale (use a cached data set seeded by
// older migrations or seed code: the server migrates it forward at start; the report says so),
// --report-only (rewrite the report from the last saved results in bench/.data/results/).
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { openRaw, PG_BASE, pgAdmin, pgDatabaseExists, timeRaw } from './lib/db.mjs';
import { measureLoginPage } from './lib/firstpaint.mjs';
import {
  cpuMeter,
  delayStats,
  freePort,
  log,
  memOf,
  runJson,
  runToEnd,
  start,
  startSampler,
  stop,
  waitHttp,
  waitQuiet,
} from './lib/proc.mjs';
import { writeReport } from './lib/report.mjs';
import { bestListSql, coverageSql, detailSql, listScenarios, listSql, prefixEnd, unvisitedSql } from './lib/sql.mjs';
import { countXlsxRows, ensureImportFile } from './lib/xlsx.mjs';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const DATA = path.join(here, '.data');
const DIST = path.join(ROOT, 'packages/server/dist');
// the harness runs a private copy of the bundle: others rebuild dist/ while a run is going
// the snapshot keeps the repository's layout, so the server finds the web app at ../../web/dist
const SERVER_DIR = path.join(DATA, 'snapshot/server/dist');
const WEB_DIST = path.join(ROOT, 'packages/web/dist');
const CLI = path.join(SERVER_DIR, 'cli.js');
const LOADGEN = path.join(here, 'loadgen.mjs');
const REFERENCE = path.join(here, 'reference-server.mjs');
const SQL_TRACE = path.join(here, 'lib/sql-trace.cjs');
const SLOW_SQL_MS = 20;
const PASSWORD = 'Shuangyong#2025';
const USER = 'klmy'; // district staff of 克拉玛依区 (scope 650200/650203/)

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    n: { type: 'string' },
    db: { type: 'string', default: 'both' },
    duration: { type: 'string' },
    concurrency: { type: 'string' },
    'import-rows': { type: 'string' },
    'export-rows': { type: 'string' },
    'export-user': { type: 'string' },
    visits: { type: 'string' },
    out: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
    'seed-only': { type: 'boolean', default: false },
    'reuse-stale': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
/**
 * `--only list[,detail,…]`: run just these load scenarios (list = the list and search scenarios;
 * the others: cold (cold start), login, detail, mixed, visits, plan, export, import). The report then
 * omits the rest.
 */
const ONLY = opt.only ? new Set(opt.only.split(',')) : null;
const runs = (what) => !ONLY || ONLY.has(what);
const quick = opt.quick;
const N = Number(opt.n ?? (quick ? 10_000 : 1_000_000));
const DURATION = Number(opt.duration ?? (quick ? 5 : 30));
const WARMUP = Math.min(3, Math.max(1, DURATION * 0.2));
const SINGLE_DURATION = Math.min(DURATION, 10);
const CONCURRENCY = Number(opt.concurrency ?? 32);
const IMPORT_ROWS = Number(opt['import-rows'] ?? (quick ? 10_000 : 100_000));
const EXPORT_ROWS = Number(opt['export-rows'] ?? 100_000);
/** Synthetic visits in the data set (5 per person: 5·10^6 at 10^6), and the rule-built target list size aimed at. */
const VISITS = Number(opt.visits ?? 5 * N);
const PLAN_TARGETS = quick ? 5_000 : 100_000;
const CAMPAIGN = 'synthetic';
const DIALECTS = opt.db === 'both' ? ['sqlite', 'postgres'] : [opt.db];
for (const d of DIALECTS)
  if (!['sqlite', 'postgres'].includes(d)) throw new Error(`--db: sqlite, postgres or both (got ${d})`);
if (!Number.isInteger(N) || N < 1) throw new Error('--n must be a positive integer');
const OUT = opt.out ?? (quick ? path.join(DATA, 'benchmarks-quick.md') : path.join(ROOT, 'docs/benchmarks.md'));
const COMMAND = `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
/** Above this raw page+count time a load scenario runs with fewer connections (it would take minutes to drain). */
const SLOW_MS = 100;
/** A naive statement slower than this runs once, and its reference is not put under load. */
const NAIVE_CAP_MS = 10_000;

fs.mkdirSync(path.join(DATA, 'logs'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const LOGDIR = path.join(DATA, 'logs', stamp);
fs.mkdirSync(LOGDIR, { recursive: true });

function build() {
  if (!opt['no-build']) {
    log('building the server (packages/server/build.mjs)');
    execFileSync(process.execPath, ['build.mjs'], { cwd: path.join(ROOT, 'packages/server'), stdio: 'inherit' });
  }
  // a snapshot next to bench/ (node_modules still resolve from the repository root)
  fs.mkdirSync(SERVER_DIR, { recursive: true });
  // the server and its worker entry points (thumbnail-worker.js), with their source maps
  for (const f of fs.readdirSync(DIST).filter((x) => /\.js(\.map)?$/.test(x)))
    fs.copyFileSync(path.join(DIST, f), path.join(SERVER_DIR, f));
  // the built web app (npm run bench builds it), for the login-page measurement
  const web = path.join(SERVER_DIR, '../../web/dist');
  fs.rmSync(web, { recursive: true, force: true });
  if (fs.existsSync(path.join(WEB_DIST, 'index.html'))) fs.cpSync(WEB_DIST, web, { recursive: true });
  const migrations = fs
    .readdirSync(path.join(ROOT, 'packages/server/src/platform/db/migrations'))
    .filter((f) => /^\d{4}_/.test(f))
    .map((f) => f.replace(/\.ts$/, ''));
  log(`server snapshot in ${path.relative(ROOT, SERVER_DIR)} (migrations in the source: ${migrations.join(', ')})`);
}

/**
 * Fingerprint of what shapes a data set: the migrations and the seed code. Migrations are edited
 * in place while the schema is young, so a cached data set is only reused when this matches.
 */
function schemaHash() {
  const h = createHash('sha256');
  for (const dir of ['packages/server/src/platform/db/migrations', 'packages/server/src/seed']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir)).sort()) {
      h.update(f);
      h.update(fs.readFileSync(path.join(ROOT, dir, f)));
    }
  }
  h.update(fs.readFileSync(path.join(ROOT, 'packages/server/src/modules/visits/synthetic.ts')));
  h.update(String(VISITS));
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- data sets

/** The cached data set of N persons for a dialect; seeded once, then reused. */
async function ensureDataset(dialect) {
  const dir = path.join(DATA, `${dialect}-${N}`);
  const ready = path.join(dir, 'ready.json');
  const dbName = `sy_bench_${N}`;
  const url = dialect === 'sqlite' ? `sqlite:${path.join(dir, 'shuangyong.db')}` : `${PG_BASE}/${dbName}`;
  const present =
    fs.existsSync(ready) &&
    (dialect === 'sqlite' ? fs.existsSync(path.join(dir, 'shuangyong.db')) : await pgDatabaseExists(dbName));
  const meta0 = present ? JSON.parse(fs.readFileSync(ready, 'utf8')) : null;
  if (present && !opt.reseed && meta0.schemaHash !== SCHEMA_HASH && opt['reuse-stale']) {
    log(`${dialect}: reusing a data set of an older schema (${meta0.schemaHash}); the server migrates it forward`);
    return {
      dir,
      url,
      dbName,
      keyFile: path.join(dir, 'keys.json'),
      meta: { ...meta0, staleSchema: `seeded with schema ${meta0.schemaHash}, now ${SCHEMA_HASH}` },
      reused: true,
    };
  }
  if (present && !opt.reseed && meta0.schemaHash === SCHEMA_HASH) {
    log(`${dialect}: reusing the data set in ${path.relative(ROOT, dir)} (schema ${SCHEMA_HASH})`);
    return { dir, url, dbName, keyFile: path.join(dir, 'keys.json'), meta: meta0, reused: true };
  }
  if (present && meta0.schemaHash !== SCHEMA_HASH)
    log(`${dialect}: migrations or seed code changed since the cached data set (${meta0.schemaHash} → ${SCHEMA_HASH})`);
  log(
    `${dialect}: seeding ${N} synthetic persons and ${VISITS} visits (about ${Math.ceil((N * 115e-6 * (dialect === 'postgres' ? 1.5 : 1) + VISITS * 75e-6) / 60)} min)`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (dialect === 'postgres') {
    await pgAdmin(`drop database if exists ${dbName} with (force)`);
    await pgAdmin(`create database ${dbName}`);
  }
  // persons and visits seeded by two commands, so that the persons' time (issue 15: seed 10^6 ≤ 3 min)
  // is its own figure
  const seedEnv = {
    ...process.env,
    DATA_DIR: dir,
    DATABASE_URL: url,
    KEY_FILE: path.join(dir, 'keys.json'),
    LOG_LEVEL: 'warn',
  };
  const t0 = performance.now();
  await runToEnd(process.execPath, [CLI, 'seed', '--synthetic', '--beneficiaries', String(N)], {
    cwd: ROOT,
    env: seedEnv,
    logFile: path.join(LOGDIR, `${dialect}-seed.log`),
  });
  const seedPersonsSeconds = (performance.now() - t0) / 1000;
  log(`${dialect}: ${N} persons seeded in ${seedPersonsSeconds.toFixed(0)} s; now the visits`);
  await runToEnd(process.execPath, [CLI, 'seed', '--synthetic', '--visits', String(VISITS)], {
    cwd: ROOT,
    env: seedEnv,
    logFile: path.join(LOGDIR, `${dialect}-seed.log`),
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  let analyzeSeconds = null;
  if (dialect === 'postgres') {
    // what autovacuum does shortly after a bulk load: statistics and the visibility map
    const t1 = performance.now();
    const h = await openRaw(url);
    await h.run('vacuum (analyze)');
    await h.close();
    analyzeSeconds = (performance.now() - t1) / 1000;
  }
  const meta = {
    n: N,
    visits: VISITS,
    dialect,
    schemaHash: SCHEMA_HASH,
    seededAt: new Date().toISOString(),
    seedSeconds,
    seedPersonsSeconds,
    analyzeSeconds,
  };
  fs.writeFileSync(ready, JSON.stringify(meta, null, 2));
  log(
    `${dialect}: seeded in ${seedSeconds.toFixed(0)} s${analyzeSeconds ? `, vacuum analyze ${analyzeSeconds.toFixed(0)} s` : ''}`,
  );
  return { dir, url, dbName, keyFile: path.join(dir, 'keys.json'), meta, reused: false };
}

/** A throw-away copy of the data set for one run (the import scenario adds rows). */
async function runCopy(dialect, ds) {
  const dir = path.join(DATA, 'run', `${dialect}-${N}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  let url;
  let drop;
  if (dialect === 'sqlite') {
    for (const suffix of ['', '-wal']) {
      const src = path.join(ds.dir, `shuangyong.db${suffix}`);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(dir, `shuangyong.db${suffix}`));
    }
    url = `sqlite:${path.join(dir, 'shuangyong.db')}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `${ds.dbName}_run`;
    await pgAdmin(`drop database if exists ${name} with (force)`);
    await pgAdmin(`create database ${name} template ${ds.dbName} strategy file_copy`);
    url = `${PG_BASE}/${name}`;
    drop = async () => {
      await pgAdmin(`drop database if exists ${name} with (force)`);
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  log(`${dialect}: run copy ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { dir, url, drop };
}

/**
 * Cold start and idle memory of the server on the run copy (issue 15: ≤ 1 s spawn → /readyz 200,
 * idle RSS ≤ 120 MiB at 10^6): bench/cold-start.mjs, which spawns `cli.js serve` RUNS times with
 * nothing else running, as a production start (no DEMO, no SQL trace).
 */
async function coldStart(dialect, copy, ds) {
  await quiet();
  const runsN = quick ? 2 : 5;
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      path.join(here, 'cold-start.mjs'),
      '--cli',
      CLI,
      '--json',
      '--runs',
      String(runsN),
      '--idle',
      '5',
      '--data-dir',
      copy.dir,
      '--url',
      copy.url,
      '--key-file',
      ds.keyFile,
    ],
    { cwd: ROOT, maxBuffer: 16 * 2 ** 20 },
  );
  const { summary } = JSON.parse(stdout);
  log(
    `${dialect}: cold start median ${summary.readySeconds.median.toFixed(2)} s (min ${summary.readySeconds.min.toFixed(2)}), idle RSS median ${summary.idleRssMiB.median.toFixed(0)} MiB over ${summary.runs} starts`,
  );
  return summary;
}

// ---------------------------------------------------------------- servers and load

async function startApp(dialect, copy, ds) {
  const port = await freePort();
  const traceFile = path.join(LOGDIR, `${dialect}-slow-sql.jsonl`);
  const child = start(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof': the server's threads profiled
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--require',
      SQL_TRACE,
      CLI,
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_SQL_TRACE: traceFile,
        BENCH_SQL_SLOW_MS: String(SLOW_SQL_MS),
        BENCH_REPO_ROOT: ROOT,
        DATA_DIR: copy.dir,
        KEY_FILE: ds.keyFile,
        DATABASE_URL: copy.url,
        DEMO: '1',
        LOG_LEVEL: 'warn',
        SCRYPT_LOG2N: '15',
        // the login scenario sends one X-Forwarded-For address per request, so the per-IP login rate
        // limit (20/min) measures nothing but itself
        TRUST_PROXY: '1',
      },
      logFile: path.join(LOGDIR, `${dialect}-server.log`),
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/readyz`, { child });
  return { child, url, pid: child.pid, kind: 'app', traceFile };
}

async function startReference(dialect, copy) {
  const port = await freePort();
  const child = start(process.execPath, [REFERENCE, '--db', copy.url, '--port', String(port)], {
    cwd: ROOT,
    env: process.env,
    logFile: path.join(LOGDIR, `${dialect}-reference.log`),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHttp(`${url}/stats`, { child });
  return { child, url, pid: child.pid, kind: 'ref' };
}

async function login(url, username = USER) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const me = await res.json();
  return { cookie, csrf: me.csrfToken, me, headers: { cookie, 'x-csrf-token': me.csrfToken } };
}

/** One load scenario against one server, sampled. */
const ownPids = [];
/** When each scenario ran against the platform, to attribute traced statements to it. */
const windows = [];
async function quiet() {
  const q = await waitQuiet(ownPids);
  if (q.foreignCores >= 0.3)
    log(
      `  machine busy: other processes use ${q.foreignCores.toFixed(2)} cores after ${q.waitedSec.toFixed(0)} s of waiting; going on`,
    );
  else if (q.waitedSec > 5) log(`  waited ${q.waitedSec.toFixed(0)} s for other processes to go quiet`);
  return q;
}

async function load(server, spec, label, key) {
  const q = await quiet();
  const win = { key, t0: Date.now(), t1: null };
  if (server.kind === 'app' && key) windows.push(win);
  const sampler = startSampler(server);
  const cpu = cpuMeter(
    server.pid,
    ownPids.filter((p) => p !== server.pid),
  );
  let res;
  try {
    res = await runJson(
      LOADGEN,
      { url: server.url, warmupSec: WARMUP, ...spec },
      { logFile: path.join(LOGDIR, 'loadgen.log') },
    );
  } finally {
    win.t1 = Date.now();
    res ??= {};
    win.res = res;
    Object.assign(res, await sampler.stop(), cpu(res?.cpuMs ?? 0), {
      quietWaitSec: q.waitedSec,
      foreignBefore: q.foreignCores,
    });
  }
  res.concurrency = spec.concurrency;
  res.durationSec = spec.durationSec;
  log(
    `  ${label.padEnd(28)} ${String(res.requests).padStart(7)} req  ${res.rps?.toFixed(0).padStart(6)} req/s  p50 ${res.latencyMs?.p50?.toFixed(1)} p95 ${res.latencyMs?.p95?.toFixed(1)} p99 ${res.latencyMs?.p99?.toFixed(1)} ms  err ${res.errors}  RSS ${res.rssPeakMB.toFixed(0)} MB  lag p99 ${res.lagP99Ms?.toFixed(1)} max ${res.lagMaxMs?.toFixed(1)} ms`,
  );
  log(
    `    CPU cores: server ${res.serverCores.toFixed(2)}, postgres ${res.postgresCores.toFixed(2)}, loadgen ${res.loadgenCores.toFixed(2)}, others ${res.otherCores.toFixed(2)}; load avg ${res.loadAvg1}`,
  );
  if (res.errors) log(`    first error: ${res.sampleError}`);
  return res;
}

async function pollJob(app, auth, id, until) {
  for (;;) {
    const r = await fetch(`${app.url}/api/v1/jobs/${id}`, { headers: auth.headers });
    const job = await r.json();
    if (until.includes(job.status) || job.status === 'failed') return job;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The scenario a traced statement (timestamped at its end) belongs to. */
function windowAt(t) {
  const inside = windows.find((w) => t >= w.t0 && t <= (w.t1 ?? Number.MAX_SAFE_INTEGER));
  if (inside) return inside;
  // requests still in flight when a scenario ended finish shortly after it
  const after = windows.filter((w) => w.t1 != null && t > w.t1 && t <= w.t1 + 5000);
  return after.length ? after[after.length - 1] : null;
}

/**
 * Statements executed and time spent in SQL during each scenario, from the running totals the
 * trace writes every 500 ms, stored on the scenario's result (sqlStatements, sqlMs).
 */
function attachSqlTotals(file) {
  if (!fs.existsSync(file)) return;
  const samples = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  if (!samples.length) return;
  const at = (t, before) => {
    // the last sample at or before t (window start), or the first at or after t (window end)
    if (before) return samples.filter((x) => x.t <= t).pop() ?? samples[0];
    return samples.find((x) => x.t >= t) ?? samples[samples.length - 1];
  };
  for (const w of windows) {
    if (!w.res || w.t1 == null) continue;
    const a = at(w.t0, true);
    const b = at(w.t1 + 600, false);
    w.res.sqlStatements = b.n - a.n;
    w.res.sqlMs = b.ms - a.ms;
    // event-loop delay of the ticks in the window (a line holds the ticks of the 500 ms before it)
    const ticks = samples.filter((x) => x.t > w.t0 && x.t <= w.t1 + 500 && Array.isArray(x.el)).flatMap((x) => x.el);
    if (ticks.length) Object.assign(w.res, delayStats(ticks), { lagSource: 'trace' });
  }
}

/**
 * The platform's slow statements (from lib/sql-trace.cjs) logged between `since` and `until`:
 * grouped by SQL text, attributed to the scenarios that were running, the costliest first, each
 * SELECT with its plan and an in-process rerun on the database as it is now (so this runs before
 * the import changes the data, and once more for the import's own statements).
 */
async function analyseTrace(file, raw, { since = 0, until = Number.MAX_SAFE_INTEGER, top = 12 } = {}) {
  if (!fs.existsSync(file)) return [];
  const groups = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line);
    if (typeof e.sql !== 'string' || e.t < since || e.t > until) continue;
    const w = windowAt(e.t);
    let g = groups.get(e.sql);
    if (!g) {
      g = { sql: e.sql, ms: [], scenarios: new Set(), params: e.params, worst: 0 };
      groups.set(e.sql, g);
    }
    g.ms.push(e.ms);
    g.scenarios.add(w?.key ?? 'start-up/other');
    if (e.ms > g.worst) {
      g.worst = e.ms;
      g.params = e.params;
    }
  }
  const list = [...groups.values()]
    .map((g) => {
      const sorted = g.ms.sort((a, b) => a - b);
      return {
        sql: g.sql,
        params: g.params,
        scenarios: [...g.scenarios],
        count: sorted.length,
        p50: sorted[Math.floor((sorted.length - 1) / 2)],
        max: sorted[sorted.length - 1],
        totalMs: sorted.reduce((a, b) => a + b, 0),
      };
    })
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
  for (const s of list) {
    const q = selectOf(s, raw);
    if (!q) continue;
    try {
      s.plan = await raw.plan(q);
      const t = await timeRaw(raw, () => [q], { iterations: 5, maxMs: 20_000, warmup: 1 });
      s.rerun = t.total;
    } catch (e) {
      s.planError = e.message;
    }
  }
  return list;
}

/** A traced statement as something the raw handle can plan and rerun (SELECTs with all their parameters). */
function selectOf(s, raw) {
  const isSelect = /^\s*(select|with)\b/i.test(s.sql) && !s.sql.includes(' … (');
  const usable =
    isSelect &&
    !s.params.some((p) => p === '<buffer>' || (typeof p === 'string' && (p.endsWith('…') || p.startsWith('… '))));
  if (!usable) return null;
  return { sql: raw.dialect === 'postgres' ? s.sql.replace(/\$\d+/g, '?') : s.sql, params: s.params };
}

/**
 * SQLite without statistics: plan and time the slow SELECTs again after ANALYZE on the throw-away
 * copy (after the server has stopped), to show what statistics alone would change.
 */
async function analyzeExperiment(list, raw) {
  const stat = await raw.all({ sql: "select count(*) as n from sqlite_master where name = 'sqlite_stat1'" });
  if (stat[0].n) return false;
  const selects = list.map((s) => [s, selectOf(s, raw)]).filter(([, q]) => q);
  if (!selects.length) return false;
  const t0 = performance.now();
  await raw.run('ANALYZE');
  const seconds = (performance.now() - t0) / 1000;
  log(`sqlite: ANALYZE on the run copy took ${seconds.toFixed(1)} s; planning the slow statements again`);
  for (const [s, q] of selects) {
    try {
      s.afterAnalyze = {
        seconds,
        plan: await raw.plan(q),
        rerun: (await timeRaw(raw, () => [q], { iterations: 5, maxMs: 20_000, warmup: 1 })).total,
      };
    } catch (e) {
      s.afterAnalyze = { error: e.message };
    }
  }
  return true;
}

// ---------------------------------------------------------------- one dialect

/**
 * Builds a draft visit plan of the district from one rule, the rule chosen so the list comes
 * closest to PLAN_TARGETS households (each synthetic person has a household of their own), then
 * reads the plan's conflicts with the other plans of the campaign. Timed over HTTP with RSS and
 * event-loop delay; the naive selection of the households is timed in-process beside it.
 */
async function planBuild(app, auth, raw, scopePath) {
  const range = [scopePath, prefixEnd(scopePath)];
  const candidates = [];
  for (const age of [60, 65, 70, 75, 80, 85, 90])
    candidates.push({
      rule: { minAge: age },
      q: {
        sql: `select count(distinct "household_id") as "n" from "beneficiaries" where "org_path" >= ? and "org_path" < ? and "status" = 'active' and "birth_date" <= ?`,
        params: [...range, `${new Date().getFullYear() - age}-${new Date().toISOString().slice(5, 10)}`],
      },
    });
  const codes = (await raw.all({ sql: 'select distinct "code" from "beneficiary_categories"' })).map((r) => r.code);
  for (const code of codes)
    candidates.push({
      rule: { categories: [code] },
      q: {
        sql: `select count(distinct "b"."household_id") as "n" from "beneficiaries" as "b" inner join "beneficiary_categories" as "bc" on "bc"."beneficiary_id" = "b"."id" where "b"."org_path" >= ? and "b"."org_path" < ? and "b"."status" = 'active' and "bc"."code" = ? and "bc"."end_date" is null`,
        params: [...range, code],
      },
    });
  for (const c of candidates) {
    const t0 = performance.now();
    c.households = Number((await raw.all(c.q))[0].n);
    c.rawMs = performance.now() - t0;
  }
  const best = candidates.reduce((a, c) =>
    Math.abs(c.households - PLAN_TARGETS) < Math.abs(a.households - PLAN_TARGETS) ? c : a,
  );
  log(
    `  plan: rule ${JSON.stringify(best.rule)} → ${best.households} households (naive count ${best.rawMs.toFixed(0)} ms)`,
  );
  await quiet();
  const sampler = startSampler(app);
  const cpu = cpuMeter(
    app.pid,
    ownPids.filter((p) => p !== app.pid),
  );
  const win = { key: 'plan', t0: Date.now(), t1: null };
  windows.push(win);
  const t0 = performance.now();
  const res = await fetch(`${app.url}/api/v1/visit-plans`, {
    method: 'POST',
    headers: { ...auth.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ campaignId: CAMPAIGN, title: '基准测试走访计划', rules: [best.rule] }),
  });
  const plan = await res.json();
  const buildSeconds = (performance.now() - t0) / 1000;
  let conflictsSeconds = null;
  let conflicts = null;
  if (res.status === 201) {
    const t1 = performance.now();
    const c = await fetch(`${app.url}/api/v1/visit-plans/${plan.id}/conflicts`, { headers: auth.headers });
    const body = await c.json();
    conflictsSeconds = (performance.now() - t1) / 1000;
    conflicts = c.ok ? (body.total ?? body.items?.length ?? null) : `HTTP ${c.status}`;
  } else log(`  plan: HTTP ${res.status} ${JSON.stringify(plan).slice(0, 300)}`);
  win.t1 = Date.now();
  const s = { ...(await sampler.stop()), ...cpu() };
  win.res = {
    label: 'Target list from a rule (POST /visit-plans, then GET …/conflicts)',
    rule: best.rule,
    expectedTargets: best.households,
    naiveCountMs: best.rawMs,
    status: res.status,
    targets: plan.targetCount ?? null,
    buildSeconds,
    conflictsSeconds,
    conflicts,
    ...s,
  };
  log(
    `  plan: HTTP ${res.status}, ${plan.targetCount} targets in ${buildSeconds.toFixed(1)} s; conflicts ${conflicts} in ${conflictsSeconds?.toFixed(1)} s; RSS ${s.rssPeakMB.toFixed(0)} MB, lag max ${s.lagMaxMs?.toFixed(0)} ms`,
  );
  return win.res;
}

async function benchDialect(dialect) {
  windows.length = 0;
  const ds = await ensureDataset(dialect);
  const copy = await runCopy(dialect, ds);
  const raw = await openRaw(copy.url);
  const result = {
    dialect,
    n: N,
    quick,
    date: new Date().toISOString(),
    command: COMMAND,
    dataset: ds.meta,
    version: raw.version,
    settings: { duration: DURATION, warmup: WARMUP, concurrency: CONCURRENCY },
    scenarios: {},
    queries: {},
    slowSqlMs: SLOW_SQL_MS,
    notes: [],
  };
  let app;
  let ref;
  let importStart = null;
  try {
    if (runs('cold')) result.coldStart = await coldStart(dialect, copy, ds);
    if (ds.meta.note) result.notes.push(`Data set: ${ds.meta.note}.`);
    if (ds.meta.staleSchema)
      result.notes.push(
        `The data set was ${ds.meta.staleSchema} (\`--reuse-stale\`): the server applied the newer migrations at start.`,
      );
    if (dialect === 'sqlite') {
      const stat = await raw.all({ sql: "select count(*) as n from sqlite_master where name = 'sqlite_stat1'" });
      result.statBeforeRun = stat[0].n > 0;
    } else {
      result.notes.push(
        'PostgreSQL: `VACUUM (ANALYZE)` ran once after seeding (as autovacuum would after a bulk load).',
      );
    }
    const counts = await raw.all({ sql: 'select count(*) as n from beneficiaries' });
    result.rowsInDb = Number(counts[0].n);
    result.visitsInDb = Number((await raw.all({ sql: 'select count(*) as n from visits' }))[0].n);

    // the district of the benchmark user and its streets
    const [district] = await raw.all({
      sql: `select id, path, name from orgs where path = ?`,
      params: ['650200/650203/'],
    });
    const scopePath = district.path;
    const streets = await raw.all({
      sql: `select id, path, name from orgs where path >= ? and path < ? and depth = 2 order by path`,
      params: [scopePath, prefixEnd(scopePath)],
    });
    const sample = await raw.all({
      sql: `select id, household_id from beneficiaries where org_path >= ? and org_path < ? and status != 'merged' order by random() limit 1000`,
      params: [scopePath, prefixEnd(scopePath)],
    });

    // ---- raw, in-process: the same SQL 200 times, and its plan (before any server runs)
    log(`${dialect}: raw query timings (in-process, ${raw.version})`);
    const scenarios = listScenarios(scopePath, district.id);
    // (only for the scenarios that run: `--only import` need not wait minutes for the naive lists)
    for (const s of runs('list') ? scenarios : []) {
      const q = listSql(s.filter);
      const t = await timeRaw(raw, () => [q.page, q.count]);
      const matched = Number((await raw.all(q.count))[0].n);
      // the best bare statements of the same request (covering indexes, lib/sql.mjs bestListSql)
      const b = bestListSql(s.filter, 1, 20, dialect);
      const tb = await timeRaw(raw, () => [b.page, b.count]);
      const bestMatched = Number((await raw.all(b.count))[0].n);
      if (bestMatched !== matched) result.notes.push(`${s.key}: best SQL counts ${bestMatched} ≠ naive ${matched}.`);
      result.queries[s.key] = {
        label: s.label,
        matched,
        page: { sql: q.page.sql, params: q.page.params, plan: await raw.plan(q.page), ...t.per[0] },
        count: { sql: q.count.sql, params: q.count.params, plan: await raw.plan(q.count), ...t.per[1] },
        total: t.total,
        iterations: t.iterations,
        best: {
          page: { sql: b.page.sql, params: b.page.params, plan: await raw.plan(b.page), ...tb.per[0] },
          count: { sql: b.count.sql, params: b.count.params, plan: await raw.plan(b.count), ...tb.per[1] },
          total: tb.total,
          iterations: tb.iterations,
        },
      };
      log(
        `  ${s.key.padEnd(18)} matched ${matched}  page p50 ${t.per[0].p50.toFixed(2)} ms  count p50 ${t.per[1].p50.toFixed(2)} ms  (${t.iterations} it.); best: page ${tb.per[0].p50.toFixed(2)} ms, count ${tb.per[1].p50.toFixed(2)} ms`,
      );
    }
    if (runs('detail')) {
      const make = (i) => {
        const row = sample[i % sample.length];
        const d = detailSql(scopePath, row.id, row.household_id);
        return [d.get, d.assignments, d.household];
      };
      const t = await timeRaw(raw, make);
      const d0 = make(0);
      result.queries.detail = {
        label: 'Detail',
        matched: 1,
        page: { sql: d0[0].sql, params: d0[0].params, plan: await raw.plan(d0[0]), ...t.per[0] },
        total: t.total,
        iterations: t.iterations,
      };
      log(`  detail             get+assignments+household p50 ${t.total.p50.toFixed(2)} ms`);
    }
    // the visits dashboard (走访覆盖) and the not-yet-visited list, naive SQL over 5·10^6 visits
    const visitQueries = {
      coverage_district: ['Visit coverage dashboard, district (klmy)', coverageSql(CAMPAIGN, scopePath)],
      coverage_city: ['Visit coverage dashboard, whole city (city)', coverageSql(CAMPAIGN, null)],
      unvisited: ['Not yet visited, district (priority order, page 20, total)', unvisitedSql(CAMPAIGN, scopePath)],
    };
    for (const [key, [label, q]] of runs('visits') ? Object.entries(visitQueries) : []) {
      const stmts = q.count ? [q.page, q.count] : [q.page];
      // the naive dashboard takes tens of seconds per run at full size (synchronous on SQLite):
      // one timed run, more only when it is quick; the whole city is not run when the district
      // alone took more than NAIVE_CAP_MS (it reads every target and visit of the city)
      const district = result.queries.coverage_district?.total.p50;
      if (key === 'coverage_city' && district > NAIVE_CAP_MS) {
        result.queries[key] = {
          label,
          matched: null,
          skipped: `not run: the district's naive query alone took ${(district / 1000).toFixed(0)} s`,
          page: { sql: q.page.sql, params: q.page.params, plan: await raw.plan(q.page), p50: null, p95: null },
          total: { p50: null, p95: null },
          iterations: 0,
        };
        log(`  ${key.padEnd(18)} ${result.queries[key].skipped}`);
        continue;
      }
      const t0 = performance.now();
      const first = await raw.all(q.page);
      const firstMs = performance.now() - t0;
      const matched = q.count
        ? Number((await raw.all(q.count))[0].n)
        : first.reduce((n, r) => n + Number(r.planned), 0);
      const t =
        firstMs > NAIVE_CAP_MS
          ? {
              iterations: 1,
              per: [{ p50: firstMs, p95: firstMs }],
              total: { p50: firstMs, p95: firstMs },
            }
          : await timeRaw(raw, () => stmts, { iterations: 10, maxMs: 10_000, warmup: 0 });
      result.queries[key] = {
        label,
        matched,
        page: { sql: q.page.sql, params: q.page.params, plan: await raw.plan(q.page), ...t.per[0] },
        ...(q.count
          ? { count: { sql: q.count.sql, params: q.count.params, plan: await raw.plan(q.count), ...t.per[1] } }
          : {}),
        total: t.total,
        iterations: t.iterations,
      };
      log(`  ${key.padEnd(18)} matched ${matched}  p50 ${t.total.p50.toFixed(1)} ms  (${t.iterations} it.)`);
    }

    // ---- servers
    app = await startApp(dialect, copy, ds);
    ref = await startReference(dialect, copy);
    ownPids.splice(0, ownPids.length, app.pid, ref.pid);
    const auth = await login(app.url);
    const tree = await (await fetch(`${app.url}/api/v1/orgs/tree`, { headers: auth.headers })).json();
    const districtOrg = tree.items.find((o) => o.path === scopePath);
    if (!districtOrg) throw new Error('district org not found in /orgs/tree');
    result.baselineRssMB = memOf(app.pid).rss / 2 ** 20;
    result.baselineAnonMB = memOf(app.pid).anon / 2 ** 20;
    const C = CONCURRENCY;
    /**
     * Load for a server whose request takes about `est` ms alone (the platform: its single-connection
     * p50; the reference: the naive SQL in-process): a slow one gets fewer connections (and a shorter
     * run above 1 s) so that draining the queue does not take minutes.
     */
    const plan = (est, what) => {
      if (!(est > SLOW_MS)) return { concurrency: C, durationSec: DURATION, reduced: null };
      const concurrency = Math.min(C, 4);
      const durationSec = est > 1000 ? Math.min(DURATION, 15) : DURATION;
      return {
        concurrency,
        durationSec,
        reduced: `${what} p50 ${est.toFixed(0)} ms > ${SLOW_MS} ms: ${concurrency} connections${durationSec !== DURATION ? `, ${durationSec} s` : ''}`,
      };
    };
    const refPlan = (key) => plan(result.queries[key]?.total.p50 ?? 0, 'naive SQL in-process');
    const appPlan = (single) => plan(single?.latencyMs?.p50 ?? 0, 'platform, one connection,');

    // the login page in headless Chromium, before any load (the page does not touch the database)
    if (!runs('login')) log('  login page: not measured (--only)');
    else if (fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
      await quiet();
      try {
        result.loginPage = await measureLoginPage(app.url, { runs: quick ? 3 : 7 });
      } catch (e) {
        result.notes.push(`Login page not measured: ${e.message.split('\n')[0]}`);
      }
      if (result.loginPage)
        log(
          `  login page: first contentful paint median ${result.loginPage.fcpMedianMs?.toFixed(0)} ms (max ${result.loginPage.fcpMaxMs?.toFixed(0)}), JS ${(result.loginPage.jsGzipBytes / 1024).toFixed(0)} KB gzip in ${result.loginPage.scripts.length} files`,
        );
    } else result.notes.push('Login page not measured: Chromium is not installed (apt-get install -y chromium).');

    log(`${dialect}: load scenarios (${C} connections, ${DURATION} s each after ${WARMUP} s warm-up)`);
    // login: scrypt (2^15) on the libuv pool dominates
    if (runs('login'))
      result.scenarios.login = {
        label: 'Login (scrypt 2^15)',
        app: await load(
          app,
          {
            concurrency: C,
            durationSec: DURATION,
            uniqueForwardedFor: true,
            requests: [{ method: 'POST', path: '/api/v1/auth/login', body: { username: USER, password: PASSWORD } }],
          },
          'login',
          'login',
        ),
      };

    for (const s of runs('list') ? scenarios : []) {
      const checkWindow = { key: s.key, t0: Date.now(), t1: null };
      windows.push(checkWindow);
      const check = await (await fetch(`${app.url}/api/v1/beneficiaries?${s.query}`, { headers: auth.headers })).json();
      checkWindow.t1 = Date.now();
      const refQuery = new URLSearchParams(
        Object.fromEntries(
          Object.entries({ ...s.filter, page: 1, pageSize: 20 })
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      ).toString();
      const refCheck = await (await fetch(`${ref.url}/list?${refQuery}`)).json();
      const bestCheck = await (await fetch(`${ref.url}/list?${refQuery}&best=1`)).json();
      const request = [{ path: `/api/v1/beneficiaries?${s.query}` }];
      // one connection first: the latency of a request that does not queue behind others
      const app1 = await load(
        app,
        { concurrency: 1, durationSec: SINGLE_DURATION, headers: { cookie: auth.cookie }, requests: request },
        `${s.key} (platform, 1 conn.)`,
        s.key,
      );
      const pa = appPlan(app1);
      const pr = refPlan(s.key);
      const pb = plan(result.queries[s.key]?.best?.total.p50 ?? 0, 'best SQL in-process');
      for (const [who, p] of [
        ['platform', pa],
        ['reference', pr],
        ['best bare', pb],
      ])
        if (p.reduced) log(`  ${s.key} (${who}): reduced load — ${p.reduced}`);
      const entry = {
        label: s.label,
        query: s.query,
        apiTotal: check.total,
        refTotal: refCheck.total,
        reduced: pa.reduced,
        refReduced: pr.reduced,
        app1,
        app: await load(
          app,
          { ...pa, headers: { cookie: auth.cookie }, requests: request },
          `${s.key} (platform)`,
          s.key,
        ),
        ref: await load(ref, { ...pr, requests: [{ path: `/list?${refQuery}` }] }, `${s.key} (reference)`),
        // the best bare handler: same page + exact COUNT on the covering indexes (issue 15 item 5)
        bestTotal: bestCheck.total,
        bestReduced: pb.reduced,
        best: await load(ref, { ...pb, requests: [{ path: `/list?${refQuery}&best=1` }] }, `${s.key} (best bare)`),
      };
      if (check.totalCapped)
        result.notes.push(
          `${s.key}: the platform counts this filter up to ${check.total} (\`totalCapped\`, "${check.total}+"; decisions/0029); the references count all ${refCheck.total}.`,
        );
      else if (check.total !== refCheck.total)
        result.notes.push(`${s.key}: API total ${check.total} ≠ reference total ${refCheck.total}.`);
      if (!check.totalCapped && check.total !== bestCheck.total)
        result.notes.push(`${s.key}: API total ${check.total} ≠ best bare total ${bestCheck.total}.`);
      result.scenarios[s.key] = entry;
    }

    if (runs('detail')) {
      const requests = sample.map((r) => ({ path: `/api/v1/beneficiaries/${r.id}` }));
      const app1 = await load(
        app,
        { concurrency: 1, durationSec: SINGLE_DURATION, headers: { cookie: auth.cookie }, requests },
        'detail (platform, 1 conn.)',
        'detail',
      );
      const pa = appPlan(app1);
      const pr = refPlan('detail');
      result.scenarios.detail = {
        label: 'Detail (GET /beneficiaries/:id, 1000 random ids of the district)',
        reduced: pa.reduced,
        refReduced: pr.reduced,
        app1,
        app: await load(app, { ...pa, headers: { cookie: auth.cookie }, requests }, 'detail (platform)', 'detail'),
        ref: await load(
          ref,
          {
            ...pr,
            requests: sample.map((r) => ({ path: `/detail/${r.id}?scopePath=${encodeURIComponent(scopePath)}` })),
          },
          'detail (reference)',
        ),
      };
    }

    if (runs('mixed')) {
      // mixed reads: list, the three searches and four details, round-robin; its load is set by the
      // slowest of these requests on one connection
      const reqs = [];
      for (let i = 0; i < 200; i++) {
        if (i % 8 < 4) reqs.push({ path: `/api/v1/beneficiaries?${scenarios[i % 4].query}` });
        else reqs.push({ path: `/api/v1/beneficiaries/${sample[i % sample.length].id}` });
      }
      const slowest = Math.max(
        ...['list', 'search_surname', 'search_substring', 'search_initials', 'detail'].map(
          (k) => result.scenarios[k]?.app1?.latencyMs?.p50 ?? 0,
        ),
      );
      const pm = plan(slowest, 'slowest request on one connection');
      if (pm.reduced) log(`  mixed: reduced load — ${pm.reduced}`);
      result.scenarios.mixed = {
        label: 'Mixed reads (list, 3 searches, 4 details round-robin)',
        reduced: pm.reduced,
        app: await load(
          app,
          { ...pm, headers: { cookie: auth.cookie }, requests: reqs },
          'mixed reads (platform)',
          'mixed',
        ),
      };
    }

    // ---- visits: coverage dashboards and the not-yet-visited list, platform vs naive reference
    if (runs('visits')) {
      const cityAuth = await login(app.url, 'city');
      const enc = encodeURIComponent;
      const visitScenarios = [
        {
          key: 'coverage_district',
          auth,
          path: `/api/v1/visit-coverage?campaignId=${CAMPAIGN}`,
          refPath: `/coverage?campaignId=${CAMPAIGN}&scopePath=${enc(scopePath)}`,
        },
        {
          key: 'coverage_city',
          auth: cityAuth,
          path: `/api/v1/visit-coverage?campaignId=${CAMPAIGN}`,
          refPath: `/coverage?campaignId=${CAMPAIGN}`,
        },
        {
          key: 'unvisited',
          auth,
          path: `/api/v1/visit-coverage/unvisited?campaignId=${CAMPAIGN}&pageSize=20`,
          refPath: `/unvisited?campaignId=${CAMPAIGN}&scopePath=${enc(scopePath)}`,
        },
      ];
      for (const v of visitScenarios) {
        const check = await (await fetch(`${app.url}${v.path}`, { headers: v.auth.headers })).json();
        // a reference whose single request takes longer than NAIVE_CAP_MS is not put under load
        // (its queue would take many minutes to drain); its in-process time stands for it
        const naive = result.queries[v.key]?.total.p50;
        const loadRef = naive != null && naive <= NAIVE_CAP_MS;
        const refCheck = loadRef ? await (await fetch(`${ref.url}${v.refPath}`)).json() : {};
        const headers = { cookie: v.auth.cookie };
        const app1 = await load(
          app,
          { concurrency: 1, durationSec: SINGLE_DURATION, headers, requests: [{ path: v.path }] },
          `${v.key} (platform, 1 conn.)`,
          v.key,
        );
        const pa = appPlan(app1);
        const pr = refPlan(v.key);
        result.scenarios[v.key] = {
          label: result.queries[v.key].label,
          apiTotal: check.total?.planned ?? check.total,
          refTotal: refCheck.planned ?? refCheck.total,
          reduced: pa.reduced,
          refReduced: pr.reduced,
          app1,
          app: await load(app, { ...pa, headers, requests: [{ path: v.path }] }, `${v.key} (platform)`, v.key),
          ref: loadRef ? await load(ref, { ...pr, requests: [{ path: v.refPath }] }, `${v.key} (reference)`) : null,
        };
        const s = result.scenarios[v.key];
        if (!loadRef) {
          s.refReduced = null;
          result.notes.push(
            `${v.key}: the reference was not put under load — ${naive == null ? result.queries[v.key]?.skipped : `one naive request takes ${(naive / 1000).toFixed(0)} s in-process`}.`,
          );
        } else if (s.apiTotal !== s.refTotal)
          result.notes.push(`${v.key}: API figure ${s.apiTotal} ≠ reference figure ${s.refTotal}.`);
      }
    }

    // ---- a target list of ~PLAN_TARGETS households built from a saved rule (POST /visit-plans)
    if (runs('plan')) result.scenarios.plan = await planBuild(app, auth, raw, scopePath);

    // ---- export: the filter of the district whose size is closest to EXPORT_ROWS
    if (runs('export')) {
      const candidates = [
        { filters: {}, f: { scopePath } },
        { filters: { status: 'active' }, f: { scopePath, status: 'active' } },
        { filters: { category: 'veteran' }, f: { scopePath, category: 'veteran' } },
        { filters: { category: 'veteran', status: 'active' }, f: { scopePath, category: 'veteran', status: 'active' } },
        ...streets.flatMap((st) => [
          { filters: { orgId: st.id }, f: { scopePath, orgPath: st.path }, name: st.name },
          {
            filters: { orgId: st.id, status: 'active' },
            f: { scopePath, orgPath: st.path, status: 'active' },
            name: st.name,
          },
        ]),
      ];
      // --export-user city: the whole city's file, downloaded by the city user (issue 15's 10^5 rows at N = 10^5)
      const exportAuth = opt['export-user'] ? await login(app.url, opt['export-user']) : auth;
      if (opt['export-user']) {
        const scope = exportAuth.me.user?.scopePath ?? exportAuth.me.scopePath ?? '650200/';
        candidates.splice(0, candidates.length, { filters: {}, f: { scopePath: scope }, name: opt['export-user'] });
      }
      for (const c of candidates) c.rows = Number((await raw.all(listSql(c.f).count))[0].n);
      const best = candidates.reduce((a, c) =>
        Math.abs(c.rows - EXPORT_ROWS) < Math.abs(a.rows - EXPORT_ROWS) ? c : a,
      );
      log(
        `${dialect}: export of ${best.rows} rows (filters ${JSON.stringify(best.filters)}${best.name ? ` = ${best.name}` : ''})`,
      );
      const file = path.join(DATA, 'run', `export-${dialect}.xlsx`);
      await quiet();
      const sampler = startSampler(app);
      const cpu = cpuMeter(app.pid, [ref.pid]);
      const win = { key: 'export', t0: Date.now(), t1: null };
      windows.push(win);
      const t0 = performance.now();
      const res = await fetch(`${app.url}/api/v1/beneficiaries/export`, {
        method: 'POST',
        headers: { ...exportAuth.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ filters: best.filters }),
      });
      let bytes = 0;
      let firstByteMs = null;
      const out = fs.createWriteStream(file);
      for await (const chunk of res.body) {
        firstByteMs ??= performance.now() - t0;
        bytes += chunk.length;
        if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      await new Promise((r) => out.end(r));
      const seconds = (performance.now() - t0) / 1000;
      win.t1 = Date.now();
      const s = { ...(await sampler.stop()), ...cpu() };
      const rows = res.ok ? await countXlsxRows(file) : 0;
      win.res = result.scenarios.export = {
        label: 'Export (streaming xlsx)',
        status: res.status,
        filters: best.filters,
        filterName: best.name ?? null,
        expectedRows: best.rows,
        rows,
        bytes,
        firstByteMs,
        seconds,
        ...s,
      };
      log(
        `  export: HTTP ${res.status}, ${rows}/${best.rows} rows, ${(bytes / 2 ** 20).toFixed(1)} MB in ${seconds.toFixed(1)} s, RSS ${s.rssPeakMB.toFixed(0)} MB, lag p99 ${s.lagP99Ms?.toFixed(1)} max ${s.lagMaxMs?.toFixed(1)} ms`,
      );
      fs.rmSync(file, { force: true });
    }

    // the slow statements so far, planned and rerun before the import changes the data
    result.slowSql = await analyseTrace(app.traceFile, raw, { until: Date.now() });
    importStart = Date.now();

    // ---- import: upload + validate, then commit
    if (runs('import')) {
      const file = path.join(DATA, `import-${IMPORT_ROWS}.xlsx`);
      const t = performance.now();
      const made = await ensureImportFile(file, IMPORT_ROWS);
      if (!made.reused)
        log(`  import file: ${IMPORT_ROWS} rows written in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const data = fs.readFileSync(file);
      const before = Number(
        (await raw.all({ sql: "select count(*) as n from beneficiaries where birth_date < '1920-01-01'" }))[0].n,
      );
      await quiet();
      const sampler = startSampler(app);
      const cpu = cpuMeter(app.pid, [ref.pid]);
      const win = { key: 'import', t0: Date.now(), t1: null };
      windows.push(win);
      const t0 = performance.now();
      const up = await fetch(
        `${app.url}/api/v1/beneficiaries/imports?orgId=${districtOrg.id}&fileName=bench-import.xlsx`,
        {
          method: 'POST',
          headers: { ...auth.headers, 'content-type': 'application/octet-stream' },
          body: data,
        },
      );
      const upJob = await up.json();
      const uploadSeconds = (performance.now() - t0) / 1000;
      let validated = null;
      let done = null;
      let validateSeconds = null;
      let commitSeconds = null;
      if (up.status === 202) {
        validated = await pollJob(app, auth, upJob.id, ['validated']);
        validateSeconds = (performance.now() - t0) / 1000;
        if (validated.status === 'validated') {
          const t1 = performance.now();
          const c = await fetch(`${app.url}/api/v1/jobs/${upJob.id}/commit`, { method: 'POST', headers: auth.headers });
          if (c.status !== 202) log(`  commit: HTTP ${c.status} ${await c.text()}`);
          done = await pollJob(app, auth, upJob.id, ['succeeded']);
          commitSeconds = (performance.now() - t1) / 1000;
        }
      } else log(`  import upload: HTTP ${up.status} ${JSON.stringify(upJob).slice(0, 300)}`);
      win.t1 = Date.now();
      const s = { ...(await sampler.stop()), ...cpu() };
      const after = Number(
        (await raw.all({ sql: "select count(*) as n from beneficiaries where birth_date < '1920-01-01'" }))[0].n,
      );
      const summary = (j) =>
        j?.result ? Object.fromEntries(Object.entries(j.result).filter(([k]) => k !== 'errors')) : null;
      win.res = result.scenarios.import = {
        label: 'Import (xlsx: 姓名, 身份证号, 类别, 手机)',
        rows: IMPORT_ROWS,
        fileBytes: data.length,
        uploadStatus: up.status,
        uploadSeconds,
        validateSeconds,
        commitSeconds,
        seconds: validateSeconds != null && commitSeconds != null ? validateSeconds + commitSeconds : null,
        validateStatus: validated?.status ?? null,
        finalStatus: done?.status ?? validated?.status ?? null,
        validateResult: summary(validated),
        result: summary(done),
        error: done?.error ?? validated?.error ?? null,
        firstErrors: (done ?? validated)?.result?.errors?.slice(0, 3) ?? [],
        insertedRows: after - before,
        ...s,
      };
      log(
        `  import: ${IMPORT_ROWS} rows: validate ${validateSeconds?.toFixed(1)} s, commit ${commitSeconds?.toFixed(1)} s, status ${done?.status ?? validated?.status}, inserted ${after - before}, RSS ${s.rssPeakMB.toFixed(0)} MB, lag p99 ${s.lagP99Ms?.toFixed(1)} max ${s.lagMaxMs?.toFixed(1)} ms`,
      );
    }
  } finally {
    await stop(app?.child);
    await stop(ref?.child);
    if (app?.traceFile) {
      try {
        attachSqlTotals(`${app.traceFile}.totals`);
        if (importStart != null) {
          const more = await analyseTrace(app.traceFile, raw, { since: importStart, top: 6 });
          result.slowSql = [...(result.slowSql ?? []), ...more].sort((a, b) => b.totalMs - a.totalMs);
        }
        if (dialect === 'sqlite') {
          const stat = await raw.all({ sql: "select count(*) as n from sqlite_master where name = 'sqlite_stat1'" });
          result.statAfterRun = stat[0].n > 0;
          if (result.slowSql?.length) await analyzeExperiment(result.slowSql, raw);
        }
      } catch (e) {
        log(`${dialect}: SQL trace analysis failed: ${e.message}`);
      }
    }
    await raw.close();
    if (!opt.keep) await copy.drop();
  }
  return result;
}

// ---------------------------------------------------------------- main

function machine() {
  const cpu = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model;
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc').toString().trim());
  } catch {}
  return { cpu, nproc, memGiB: os.totalmem() / 2 ** 30, node: process.version, kernel: os.release() };
}

const results = {};
if (!opt['report-only']) build();
const SCHEMA_HASH = schemaHash();
if (opt['seed-only']) {
  for (const d of DIALECTS) await ensureDataset(d);
  process.exit(0);
}
for (const d of opt['report-only'] ? [] : DIALECTS) {
  log(`==== ${d}, ${N} persons`);
  results[d] = await benchDialect(d);
  fs.mkdirSync(path.join(DATA, 'results'), { recursive: true });
  fs.writeFileSync(
    path.join(DATA, 'results', `${d}-${N}${quick ? '-quick' : ''}.json`),
    JSON.stringify(results[d], null, 2),
  );
}
// a dialect not run this time keeps its last figures from the same N (marked with their date)
for (const d of ['sqlite', 'postgres']) {
  if (results[d]) continue;
  const f = path.join(DATA, 'results', `${d}-${N}${quick ? '-quick' : ''}.json`);
  // --report-only rewrites the report of the saved run as it was; otherwise an older run is marked
  if (fs.existsSync(f)) results[d] = { ...JSON.parse(fs.readFileSync(f, 'utf8')), previous: !opt['report-only'] };
}
writeReport(OUT, {
  machine: machine(),
  results,
  command: opt['report-only'] ? (Object.values(results)[0]?.command ?? COMMAND) : COMMAND,
  n: N,
  quick,
  importRows: IMPORT_ROWS,
  exportRows: EXPORT_ROWS,
});
log(`report written to ${path.relative(ROOT, OUT)}; logs in ${path.relative(ROOT, LOGDIR)}`);
process.exit(0);
