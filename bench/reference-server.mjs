#!/usr/bin/env node
// Reference for the list/search/detail scenarios: a bare Fastify handler executing the same SQL as the
// registry repository (bench/lib/sql.mjs) on the same database — no sessions, scope resolution,
// validation, audit or response schema. Started by bench/run.mjs as its own process.
//
//   node bench/reference-server.mjs --db sqlite:/path/file.db|postgres://… --port P [--host H]
//
// GET /list?scopePath=&status=&orgPath=&category=&han=&latin=&page=&pageSize=  → { items, total }
//   (&best=1: the best bare statements, each on the covering index that serves it — lib/sql.mjs bestListSql)
// GET /detail/:id?scopePath=                                                  → row + assignments + household
// GET /coverage?campaignId=&scopePath=                                       → naive coverage groups
// GET /unvisited?campaignId=&scopePath=                                      → { items, total }
// GET /stats → { rss, delays: [event-loop delay ms of each 10 ms tick since the previous call] }
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { openSqlite } from './lib/db.mjs';
import { bestListSql, coverageSql, detailSql, listSql, toListItem, toPg, unvisitedSql } from './lib/sql.mjs';

const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
const url = values.db;
if (!url) throw new Error('--db required');

const dialect = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
let run; // (stmts: {sql, params}[], parallel) => rows[][]
let close;
if (url.startsWith('sqlite:')) {
  // the same pragmas as the platform (lib/db.mjs)
  const { db, prep } = openSqlite(url.slice('sqlite:'.length));
  run = async (stmts) => stmts.map((q) => prep(q.sql).all(...q.params));
  close = async () => db.close();
} else {
  const { default: pg } = await import('pg');
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 10 }); // the app's pool size
  run = async (stmts, parallel = true) => {
    if (parallel) return Promise.all(stmts.map((q) => pool.query(toPg(q.sql), q.params).then((r) => r.rows)));
    const out = [];
    for (const q of stmts) out.push((await pool.query(toPg(q.sql), q.params)).rows);
    return out;
  };
  close = () => pool.end();
}

// event-loop delay as the platform's trace measures it (lib/sql-trace.cjs): a 10 ms interval timer,
// delay = time between ticks − 10 ms; /stats hands over the delays since the previous call
let delays = [];
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  delays.push(Math.max(0, Math.round((now - last - 10) * 10) / 10));
  last = now;
}, 10).unref();

const app = Fastify({ logger: false });

app.get('/list', async (req) => {
  const q = req.query;
  const f = {
    scopePath: q.scopePath,
    status: q.status || undefined,
    orgPath: q.orgPath || undefined,
    category: q.category || undefined,
    han: q.han || undefined,
    latin: q.latin || undefined,
  };
  const { page, count } = (q.best === '1' ? bestListSql : listSql)(
    f,
    Number(q.page ?? 1),
    Number(q.pageSize ?? 20),
    dialect,
  );
  const [rows, n] = await run([page, count]);
  return { items: rows.map(toListItem), total: Number(n[0].n), page: Number(q.page ?? 1), pageSize: rows.length };
});

app.get('/detail/:id', async (req, reply) => {
  const s = detailSql(req.query.scopePath, req.params.id, null);
  const [[row]] = await run([s.get]);
  if (!row) return reply.code(404).send({ error: 'not found' });
  const d = detailSql(req.query.scopePath, req.params.id, row.household_id);
  const [assignments, households] = await run([d.assignments, d.household]);
  return { ...toListItem(row), addressMasked: row.address_masked, assignments, household: households[0] ?? null };
});

app.get('/coverage', async (req) => {
  const [rows] = await run([coverageSql(req.query.campaignId, req.query.scopePath || null).page]);
  return { rows: rows.length, planned: rows.reduce((n, r) => n + Number(r.planned), 0), items: rows };
});

app.get('/unvisited', async (req) => {
  const q = unvisitedSql(req.query.campaignId, req.query.scopePath);
  const [rows, n] = await run([q.page, q.count]);
  return { items: rows, total: Number(n[0].n) };
});

app.get('/stats', async () => {
  const out = { rss: process.memoryUsage.rss(), delays };
  delays = [];
  return out;
});

for (const sig of ['SIGINT', 'SIGTERM'])
  process.once(sig, async () => {
    await app.close();
    await close();
    process.exit(0);
  });

await app.listen({ port: Number(values.port ?? 0), host: values.host });
process.stdout.write(`reference listening ${app.server.address().port}\n`);
