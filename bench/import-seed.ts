// npx tsx bench/import-seed.ts [--db sqlite|postgres] [--seed 100000] [--import 100000] [--cached [--fresh]]
// Issue 15's bulk paths measured in-process (decisions/0032, 0058): seeding N synthetic persons on a
// fresh database with the demo city (seed/synthetic.ts), then importing R rows (bench/lib/xlsx.mjs,
// the import scenario's file) through the import job — validate, then commit — as the CLI runs it.
// For each phase: wall time, the process's CPU time (all threads: process.cpuUsage), peak RSS
// (VmHWM, reset before each phase), the longest event-loop stall (monitorEventLoopDelay, 10 ms
// resolution) and the machine's load average. Prints a Markdown table; nothing is written.
// With --cached the seeded database is kept between runs (bench/lib/platform.ts, cachedPlatform;
// --fresh rebuilds it) and the import runs in a process that did not seed: as a server started on
// a database of that size would run it (the seed's heap and page cache are not in its RSS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BeneficiaryImport, IMPORT_KIND } from '../packages/server/src/modules/registry/import.js';
import { countDifferences, countsRepo } from '../packages/server/src/modules/registry/registry.repo.js';
import { SYSTEM_SCOPE } from '../packages/server/src/platform/access/scope.js';
import { systemActor } from '../packages/server/src/platform/auth/actor.js';
import { migrateToLatest } from '../packages/server/src/platform/db/index.js';
import { Jobs } from '../packages/server/src/platform/jobs/jobs.js';
import { warmUpChinese } from '../packages/server/src/platform/text/chinese.js';
import { seedDemo } from '../packages/server/src/seed/demo.js';
import { seedSynthetic } from '../packages/server/src/seed/synthetic.js';
import { cachedPlatform, freshPlatform } from './lib/platform.js';
// @ts-expect-error plain ESM helper of the bench
import { ensureImportFile } from './lib/xlsx.mjs';

const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    seed: { type: 'string', default: '100000' },
    import: { type: 'string', default: '100000' },
    cached: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});
const hwm = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};

interface Phase {
  name: string;
  wallS: number;
  cpuS: number;
  rssPeakMB: number;
  elMaxMs: number;
  elP99Ms: number;
  load: string;
}
const phases: Phase[] = [];

async function measure<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM to the current RSS
  } catch {}
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  await new Promise((resolve) => setTimeout(resolve, 30)); // the monitor's timer records the last stall
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  h.disable();
  phases.push({
    name,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    rssPeakMB: hwm(),
    elMaxMs: h.max / 1e6,
    elP99Ms: h.percentile(99) / 1e6,
    load: os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / '),
  });
  process.stderr.write(`${JSON.stringify(phases[phases.length - 1])}\n`);
  return r;
}

async function main() {
  const dialect = opt.db === 'postgres' ? 'postgres' : 'sqlite';
  const n = Number(opt.seed);
  const seed = async (p: Awaited<ReturnType<typeof freshPlatform>>['p']) => {
    await migrateToLatest(p.handle);
    await seedDemo(p);
    if (n > 0) await measure(`seed ${n.toLocaleString('en')} persons`, () => seedSynthetic(p, { count: n }));
  };
  const { p, close } = opt.cached
    ? await cachedPlatform(dialect, 'bulk', `import-seed-${n}`, opt.fresh, async (p) => {
        await seed(p);
        return {};
      })
    : await freshPlatform(dialect, 'bulk');
  try {
    if (!opt.cached) await seed(p);
    const rows = Number(opt.import);
    if (rows > 0) {
      const file = path.join(os.tmpdir(), `sy-bench-import-${rows}.xlsx`);
      await ensureImportFile(file, rows);
      const data = fs.readFileSync(file);
      const org = await p.handle.db
        .selectFrom('orgs')
        .select(['id', 'path', 'name'])
        .where('depth', '=', 1)
        .where('path', 'like', '%650203/')
        .executeTakeFirstOrThrow();
      const actor = systemActor(org, 'bench');
      // the server loads the name dictionaries after its first API request (cli.ts): not in the import
      warmUpChinese();
      const jobs = new Jobs(p);
      jobs.register(IMPORT_KIND, new BeneficiaryImport(p, async () => actor, jobs));
      const job = await measure(`import ${rows.toLocaleString('en')} rows: validate`, async () => {
        const j = await jobs.create(
          { ...actor, userId: 'system' },
          org,
          IMPORT_KIND,
          { orgId: org.id },
          {
            name: 'bench.xlsx',
            data,
          },
        );
        await jobs.idle();
        return j;
      });
      await measure(`import ${rows.toLocaleString('en')} rows: commit`, async () => {
        await jobs.commit(job.id);
        await jobs.idle();
      });
      const done = await jobs.get(SYSTEM_SCOPE, job.id);
      process.stderr.write(`import: ${done?.status} ${done?.error ?? ''} ${done?.result?.slice(0, 200)}\n`);
      const diff = countDifferences(
        await countsRepo.stored(p.handle.db, SYSTEM_SCOPE),
        await countsRepo.expected(p.handle.db, SYSTEM_SCOPE),
      );
      process.stderr.write(`maintained counts vs rebuild: ${diff.length} differing keys\n`);
    }
    process.stdout.write(
      `\n| ${dialect} | wall s | CPU s (all threads) | RSS peak MB | EL delay p99 / max ms | load 1/5/15 |\n|---|--:|--:|--:|--:|---|\n${phases
        .map(
          (x) =>
            `| ${x.name} | ${x.wallS.toFixed(1)} | ${x.cpuS.toFixed(1)} | ${x.rssPeakMB.toFixed(0)} | ${x.elP99Ms.toFixed(0)} / ${x.elMaxMs.toFixed(0)} | ${x.load} |`,
        )
        .join('\n')}\n`,
    );
  } finally {
    await close();
  }
}

await main();
