// The benefits benches' common setup (review finding D5): a fresh SQLite or PostgreSQL database
// with the demo city, N synthetic persons (seed/synthetic.ts, the seeder's bulk path,
// decisions/0032), statistics refreshed, the registry and benefits modules built, standards
// entered as the city, and the database dropped again by `close`.
import fs from 'node:fs';
import os from 'node:os';
import { benefitsModule } from '../../packages/server/src/modules/benefits/benefits.module.js';
import { orgsModule } from '../../packages/server/src/modules/orgs/orgs.module.js';
import { registryModule } from '../../packages/server/src/modules/registry/registry.module.js';
import { systemActor } from '../../packages/server/src/platform/auth/actor.js';
import { migrateToLatest } from '../../packages/server/src/platform/db/index.js';
import { buildModules, moduleContext, withRequirements } from '../../packages/server/src/platform/module.js';
import { seedDemo } from '../../packages/server/src/seed/demo.js';
import { seedSynthetic } from '../../packages/server/src/seed/synthetic.js';
import { type Dialect, freshPlatform } from './platform.js';

export type { Dialect } from './platform.js';

export interface StandardSpec {
  benefitType: string;
  category: string;
  amountFen: number;
  gradeMin?: number;
  gradeMax?: number;
}

/** Opens a fresh database for `dialect`, seeds N persons and the given national standards (valid from 2025-01). */
export async function benefitsBench(opts: { dialect: Dialect; n: number; tag: string; standards: StandardSpec[] }) {
  const { p, close } = await freshPlatform(opts.dialect, opts.tag);
  try {
    return { ...(await seedBenefits(p, opts)), close };
  } catch (e) {
    await close();
    throw e;
  }
}

type BenchPlatform = Awaited<ReturnType<typeof freshPlatform>>['p'];

/** Migrates and seeds a fresh database: the demo city, N persons, statistics, the standards; then opens it (openBenefits). */
export async function seedBenefits(p: BenchPlatform, opts: { dialect: Dialect; n: number; standards: StandardSpec[] }) {
  await migrateToLatest(p.handle);
  await seedDemo(p);
  const t0 = performance.now();
  await seedSynthetic(p, { count: opts.n });
  const seedS = (performance.now() - t0) / 1000;
  if (opts.dialect === 'postgres')
    await p.handle.db.executeQuery({ sql: 'ANALYZE', parameters: [], query: { kind: 'RawNode' } } as never);
  else p.handle.sqlite!.exec('ANALYZE');
  const opened = await openBenefits(p);
  const { benefits, ctx } = opened;
  for (const s of opts.standards)
    await benefits.createStandard(ctx, {
      benefitType: s.benefitType,
      category: s.category,
      layer: 'national',
      amountFen: s.amountFen,
      validFrom: '2025-01',
      docNo: '基准〔2025〕1号',
      ...(s.gradeMin ? { gradeMin: s.gradeMin, gradeMax: s.gradeMax ?? s.gradeMin } : {}),
    } as never);
  return { ...opened, seedS };
}

/** The registry and benefits modules over a seeded database, the city's system actor and the districts. */
export async function openBenefits(p: BenchPlatform) {
  const mctx = moduleContext(p);
  const mods = buildModules(mctx, withRequirements(orgsModule, registryModule, benefitsModule));
  const benefits = mods.services.benefits.benefits;
  const registry = mods.services.registry;
  const city = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 0)
    .executeTakeFirstOrThrow();
  const ctx = { actor: systemActor(city), requestId: 'bench', ip: '127.0.0.1' };
  const districts = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 1)
    .orderBy('path')
    .execute();
  return { p, mctx, benefits, registry, ctx, city, districts };
}

/** The machine's state for a bench's header line: CPU model and count, load averages. */
export function machine() {
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  return `Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} × ${os.cpus().length}, load average ${load} (1/5/15 min) at the end`;
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` of docs/benchmarks.md (or appends it). */
export function writeSection(name: string, section: string) {
  const file = new URL('../../docs/benchmarks.md', import.meta.url);
  const previous = fs.readFileSync(file, 'utf8');
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->\\n?`);
  fs.writeFileSync(
    file,
    marked.test(previous) ? previous.replace(marked, section) : `${previous.trimEnd()}\n\n${section}`,
  );
  process.stdout.write(section);
}
