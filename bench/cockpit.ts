// npm run bench:cockpit [-- --persons N --visits V --needs K --runs R] — the cockpit's widgets
// (issue 18): each read model the cockpit calls, timed in-process on SQLite over a data set of N
// synthetic persons, V synthetic visits of the demo campaign and K needs, as the city (whole
// scope) and as a district. Writes its section of docs/benchmarks.md (between the cockpit markers).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import { buildApp } from '../packages/server/src/app.js';
import { needsCockpitRepo } from '../packages/server/src/modules/needs/cockpit.repo.js';
import { needCountsRepo } from '../packages/server/src/modules/needs/counts.repo.js';
import { slaBounds } from '../packages/server/src/modules/needs/needs.cockpit.js';
import { needsRepo, newNeedRow } from '../packages/server/src/modules/needs/needs.repo.js';
import type { NeedHandlersTable } from '../packages/server/src/modules/needs/needs.schema.js';
import { seedSyntheticVisits } from '../packages/server/src/modules/visits/synthetic.js';
import { type RequestCtx, systemActor } from '../packages/server/src/platform/auth/actor.js';
import { loadConfig } from '../packages/server/src/platform/config.js';
import { createPlatform } from '../packages/server/src/platform/context.js';
import { migrateToLatest } from '../packages/server/src/platform/db/index.js';
import { uuidv7 } from '../packages/server/src/platform/ids.js';
import { seedDemo } from '../packages/server/src/seed/demo.js';
import { seedDemoCampaign } from '../packages/server/src/seed/demo-campaign.js';
import { seedSynthetic } from '../packages/server/src/seed/synthetic.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    visits: { type: 'string', default: '5000000' },
    needs: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});
const persons = Number(values.persons);
const visits = Number(values.visits);
const needCount = Number(values.needs);
const runs = Number(values.runs);

const dir = path.resolve('bench/.data', `cockpit-${persons}-${visits}`);
const fresh = !fs.existsSync(path.join(dir, 'cockpit.db'));
fs.mkdirSync(dir, { recursive: true });
const config = loadConfig({
  databaseUrl: `sqlite:${path.join(dir, 'cockpit.db')}`,
  dataDir: dir,
  demo: true,
  logLevel: 'silent',
});
const p = createPlatform(config);
await migrateToLatest(p.handle);
const t0 = Date.now();
const log = (s: string) => process.stderr.write(`${s}\n`);
let campaignId: string;
if (fresh) {
  await seedDemo(p);
  campaignId = await seedDemoCampaign(p);
  await seedSynthetic(p, { count: persons, onProgress: (d, n) => process.stderr.write(`\rpersons ${d}/${n}`) });
  log('');
  await seedSyntheticVisits(p, {
    count: visits,
    campaignId,
    onProgress: (d, n) => process.stderr.write(`\rvisits ${d}/${n}`),
  });
  log('');
  // needs: raised by the units and by the districts' stations, spread over the seven departments,
  // every status, deadlines around today; every fifth assigned case has a district bureau as a
  // co-handler (the half of a district's sight that comes through need_handlers)
  const depts = await p.handle.db.selectFrom('orgs').select(['id', 'path']).where('type', '=', 'department').execute();
  const owners = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where((eb) => eb.or([eb('type', '=', 'military_unit'), eb('type', '=', 'service_station')]))
    .orderBy('path')
    .execute();
  const bureaus = await p.handle.db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('type', '=', 'veterans_bureau')
    .where('depth', '=', 1)
    .orderBy('path')
    .execute();
  const statuses = ['submitted', 'accepted', 'assigned', 'in_progress', 'resolved', 'confirmed', 'closed', 'declined'];
  const now = new Date().toISOString();
  for (let i = 0; i < needCount; i += 500) {
    const handlers: Insertable<NeedHandlersTable>[] = [];
    const rows = Array.from({ length: Math.min(500, needCount - i) }, (_, k) => {
      const n = i + k;
      const status = statuses[n % statuses.length]!;
      const unit = owners[n % owners.length]!;
      const id = uuidv7();
      const lead = depts[n % depts.length]!;
      if (status !== 'submitted' && status !== 'accepted' && status !== 'declined') {
        const h = { need_id: id, active: 1, assigned_at: now, assigned_by: 'bench' };
        handlers.push({ ...h, id: uuidv7(), org_id: lead.id, org_path: lead.path, role: 'lead' });
        const co = bureaus[Math.floor(n / 5) % bureaus.length]!;
        if (n % 5 === 0) handlers.push({ ...h, id: uuidv7(), org_id: co.id, org_path: co.path, role: 'co' });
      }
      const day = new Date(Date.now() + ((n % 41) - 20) * 86_400_000).toISOString().slice(0, 10);
      return newNeedRow({
        id,
        org_id: unit.id,
        org_path: unit.path,
        created_by: 'bench',
        requester_name: '联络员',
        source: 'unit',
        category: 'schooling',
        priority: 'normal',
        title: `模拟问题 ${n}`,
        description: '模拟',
        status,
        lead_org_id: status === 'submitted' || status === 'accepted' || status === 'declined' ? null : lead.id,
        deadline_days: 10,
        deadline: status === 'submitted' ? null : day,
        created_at: now,
      });
    });
    await needsRepo.insert(p.handle.db, rows);
    await needsRepo.insertHandlers(p.handle.db, handlers);
  }
  // loaded past the workflow: the cockpit's counter is rebuilt, as after any bulk load (decisions/0050)
  const r0 = Date.now();
  const counterRows = await needCountsRepo.rebuild(p.handle.db);
  log(`need_counts rebuilt: ${counterRows} rows in ${((Date.now() - r0) / 1000).toFixed(1)} s`);
  log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
} else {
  campaignId = (
    await p.handle.db
      .selectFrom('campaigns')
      .select('id')
      .where('kind', '=', 'spring_festival')
      .orderBy('created_at')
      .executeTakeFirstOrThrow()
  ).id;
}

const app = await buildApp(p, { logger: false, webDir: path.join(dir, 'no-web') });
const { cockpit } = app.services.cockpit;
const org = async (where: string) =>
  p.handle.db.selectFrom('orgs').select(['id', 'path', 'name']).where('path', '=', where).executeTakeFirstOrThrow();
const cityOrg = await p.handle.db
  .selectFrom('orgs')
  .select(['id', 'path', 'name'])
  .where('depth', '=', 0)
  .executeTakeFirstOrThrow();
const klmyOrg = await org('650200/650203/');
const city: RequestCtx = { actor: systemActor(cityOrg), requestId: 'bench', ip: '127.0.0.1' };
const district: RequestCtx = {
  actor: { ...systemActor(klmyOrg), scope: { kind: 'subtree', path: klmyOrg.path } as never, scopeKind: 'subtree' },
  requestId: 'bench',
  ip: '127.0.0.1',
};
const counts = {
  persons: Number(
    (
      await p.handle.db
        .selectFrom('beneficiaries')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  visits: Number(
    (
      await p.handle.db
        .selectFrom('visits')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  needs: Number(
    (
      await p.handle.db
        .selectFrom('needs')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  coverageRows: Number(
    (
      await p.handle.db
        .selectFrom('visit_coverage')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  needCounterRows: Number(
    (
      await p.handle.db
        .selectFrom('need_counts')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  needHandlers: Number(
    (
      await p.handle.db
        .selectFrom('need_handlers')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
  dailyRows: Number(
    (
      await p.handle.db
        .selectFrom('visit_daily')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  ),
};
log(JSON.stringify(counts));

const today = cockpit.today();
const widgets: [string, (c: RequestCtx) => Promise<unknown>][] = [
  ['完成率（按区、部队）', (c) => cockpit.completion(c, campaignId)],
  ['走访覆盖率（区 × 类别）', (c) => cockpit.coverage(c, campaignId)],
  ['每日走访次数', (c) => cockpit.trend(c, campaignId)],
  ['急难愁盼（按状态、部门、时限）', (c) => cockpit.needsSla(c, today)],
  ['经费（按预算科目）', (c) => cockpit.spending(c, campaignId)],
  ['整个驾驶舱（含排名、超时问题）', (c) => cockpit.cockpit(c, campaignId)],
];
// the needs widget's groups counted over the cases (the query before decisions/0050), for comparison
const oldNeeds = (c: RequestCtx) => needsCockpitRepo.groupsOfCases(p.handle.db, c.actor.scope, slaBounds(today));
const oldRuns = Math.min(runs, 20);
const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
/** p50 / p95 of the wall time and the CPU time (user + system) per call, over `n` calls after warm-up. */
async function time(fn: () => Promise<unknown>, n: number, warm: number) {
  for (let i = 0; i < warm; i++) await fn();
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return `${pct(ms, 0.5).toFixed(2)} / ${pct(ms, 0.95).toFixed(2)} | ${pct(cpu, 0.5).toFixed(2)} / ${pct(cpu, 0.95).toFixed(2)}`;
}
const rows: string[] = [];
for (const [name, fn] of widgets) {
  const cells: string[] = [];
  for (const c of [city, district]) cells.push(await time(() => fn(c), runs, 20));
  rows.push(`| ${name} | ${cells.join(' | ')} |`);
  log(rows[rows.length - 1]!);
}
const oldCells: string[] = [];
for (const c of [city, district]) oldCells.push(await time(() => oldNeeds(c), oldRuns, 3));
const oldRow = `| 急难愁盼：逐案计数（0050 之前的查询，对照） | ${oldCells.join(' | ')} |`;
log(oldRow);
const load = os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' / ');
await app.app.close();
await p.handle.close();

const section = `<!-- cockpit:start -->
## Cockpit widgets (issue 18)

\`npx tsx bench/cockpit.ts --persons ${persons} --visits ${visits} --needs ${needCount}\`, in-process (the service call
each widget's route makes, no HTTP), SQLite, ${runs} runs after 20 warm-up runs, ${os.cpus().length} cores shared with other work,
${new Date().toISOString().slice(0, 10)}. Data: ${counts.persons.toLocaleString('en')} persons, ${counts.visits.toLocaleString('en')} visits of one campaign,
${counts.needs.toLocaleString('en')} needs; the maintained counters the widgets read: ${counts.coverageRows} \`visit_coverage\` rows,
${counts.dailyRows} \`visit_daily\` rows (decisions/0036), ${counts.needCounterRows.toLocaleString('en')} \`need_counts\` rows (decisions/0050;
${counts.needHandlers.toLocaleString('en')} active handlers). Load average at the end of the run (1 / 5 / 15 min): ${load}.
CPU is the process's user + system time per call (\`process.cpuUsage\`): what the call cost, whatever
else the shared machine ran meanwhile.

| widget | city wall p50 / p95 ms | city CPU p50 / p95 ms | district wall p50 / p95 ms | district CPU p50 / p95 ms |
|---|---|---|---|---|
${rows.join('\n')}
${oldRow}

The last row is the needs widget's count over the cases (the query before decisions/0050, kept as
\`groupsOfCases\` for the \`own\` scope and as the tests' oracle), ${oldRuns} runs after 3 warm-up runs.
<!-- cockpit:end -->`;
const doc = path.resolve('docs/benchmarks.md');
const text = fs.readFileSync(doc, 'utf8');
const next = text.includes('<!-- cockpit:start -->')
  ? text.replace(/<!-- cockpit:start -->[\s\S]*<!-- cockpit:end -->/, section)
  : `${text.trimEnd()}\n\n${section}\n`;
fs.writeFileSync(doc, next);
log(section);
if (!values.keep && fresh) log(`data kept in ${dir} (delete it when done)`);
