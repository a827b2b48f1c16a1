// npx tsx bench/troops-stats.ts — 拥政爱民 statistics at 10^5 activities (issue 20: ≤ 20 ms p95 per
// view, from maintained aggregates). A fresh database with the demo city (SQLite, or PostgreSQL with
// TEST_DB=postgres TEST_DATABASE_URL=…); N activities spread over the military units, the civilian
// communities, the types and three years, inserted in bulk, and their (unit, district, type, month)
// aggregate rows as the services maintain them (checked against a GROUP BY of the activities);
// then the statistics view (GET /api/v1/troop-statistics through the whole HTTP stack) as the
// 军分区 (whole city), a district and a unit, p50/p95 of 200 runs after 20 warm-up runs; and the
// same figures computed from the base table, for comparison.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { troopsRepo } from '../packages/server/src/modules/troops/troops.repo.js';
import { resolveScope, SYSTEM_SCOPE } from '../packages/server/src/platform/access/scope.js';
import { signedIn, testEnv } from '../packages/server/test/helpers.js';

const N = Number(process.env.N ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 200);
const env = await testEnv();
const db = env.p.handle.db;
const units = await db
  .selectFrom('orgs')
  .select(['id', 'path'])
  .where('side', '=', 'military')
  .where('type', 'in', ['military_unit', 'armed_forces_department'])
  .execute();
const places = (
  await db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('side', '=', 'civilian')
    .where('type', '=', 'service_station')
    .execute()
).filter((o) => o.path.split('/').length >= 4);
const types = (await db.selectFrom('troop_activity_types').select('code').execute()).map((r) => r.code);
const user = await db.selectFrom('users').select('id').where('username', '=', 'unit1').executeTakeFirstOrThrow();

// a fixed pseudo-random sequence (LCG): units, places, types and days independent of each other
let seed = 20_261_203;
const rnd = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return Math.floor(seed / 65_536) % n;
};
const t0 = performance.now();
const now = new Date().toISOString();
for (let i = 0; i < N; i += 500) {
  const rows = [];
  for (let j = i; j < Math.min(N, i + 500); j++) {
    const unit = units[rnd(units.length)]!;
    const place = places[rnd(places.length)]!;
    const parts = place.path.split('/');
    rows.push({
      id: `0190c000-0000-7000-8000-${String(j).padStart(12, '0')}`,
      org_id: unit.id,
      org_path: unit.path,
      created_by: user.id,
      type: types[rnd(types.length)]!,
      occurred_on: `${2024 + rnd(3)}-${String(1 + rnd(12)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')}`,
      duration_minutes: 60 + (j % 5) * 30,
      place_kind: 'community',
      place_org_id: place.id,
      place_path: place.path,
      district_path: `${parts[0]}/${parts[1]}/`,
      place_name: null,
      participants: 3 + (j % 10),
      participant_names: null,
      military_note: null,
      reached_low_income: j % 4,
      reached_disabled: j % 3,
      reached_elderly: j % 7,
      reached_children: j % 5,
      reached_students: j % 11,
      reached_public: j % 13,
      service_minutes: 120 + (j % 9) * 30,
      items: null,
      items_value_fen: (j % 50) * 1000,
      patients_seen: j % 6,
      lessons_taught: j % 2,
      counterpart_org: null,
      counterpart_contact: null,
      summary: null,
      partnership_id: null,
      campaign_id: null,
      emergency_id: null,
      household_id: null,
      client_key: null,
      status: 'recorded',
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }
  await db.insertInto('troop_activities').values(rows).execute();
}
const figures = [
  'service_minutes',
  'participants',
  'reached_low_income',
  'reached_disabled',
  'reached_elderly',
  'reached_children',
  'reached_students',
  'reached_public',
  'patients_seen',
  'lessons_taught',
  'items_value_fen',
];
const month = env.p.handle.dialect === 'postgres' ? sql`substr(occurred_on, 1, 7)` : sql`substr(occurred_on, 1, 7)`;
// the aggregate rows, as bumpStats keeps them (one statement here instead of N upserts)
await sql`insert into troop_activity_stats (org_id, org_path, district_path, type, month, activities, minutes, ${sql.join(
  figures.map((f) => sql.ref(f)),
)})
  select org_id, org_path, district_path, type, ${month}, count(*), sum(duration_minutes), ${sql.join(
    figures.map((f) => sql`sum(${sql.ref(f)})`),
  )}
  from troop_activities where status = 'recorded' group by org_id, org_path, district_path, type, ${month}`.execute(db);
// and the whole city's coarse rows (type, unit, district by month), as bumpStats keeps them too
for (const [dim, col] of [
  ['type', 'type'],
  ['org', 'org_id'],
  ['district', 'district_path'],
] as const)
  await sql`insert into troop_activity_city_stats (dim, key, month, activities, minutes, ${sql.join(
    figures.map((f) => sql.ref(f)),
  )})
    select ${dim}, ${sql.ref(col)}, month, sum(activities), sum(minutes), ${sql.join(
      figures.map((f) => sql`sum(${sql.ref(f)})`),
    )} from troop_activity_stats group by ${sql.ref(col)}, month`.execute(db);
const kept = JSON.stringify(
  (await troopsRepo.cityStats(db))
    .map((r) => [r.dim, r.key, r.month, Number(r.activities), Number(r.service_minutes)])
    .sort(),
);
const rebuilt = JSON.stringify(
  (await troopsRepo.cityStatsRebuilt(db, SYSTEM_SCOPE))
    .map((r) => [r.dim, r.key, r.month, Number(r.activities), Number(r.service_minutes)])
    .sort(),
);
if (kept !== rebuilt) throw new Error('the coarse rows differ from a rebuild of the activities');
const cityRows = await db
  .selectFrom('troop_activity_city_stats')
  .select((eb) => eb.fn.countAll().as('n'))
  .executeTakeFirstOrThrow();
const statRows = await db
  .selectFrom('troop_activity_stats')
  .select((eb) => eb.fn.countAll().as('n'))
  .executeTakeFirstOrThrow();
if (env.p.handle.dialect === 'postgres') await sql`analyze`.execute(db);
else await sql`analyze`.execute(db);
console.log(
  `${env.p.handle.dialect}: inserted ${N} activities, ${statRows.n} aggregate rows and ${cityRows.n} city rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
async function measure(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await fn();
  const xs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    const c = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c);
    xs.push(performance.now() - s);
    cpu.push((d.user + d.system) / 1000);
  }
  // wall time suffers from the other processes of a shared machine; CPU time of this process
  // (every thread: the SQLite readers too) is what one view costs
  console.log(
    `${label}: wall p50 ${pct(xs, 50).toFixed(2)} / p95 ${pct(xs, 95).toFixed(2)} ms; ` +
      `CPU p50 ${pct(cpu, 50).toFixed(2)} / p95 ${pct(cpu, 95).toFixed(2)} ms (${RUNS} runs)`,
  );
}

for (const [who, ip] of [
  ['jfq', '10.30.0.1'],
  ['klmy', '10.30.0.2'],
  ['unit1', '10.30.0.3'],
] as const) {
  const c = await signedIn(env.app, who, ip);
  const check = await c.get('/api/v1/troop-statistics');
  if (check.statusCode !== 200) throw new Error(check.body);
  console.log(`  ${who}: ${check.json().totals.activities} activities in view`);
  await measure(`GET /troop-statistics as ${who} (whole stack, in-process inject)`, () =>
    c.get('/api/v1/troop-statistics'),
  );
  await measure(`GET /troop-statistics?fromMonth=2025-01&toMonth=2025-12 as ${who}`, () =>
    c.get('/api/v1/troop-statistics?fromMonth=2025-01&toMonth=2025-12'),
  );
}
// the statements alone: the whole city's sums with names from the coarse rows (what the 军分区's
// view reads), and the same sums from the (unit, district, type, month) rows (what it read before)
await measure('statement only: the sums by every dimension, whole city, from the coarse city rows', () =>
  troopsRepo.statsAll(db, resolveScope('all', { id: user.id, orgId: '', orgPath: '650200/' }), {}),
);
const cityScope = resolveScope('subtree', { id: user.id, orgId: '', orgPath: '650200/' });
await measure('for comparison: the same sums from the unit × district × type × month rows (one statement)', () =>
  troopsRepo.statsAll(db, cityScope, {}),
);
// the same totals by type from the base table (what the maintained rows avoid)
await measure('for comparison: GROUP BY type over troop_activities (whole city, base table)', () =>
  db
    .selectFrom('troop_activities')
    .select(['type', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.sum('service_minutes').as('m')])
    .where('status', '=', 'recorded')
    .groupBy('type')
    .execute(),
);
await env.close();
