// npm run bench:reconcile -- [--n 100000] [--months 12] [--db sqlite|postgres|both]
// Issue 21's reconciliation benchmark: N synthetic persons, a standard for every category (so
// nearly all active persons are paid), one released roster per district and month for `months`
// months, and for each the bank's return file (CSV with ID and account numbers, a few planted
// errors). The files are written first; the figure is the time from queuing the first
// reconciliation job to the last one done (jobs run one after another, as in the server), with
// the process's peak RSS and the longest event-loop stall (monitorEventLoopDelay, 10 ms resolution)
// over that time. Writes its section of docs/benchmarks.md (between the reconcile markers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CATEGORY_BY_CODE, CATEGORY_CODES, fenToYuanText, monthsBetween } from '@shuangyong/shared';
import pg from 'pg';
import { benefitsModule } from '../packages/server/src/modules/benefits/benefits.module.js';
import { benefitsRepo } from '../packages/server/src/modules/benefits/benefits.repo.js';
import { registryModule } from '../packages/server/src/modules/registry/registry.module.js';
import { systemActor } from '../packages/server/src/platform/auth/actor.js';
import { loadConfig } from '../packages/server/src/platform/config.js';
import { createPlatform } from '../packages/server/src/platform/context.js';
import { migrateToLatest } from '../packages/server/src/platform/db/index.js';
import { buildModules, moduleContext } from '../packages/server/src/platform/module.js';
import { seedDemo } from '../packages/server/src/seed/demo.js';
import { seedSynthetic } from '../packages/server/src/seed/synthetic.js';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    months: { type: 'string', default: '12' },
    db: { type: 'string', default: 'both' },
  },
});
const N = Number(opt.n);
const MONTHS = monthsBetween('2025-01', '2025-12').slice(0, Number(opt.months));
const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every PLANT-th person of a file is paid 1 yuan short (an `underpaid` finding each). */
const PLANT = 1000;

async function run(dialect: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-bench-reconcile-'));
  let url = `sqlite:${path.join(dataDir, 'bench.db')}`;
  const name = `sy_bench_reconcile_${process.pid}`;
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const p = createPlatform(loadConfig({ databaseUrl: url, dataDir, demo: true, logLevel: 'silent' }));
  try {
    await migrateToLatest(p.handle);
    await seedDemo(p);
    await seedSynthetic(p, { count: N });
    if (dialect === 'postgres')
      await p.handle.db.executeQuery({ sql: 'ANALYZE', parameters: [], query: { kind: 'RawNode' } } as never);
    else p.handle.sqlite!.exec('ANALYZE');
    const mctx = moduleContext(p);
    const mods = buildModules(mctx, [registryModule, benefitsModule]);
    const benefits = mods.services.benefits.benefits;
    const registry = mods.services.registry;
    const city = await p.handle.db
      .selectFrom('orgs')
      .select(['id', 'path', 'name'])
      .where('depth', '=', 0)
      .executeTakeFirstOrThrow();
    const ctx = { actor: systemActor(city), requestId: 'bench', ip: '127.0.0.1' };
    for (const category of CATEGORY_CODES)
      await benefits.createStandard(ctx, {
        benefitType: category === 'serving_member_family' ? 'conscript_family' : 'living_allowance',
        category,
        layer: 'national',
        amountFen: 100_000 + category.length * 1_000,
        validFrom: '2025-01',
        docNo: '基准〔2025〕1号',
        ...(CATEGORY_BY_CODE[category].requiresDisabilityGrade ? { gradeMin: 1, gradeMax: 10 } : {}),
      } as never);
    process.stderr.write('seeded; building rosters and files\n');
    const districts = await p.handle.db.selectFrom('orgs').select(['id', 'path']).where('depth', '=', 1).execute();

    // rosters and return files (not timed)
    const t0 = performance.now();
    const files: { rosterId: string; file: string; planted: number }[] = [];
    let lines = 0;
    for (const month of MONTHS)
      for (const d of districts) {
        const r = await benefits.createRoster(ctx, { orgId: d.id, period: month });
        if (!r.lineCount) continue;
        await p.handle.db.updateTable('benefit_rosters').set({ status: 'released' }).where('id', '=', r.id).execute();
        const persons = await benefitsRepo.rosterPersons(p.handle.db, r.id);
        const ids = await registry.openIdNumbers(persons.map((x) => x.beneficiary_id));
        let planted = 0;
        const out = ['序号,姓名,身份证号,银行账号,金额（元）,发放结果'];
        persons.forEach((x, i) => {
          const short = i % PLANT === PLANT - 1;
          if (short) planted++;
          out.push(
            `${i + 1},${x.name},${ids.get(x.beneficiary_id)},62284800${String(i).padStart(11, '0')},${fenToYuanText(short ? x.fen - 100 : x.fen)},成功`,
          );
        });
        const file = path.join(dataDir, `${r.id}.csv`);
        fs.writeFileSync(file, out.join('\n'));
        files.push({ rosterId: r.id, file, planted });
        lines += persons.length;
      }
    const prepS = (performance.now() - t0) / 1000;
    const distinctPersons = Number(
      (
        await p.handle.db
          .selectFrom('benefit_roster_lines')
          .select((eb) => eb.fn.count('beneficiary_id').distinct().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    process.stderr.write(`${files.length} files, ${lines} lines; reconciling\n`);
    // the reconciliation: every file queued as a job, timed until the runner is idle
    global.gc?.();
    const h = monitorEventLoopDelay({ resolution: 10 });
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    h.enable();
    const t1 = performance.now();
    const jobIds: string[] = [];
    for (const f of files) {
      const job = await benefits.startReconcile(ctx, f.rosterId, fs.readFileSync(f.file), path.basename(f.file));
      jobIds.push(job.id);
    }
    await mctx.jobs.idle();
    const seconds = (performance.now() - t1) / 1000;
    h.disable();
    clearInterval(sampler);
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
      prepS,
      seconds,
      peakRssMb: peakRss / 2 ** 20,
      maxStallMs: h.max / 1e6,
      p99StallMs: h.percentile(99) / 1e6,
      planted,
      found,
      failed,
    };
  } finally {
    await p.handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'postgres') {
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}

const dialects = opt.db === 'both' ? (['sqlite', 'postgres'] as const) : [opt.db as 'sqlite' | 'postgres'];
const results = [];
for (const d of dialects) {
  process.stderr.write(`reconcile bench: ${d}, N=${N}, ${MONTHS.length} months\n`);
  results.push(await run(d));
  process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
}
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const section = `<!-- reconcile:start -->
## Benefits: reconciliation of return files as jobs (issue 21, decisions/0045)

> Generated by \`npm run bench:reconcile -- --n ${N} --months ${MONTHS.length}\` (bench/benefits-reconcile.ts) on ${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, **the machine loaded by other work** (load average ${os.loadavg()[0]!.toFixed(0)} at the end on ${os.cpus().length} cores). N synthetic persons (seed/synthetic.ts), a standard for every category; one released roster per district and month ${MONTHS[0]}–${MONTHS.at(-1)}; each roster's return file a CSV with ID and account numbers, every ${PLANT}th line paid 1 yuan short. Time: first job queued → last job done (jobs run one at a time in the process, as in the server). Stall: longest event-loop delay over that time (monitorEventLoopDelay, 10 ms resolution).

| dialect | persons paid | rosters | return lines | reconcile s | peak RSS MB | max stall ms | p99 stall ms | planted / found | jobs failed | (setup: rosters + files, s) |
|---|---|---|---|---|---|---|---|---|---|---|
${results
  .map(
    (r) =>
      `| ${r.dialect} | ${r.persons.toLocaleString('en')} | ${r.rosters} | ${r.lines.toLocaleString('en')} | ${f1(r.seconds)} | ${f0(r.peakRssMb)} | ${f0(r.maxStallMs)} | ${f0(r.p99StallMs)} | ${r.planted} / ${r.found} | ${r.failed} | ${f0(r.prepS)} |`,
  )
  .join('\n')}

Target (issue 21): 10^5 persons × 12 months reconciled ≤ 30 s, RSS ≤ 500 MB, no stall > 50 ms.
<!-- reconcile:end -->
`;
const file = new URL('../docs/benchmarks.md', import.meta.url);
const previous = fs.readFileSync(file, 'utf8');
const marked = /<!-- reconcile:start -->[\s\S]*<!-- reconcile:end -->\n?/;
fs.writeFileSync(
  file,
  marked.test(previous) ? previous.replace(marked, section) : `${previous.trimEnd()}\n\n${section}`,
);
process.stdout.write(section);
