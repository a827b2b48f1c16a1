// npm run bench:benefits -- [--n 100000] [--db sqlite|postgres|both]
// The benefits module's set-wise entitlement (decisions/0039) on N synthetic entitled persons: a
// month of the whole city (count and sum in the database), a district's month, and the district's
// roster built by INSERT … SELECT. Each figure is the median of 3 runs after one warm-up; RSS of
// this process after the runs. Writes its section of docs/benchmarks.md (between the benefits markers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { benefitsModule } from '../packages/server/src/modules/benefits/benefits.module.js';
import { registryModule } from '../packages/server/src/modules/registry/registry.module.js';
import { systemActor } from '../packages/server/src/platform/auth/actor.js';
import { loadConfig } from '../packages/server/src/platform/config.js';
import { createPlatform } from '../packages/server/src/platform/context.js';
import { migrateToLatest } from '../packages/server/src/platform/db/index.js';
import { buildModules, moduleContext } from '../packages/server/src/platform/module.js';
import { seedDemo } from '../packages/server/src/seed/demo.js';
import { seedSynthetic } from '../packages/server/src/seed/synthetic.js';

const { values: opt } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, db: { type: 'string', default: 'both' } },
});
const N = Number(opt.n);
const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MONTH = '2026-03';
const DISTRICT = '650200/650203/';

const STANDARDS: [string, string, number, number | null, number | null][] = [
  ['disability_pension', 'disabled_veteran', 320_000, 5, 6],
  ['disability_pension', 'disabled_person', 150_000, 7, 10],
  ['survivor_pension', 'martyr_survivor', 260_050, null, null],
  ['survivor_pension', 'duty_death_survivor', 210_000, null, null],
  ['survivor_pension', 'illness_death_survivor', 205_000, null, null],
  ['living_allowance', 'demobilized_veteran', 180_000, null, null],
  ['living_allowance', 'ill_returned_veteran', 120_000, null, null],
  ['living_allowance', 'nuclear_test_veteran', 110_000, null, null],
  ['living_allowance', 'combat_veteran', 100_000, null, null],
];

async function median3(f: () => Promise<unknown>): Promise<{ ms: number; out: unknown }> {
  let out = await f();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    out = await f();
    ms.push(performance.now() - t0);
  }
  return { ms: ms.sort((a, b) => a - b)[1]!, out };
}

async function run(dialect: 'sqlite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-bench-benefits-'));
  let url = `sqlite:${path.join(dataDir, 'bench.db')}`;
  const name = `sy_bench_benefits_${process.pid}`;
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
    const t0 = performance.now();
    await seedSynthetic(p, { count: N });
    const seedS = (performance.now() - t0) / 1000;
    if (dialect === 'postgres')
      await p.handle.db.executeQuery({ sql: 'ANALYZE', parameters: [], query: { kind: 'RawNode' } } as never);
    else p.handle.sqlite!.exec('ANALYZE');
    const mods = buildModules(moduleContext(p), [registryModule, benefitsModule]);
    const benefits = mods.services.benefits.benefits;
    const city = await p.handle.db
      .selectFrom('orgs')
      .select(['id', 'path', 'name'])
      .where('depth', '=', 0)
      .executeTakeFirstOrThrow();
    const ctx = { actor: systemActor(city), requestId: 'bench', ip: '127.0.0.1' };
    for (const [benefitType, category, amountFen, gradeMin, gradeMax] of STANDARDS)
      await benefits.createStandard(ctx, {
        benefitType,
        category,
        layer: 'national',
        amountFen,
        validFrom: '2025-01',
        docNo: '基准〔2025〕1号',
        ...(gradeMin ? { gradeMin, gradeMax: gradeMax! } : {}),
      } as never);
    const cityMonth = await median3(() => benefits.entitlementTotals(MONTH));
    const districtMonth = await median3(() => benefits.entitlementTotals(MONTH, DISTRICT));
    const klmy = await p.handle.db
      .selectFrom('orgs')
      .select('id')
      .where('path', '=', DISTRICT)
      .executeTakeFirstOrThrow();
    const roster = await median3(() => benefits.createRoster(ctx, { orgId: klmy.id, period: MONTH }));
    const r = roster.out as { lineCount: number; totalFen: number };
    return {
      dialect,
      seedS,
      cityMonth: { ms: cityMonth.ms, ...(cityMonth.out as { lines: number; fen: number }) },
      districtMonth: { ms: districtMonth.ms, ...(districtMonth.out as { lines: number; fen: number }) },
      roster: { ms: roster.ms, lines: r.lineCount, fen: r.totalFen },
      rssMb: process.memoryUsage().rss / 2 ** 20,
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
  process.stderr.write(`benefits bench: ${d}, N=${N}\n`);
  results.push(await run(d));
}
const f0 = (x: number) => x.toFixed(0);
const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 });
const section = `<!-- benefits:start -->
## Benefits: entitlement computed set-wise (decisions/0039)

> Generated by \`npm run bench:benefits -- --n ${N}\` (bench/benefits-entitlement.ts) on ${new Date().toISOString()}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, other work running on the machine. N synthetic persons (seed/synthetic.ts: the demo city's category mix, ~8 % not active), ${STANDARDS.length} national standards; month ${MONTH}; median of 3 runs after a warm-up.

| dialect | persons | city month (lines, ¥) | ms | district 克拉玛依区 month (lines) | ms | roster build, INSERT … SELECT (lines) | ms | RSS MB |
|---|---|---|---|---|---|---|---|---|
${results
  .map(
    (r) =>
      `| ${r.dialect} | ${N.toLocaleString('en')} | ${r.cityMonth.lines.toLocaleString('en')}, ${yuan(r.cityMonth.fen)} | ${f0(r.cityMonth.ms)} | ${r.districtMonth.lines.toLocaleString('en')} | ${f0(r.districtMonth.ms)} | ${r.roster.lines.toLocaleString('en')} | ${f0(r.roster.ms)} | ${f0(r.rssMb)} |`,
  )
  .join('\n')}

One statement per month and district, no per-person loop; the process holds no row of the register (RSS is the
platform's). On SQLite the statement runs on the request's thread (better-sqlite3 is synchronous): a district's month
blocks the event loop for the "district" time above. Not measured yet: the issue's reconciliation benchmark (10^5 persons ×
12 months of payments, ≤ 30 s as a job with progress) — reconciliation runs in the request, one district-month at a time.
<!-- benefits:end -->
`;
const file = new URL('../docs/benchmarks.md', import.meta.url);
const previous = fs.readFileSync(file, 'utf8');
const marked = /<!-- benefits:start -->[\s\S]*<!-- benefits:end -->\n?/;
fs.writeFileSync(
  file,
  marked.test(previous) ? previous.replace(marked, section) : `${previous.trimEnd()}\n\n${section}`,
);
process.stdout.write(section);
