// Preloaded into the server under test by bench/run.mjs (`node --require bench/lib/sql-trace.cjs`):
// times every SQL statement the platform executes — better-sqlite3 Statement#all/get/run and
// pg Client#query — and appends the slow ones (≥ BENCH_SQL_SLOW_MS, default 20) to the JSON-lines
// file BENCH_SQL_TRACE: { t, ms, sql, params }; the running count and time of all statements and
// the event-loop delays go to BENCH_SQL_TRACE.totals every 500 ms (below). The server code is not
// changed; the cost is two performance.now() calls per statement and a 10 ms interval timer.
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { performance } = require('node:perf_hooks');

// worker threads inherit --require: only the server's main thread is traced (the SQLite
// checkpointer's and the thumbnail worker's loops are not the event loop the targets are about,
// and their own counters would interleave with the main thread's in the totals file)
const { isMainThread } = require('node:worker_threads');
const file = isMainThread ? process.env.BENCH_SQL_TRACE : undefined;
const slowMs = Number(process.env.BENCH_SQL_SLOW_MS ?? 20);
// resolve the drivers the way the server bundle does: from the repository's node_modules
const req = createRequire(path.join(process.env.BENCH_REPO_ROOT ?? process.cwd(), 'package.json'));

const MAX_SQL = 1500;
const MAX_PARAMS = 40;
const short = (params) => {
  const all = (Array.isArray(params) ? params : params === undefined ? [] : [params]).flat();
  const out = all
    .slice(0, MAX_PARAMS)
    .map((p) =>
      typeof p === 'string' && p.length > 200 ? `${p.slice(0, 200)}…` : Buffer.isBuffer(p) ? '<buffer>' : p,
    );
  if (all.length > MAX_PARAMS) out.push(`… ${all.length} parameters`);
  return out;
};
// a multi-row INSERT is one statement shape whatever its row count
const shortSql = (sql) => (sql && sql.length > MAX_SQL ? `${sql.slice(0, MAX_SQL)} … (${sql.length} characters)` : sql);

// Every statement is counted, and the event loop's delay is sampled by a 10 ms interval timer (the
// time between two ticks minus 10 ms: a block shows up on the first tick after it, whatever other
// callbacks run first). Twice a second the running totals and the delays of the ticks since the
// previous line go to BENCH_SQL_TRACE.totals: { t, n, ms, el: [delay ms, …] }.
let count = 0;
let totalMs = 0;
if (file) {
  const totals = `${file}.totals`;
  const TICK = 10;
  let last = performance.now();
  let lastFlush = last;
  let delays = [];
  setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, Math.round((now - last - TICK) * 10) / 10));
    last = now;
    if (now - lastFlush < 500) return;
    lastFlush = now;
    try {
      fs.appendFileSync(totals, `${JSON.stringify({ t: Date.now(), n: count, ms: totalMs, el: delays })}\n`);
    } catch {}
    delays = [];
  }, TICK).unref();
}

function record(sql, params, ms) {
  count++;
  totalMs += ms;
  if (!file || ms < slowMs) return;
  try {
    fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), ms, sql: shortSql(sql), params: short(params) })}\n`);
  } catch {}
}

try {
  const Database = req('better-sqlite3');
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1'));
  probe.close();
  for (const m of ['all', 'get', 'run']) {
    const orig = proto[m];
    proto[m] = function traced(...args) {
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        record(this.source, args, performance.now() - t0);
      }
    };
  }
} catch {}

try {
  const pg = req('pg');
  const orig = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(config, values, cb) {
    const t0 = performance.now();
    const out = orig.call(this, config, values, cb);
    if (out && typeof out.then === 'function') {
      const text = typeof config === 'string' ? config : config?.text;
      const params = Array.isArray(values) ? values : config?.values;
      out.then(
        () => record(text, params, performance.now() - t0),
        () => {},
      );
    }
    return out;
  };
} catch {}
