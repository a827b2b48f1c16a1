// npm run bench:reconcile -- [--n 100000] [--months 12] [--db sqlite|postgres|both] [--fresh] [--setup-only]
// Issue 21's reconciliation benchmark: N synthetic persons, a standard for every category (so
// nearly all active persons are paid), one released roster per district and month for `months`
// months, and for each the bank's return file (CSV with ID and account numbers, a few planted
// errors). The files are written first; the figure is the time from queuing the first
// reconciliation job to the last one done (jobs run one after another, as in the server), with
// the process's CPU time, peak RSS and the longest event-loop stall (monitorEventLoopDelay, 10 ms
// resolution) over that time. Writes its section of docs/benchmarks.md (between the reconcile
// markers). The data set (database, rosters, files) is built once per N, months and dialect and
// cached under /tmp/shuangyong-bench-cache (bench/lib/platform.ts); --fresh rebuilds it.
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CATEGORY_BY_CODE, CATEGORY_CODES, fenToYuanText, monthsBetween } from '@shuangyong/shared';
import { benefitsRepo } from '../packages/server/src/modules/benefits/benefits.repo.js';
import { SYSTEM_SCOPE } from '../packages/server/src/platform/access/scope.js';
import { refreshStatistics } from '../packages/server/src/platform/db/index.js';
import { type Dialect, machine, openBenefits, seedBenefits, writeSection } from './lib/benefits.js';
import { cachedPlatform } from './lib/platform.js';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    months: { type: 'string', default: '12' },
    db: { type: 'string', default: 'both' },
    /** Rebuilds the cached data set (seeded database, rosters, return files) instead of reusing it. */
    fresh: { type: 'boolean', default: false },
    /** Only builds (or finds) the cached data set; reconciles nothing and writes no report. */
    'setup-only': { type: 'boolean', default: false },
    /** Writes a CPU profile of the reconciliation (main thread) to this file. */
    'cpu-prof': { type: 'string' },
  },
});
const N = Number(opt.n);

/**
 * The process's anonymous resident memory (Linux, /proc/self/status RssAnon), in bytes: RSS without
 * the pages of files mapped in — SQLite maps the database (mmap_size, on the writer and on each
 * reader), so RSS counts the database's pages read as the process's own.
 */
function rssAnon() {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
const MONTHS = monthsBetween('2025-01', '2025-12').slice(0, Number(opt.months));
/** Every PLANT-th person of a file is paid 1 yuan short (an `underpaid` finding each). */
const PLANT = 1000;

/** What the cached data set holds besides the database (bench/lib/platform.ts, cachedPlatform). */
interface Manifest {
  files: { rosterId: string; name: string; planted: number }[];
  lines: number;
  persons: number;
  seedS: number;
  prepS: number;
}

/**
 * Seeds N persons and the standards, makes and releases the rosters (the server's createRoster,
 * set-wise per district and month) and writes their return files into `dir` (not timed; ID
 * numbers are opened once for all months).
 */
async function build(dialect: Dialect, p: Parameters<typeof seedBenefits>[0], dir: string): Promise<Manifest> {
  const { benefits, registry, ctx, districts, seedS } = await seedBenefits(p, {
    dialect,
    n: N,
    standards: CATEGORY_CODES.map((category) => ({
      benefitType: category === 'serving_member_family' ? 'conscript_family' : 'living_allowance',
      category,
      amountFen: 100_000 + category.length * 1_000,
      ...(CATEGORY_BY_CODE[category].requiresDisabilityGrade ? { gradeMin: 1, gradeMax: 10 } : {}),
    })),
  });
  process.stderr.write(`seeded in ${seedS.toFixed(0)} s; building rosters and files\n`);
  const t0 = performance.now();
  const files: Manifest['files'] = [];
  const ids = new Map<string, string>();
  let lines = 0;
  for (const month of MONTHS)
    for (const d of districts) {
      const r = await benefits.createRoster(ctx, { orgId: d.id, period: month });
      if (!r.lineCount) continue;
      await p.handle.db.updateTable('benefit_rosters').set({ status: 'released' }).where('id', '=', r.id).execute();
      const persons = await benefitsRepo.rosterPersons(p.handle.db, SYSTEM_SCOPE, r.id);
      const unknown = persons.map((x) => x.beneficiary_id).filter((id) => !ids.has(id));
      for (const [id, no] of await registry.openIdNumbers(unknown)) ids.set(id, no);
      let planted = 0;
      const out = ['序号,姓名,身份证号,银行账号,金额（元）,发放结果'];
      persons.forEach((x, i) => {
        const short = i % PLANT === PLANT - 1;
        if (short) planted++;
        out.push(
          `${i + 1},${x.name},${ids.get(x.beneficiary_id)},62284800${String(i).padStart(11, '0')},${fenToYuanText(short ? x.fen - 100 : x.fen)},成功`,
        );
      });
      const name = `${r.id}.csv`;
      fs.writeFileSync(path.join(dir, name), out.join('\n'), { mode: 0o600 });
      files.push({ rosterId: r.id, name, planted });
      lines += persons.length;
    }
  const prepS = (performance.now() - t0) / 1000;
  const persons = Number(
    (
      await p.handle.db
        .selectFrom('benefit_roster_lines')
        .select((eb) => eb.fn.count('beneficiary_id').distinct().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { files, lines, persons, seedS, prepS };
}

async function run(dialect: Dialect) {
  const cache = await cachedPlatform(dialect, 'reconcile', `reconcile-n${N}-m${MONTHS.length}`, opt.fresh, (p, dir) =>
    build(dialect, p, dir),
  );
  const { manifest } = cache;
  process.stderr.write(
    cache.cached
      ? `cached data set ${cache.dir} (copied in ${cache.copyS.toFixed(1)} s)\n`
      : `data set built into ${cache.dir}\n`,
  );
  // the start-up statistics refresh (PRAGMA optimize, in the checkpoint worker) holds SQLite's write
  // lock while it analyses the copied tables: let it finish before the timed part, as a server
  // started some time before
  await refreshStatistics(cache.p.handle);
  if (opt['setup-only']) {
    await cache.close();
    return null;
  }
  const b = { ...(await openBenefits(cache.p)), close: cache.close };
  const { mctx, benefits, ctx } = b;
  try {
    const files = manifest.files.map((f) => ({ ...f, file: path.join(cache.dir, f.name) }));
    const { lines, persons: distinctPersons } = manifest;
    process.stderr.write(`${files.length} files, ${lines} lines; reconciling\n`);
    // the reconciliation: every file queued as a job, timed until the runner is idle
    global.gc?.();
    const h = monitorEventLoopDelay({ resolution: 10 });
    const rssStart = process.memoryUsage.rss();
    let peakRss = rssStart;
    const anonStart = rssAnon();
    let peakAnon = anonStart;
    /** The main thread's V8 heap and its buffers at the anonymous peak (the rest: workers, SQLite caches). */
    let atPeak = process.memoryUsage();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      const anon = rssAnon();
      if (anon > peakAnon) {
        peakAnon = anon;
        atPeak = process.memoryUsage();
      }
    }, 50);
    const inspector = opt['cpu-prof'] ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    h.enable();
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const jobIds: string[] = [];
    for (const f of files) {
      const job = await benefits.startReconcile(ctx, f.rosterId, fs.readFileSync(f.file), path.basename(f.file));
      jobIds.push(job.id);
    }
    await mctx.jobs.idle();
    const seconds = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    h.disable();
    clearInterval(sampler);
    if (inspector) {
      const { profile } = await inspector.post('Profiler.stop');
      fs.writeFileSync(opt['cpu-prof']!, JSON.stringify(profile));
      inspector.disconnect();
    }
    let found = 0;
    let failed = 0;
    for (const id of jobIds) {
      const j = await mctx.jobs.get({ kind: 'all' }, id);
      if (j?.status !== 'succeeded') failed++;
      const res = j?.result ? (JSON.parse(j.result) as { discrepancies: Record<string, number> }) : null;
      found += Object.values(res?.discrepancies ?? {}).reduce((s, n) => s + n, 0);
    }
    const planted = files.reduce((s, f) => s + f.planted, 0);
    return {
      dialect,
      persons: distinctPersons,
      rosters: files.length,
      lines,
      seedS: manifest.seedS,
      prepS: manifest.prepS,
      cached: cache.cached,
      seconds,
      cpuS: (cpu.user + cpu.system) / 1e6,
      rssStartMb: rssStart / 2 ** 20,
      peakRssMb: peakRss / 2 ** 20,
      anonStartMb: anonStart / 2 ** 20,
      peakAnonMb: peakAnon / 2 ** 20,
      atPeakMb: {
        heapTotal: Math.round(atPeak.heapTotal / 2 ** 20),
        heapUsed: Math.round(atPeak.heapUsed / 2 ** 20),
        external: Math.round(atPeak.external / 2 ** 20),
        arrayBuffers: Math.round(atPeak.arrayBuffers / 2 ** 20),
      },
      maxStallMs: h.max / 1e6,
      p99StallMs: h.percentile(99) / 1e6,
      planted,
      found,
      failed,
    };
  } finally {
    await b.close();
  }
}

const dialects = opt.db === 'both' ? (['sqlite', 'postgres'] as const) : [opt.db as Dialect];
const results = [];
for (const d of dialects) {
  process.stderr.write(`reconcile bench: ${d}, N=${N}, ${MONTHS.length} months\n`);
  const r = await run(d);
  if (!r) continue;
  results.push(r);
  process.stderr.write(`${JSON.stringify(r)}\n`);
}
if (opt['setup-only']) process.exit(0);
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
writeSection(
  'reconcile',
  `<!-- reconcile:start -->
## Benefits: reconciliation of return files as jobs (issue 21, decisions/0045, 0052, 0054, 0061, 0066, 0070)

> Generated by \`npm run bench:reconcile -- --n ${N} --months ${MONTHS.length}\` (bench/benefits-reconcile.ts) on ${new Date().toISOString()}, ${machine()}; **the machine is shared with other sessions**, so CPU time (user + system of this process, its reader threads included) is given beside wall time. N synthetic persons (seed/synthetic.ts), a standard for every category; one released roster per district and month ${MONTHS[0]}–${MONTHS.at(-1)}; each roster's return file a CSV with ID and account numbers, every ${PLANT}th line paid 1 yuan short. Time: first job queued → last job done (jobs run one at a time in the process, as in the server). Stall: longest event-loop delay over that time (monitorEventLoopDelay, 10 ms resolution).

| dialect | persons paid | rosters | return lines | reconcile wall s | CPU s | CPU µs a line | RSS MB at start → peak | of it anonymous (RssAnon) MB | max stall ms | p99 stall ms | planted / found | jobs failed | (setup: seed, rosters + files, s) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${results
  .map(
    (r) =>
      `| ${r.dialect} | ${r.persons.toLocaleString('en')} | ${r.rosters} | ${r.lines.toLocaleString('en')} | ${f1(r.seconds)} | ${f1(r.cpuS)} | ${f0((r.cpuS * 1e6) / r.lines)} | ${f0(r.rssStartMb)} → ${f0(r.peakRssMb)} | ${f0(r.anonStartMb)} → ${f0(r.peakAnonMb)} | ${f0(r.maxStallMs)} | ${f0(r.p99StallMs)} | ${r.planted} / ${r.found} | ${r.failed} | ${f0(r.seedS)}, ${f0(r.prepS)} |`,
  )
  .join('\n')}

Target (issue 21): 10^5 persons × 12 months reconciled ≤ 30 s, RSS ≤ 500 MB, no stall > 50 ms.
<!-- reconcile:end -->
`,
);
