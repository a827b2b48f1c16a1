// npx tsx bench/render-stall.ts [--runs N] [--jobs] — the event loop while the server renders documents
// (decisions/0077): each renderer on a request path, N renders one after another, first in the
// server's thread (RENDER_WORKERS=0, as before the render pool) then in the render worker, each in
// a child process of its own. A 5 ms setInterval records how late each tick comes (the loop's
// stall); the table goes to stdout for docs/benchmarks.md. `--jobs`: the jobs that make documents
// instead (the model-city binder on the living city, the bulk letters of a plan of --letters
// targets, default 200), N runs each.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    mode: { type: 'string' },
    jobs: { type: 'boolean', default: false },
    letters: { type: 'string', default: '200' },
  },
});
const runs = Number(values.runs);

interface Row {
  scenario: string;
  mode: string;
  first: number;
  p50: number;
  stallMax: number;
  stallP99: number;
  ticks: number;
  /** The event loop's busy time per render (eventLoopUtilization: active). */
  loopMs: number;
}

if (!values.mode) {
  const rows: Row[] = [];
  for (const mode of ['inline', 'worker']) {
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--runs',
        String(runs),
        '--mode',
        mode,
        ...(values.jobs ? ['--jobs', '--letters', values.letters] : []),
      ],
      {
        env: { ...process.env, RENDER_WORKERS: mode === 'inline' ? '0' : '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    rows.push(...(JSON.parse(out) as Row[]));
  }
  const f = (n: number) => n.toFixed(0);
  console.log(
    `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}, ${runs} renders per row, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    '| renderer | where | first render ms | render p50 ms | loop busy ms per render | loop stall max ms | loop stall p99 ms |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|');
  for (const r of rows)
    console.log(
      `| ${r.scenario} | ${r.mode === 'inline' ? 'event loop (before)' : 'render worker (after)'} | ${f(r.first)} | ${f(r.p50)} | ${f(r.loopMs)} | ${f(r.stallMax)} | ${f(r.stallP99)} |`,
    );
  process.exit(0);
}

/** Each scenario once to warm up, then `runs` times with the stall recorder on. */
async function measure(scenarios: [string, () => Promise<unknown>][]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [scenario, run] of scenarios) {
    const t0 = performance.now();
    await run();
    const first = performance.now() - t0;
    const stalls: number[] = [];
    let last = performance.now();
    const tick = setInterval(() => {
      const now = performance.now();
      stalls.push(Math.max(0, now - last - 5));
      last = now;
    }, 5);
    const ms: number[] = [];
    const elu0 = performance.eventLoopUtilization();
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await run();
      ms.push(performance.now() - t);
      // renders come apart, as requests do: the tick after each one records its stall
      await new Promise((r) => setTimeout(r, 20));
    }
    const elu = performance.eventLoopUtilization(elu0);
    clearInterval(tick);
    ms.sort((a, b) => a - b);
    stalls.sort((a, b) => a - b);
    rows.push({
      scenario,
      mode: String(values.mode),
      first,
      p50: ms[Math.floor(ms.length / 2)]!,
      stallMax: stalls.at(-1) ?? 0,
      stallP99: stalls[Math.min(stalls.length - 1, Math.floor(stalls.length * 0.99))] ?? 0,
      ticks: stalls.length,
      loopMs: elu.active / runs,
    });
  }
  return rows;
}

if (values.jobs) {
  const { seedLivingCity } = await import('../packages/server/src/seed/living.js');
  const { signedIn, testEnv } = await import('../packages/server/test/helpers.js');
  const env = await testEnv();
  await seedLivingCity(env.p);
  const db = env.p.handle.db;
  const city = await signedIn(env.app, 'city', '10.9.0.1');
  // the plan with the most targets, topped up to --letters targets (copies of its first one)
  const plan = await db
    .selectFrom('visit_targets')
    .select(['plan_id', (eb) => eb.fn.countAll().as('n')])
    .groupBy('plan_id')
    .orderBy('n', 'desc')
    .executeTakeFirstOrThrow();
  const first = await db
    .selectFrom('visit_targets')
    .selectAll()
    .where('plan_id', '=', plan.plan_id)
    .executeTakeFirstOrThrow();
  const { uuidv7 } = await import('../packages/server/src/platform/ids.js');
  const want = Number(values.letters);
  for (let n = Number(plan.n); n < want; n++)
    await db
      .insertInto('visit_targets')
      .values({ ...first, id: uuidv7(), name: `${first.name}${n}`, status: 'planned' } as never)
      .execute();
  const job = async (url: string, body?: unknown) => {
    const res = await city.post(url, body);
    if (res.statusCode !== 202) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    await env.jobs.idle();
    const status = (await city.get(`/api/v1/jobs/${res.json().id}`)).json();
    if (status.status !== 'succeeded') throw new Error(`${url}: ${JSON.stringify(status)}`);
  };
  const rows = await measure([
    ['创建档案 (binder job: DOCX + XLSX + evidence zip, living city)', () => job('/api/v1/modelcity/binder', {})],
    [`批量慰问信 (letters job, ${want} DOCX in a zip)`, () => job(`/api/v1/visit-plans/${plan.plan_id}/letters`)],
  ]);
  process.stdout.write(JSON.stringify(rows));
  await env.close();
  process.exit(0);
}

const { buildApp } = await import('../packages/server/src/app.js');
const { CARD_RENDER } = await import('../packages/server/src/modules/benefits/card.js');
const { systemActor } = await import('../packages/server/src/platform/auth/actor.js');
const { loadConfig } = await import('../packages/server/src/platform/config.js');
const { createPlatform } = await import('../packages/server/src/platform/context.js');
const { migrateToLatest } = await import('../packages/server/src/platform/db/index.js');
const { LETTER_RENDER } = await import('../packages/server/src/platform/files/letter.js');
const { render } = await import('../packages/server/src/platform/files/render-pool.js');
const { seedDemo } = await import('../packages/server/src/seed/demo.js');
const { seedDemoCampaign } = await import('../packages/server/src/seed/demo-campaign.js');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-render-'));
const p = createPlatform(
  loadConfig({ databaseUrl: `sqlite:${path.join(dir, 'r.db')}`, dataDir: dir, demo: true, logLevel: 'silent' }),
);
await migrateToLatest(p.handle);
await seedDemo(p);
const campaignId = await seedDemoCampaign(p);
const built = await buildApp(p, { logger: false, webDir: path.join(dir, 'no-web') });
const city = await p.handle.db
  .selectFrom('orgs')
  .select(['id', 'path', 'name'])
  .where('depth', '=', 0)
  .executeTakeFirstOrThrow();
const ctx = { actor: systemActor(city, 'brief'), requestId: 'bench', ip: '127.0.0.1' };
// a household of three, two benefits each (the card's usual size); a letter of a page
const card = {
  addressMasked: '乌鲁木齐市天山区****',
  month: '2026-11',
  orgName: '天山区退役军人事务局',
  today: '2026-12-04',
  contact: '天山区退役军人事务局 0991-1234567',
  totalFen: 345_600,
  people: Array.from({ length: 3 }, (_, i) => ({
    name: `张${i}`,
    idMasked: '6501**********123X',
    totalFen: 115_200,
    lines: [
      { benefitType: 'pension', amountFen: 100_000, explanation: '烈士遗属 定期抚恤 乌鲁木齐市标准 新退役〔2025〕1号' },
      { benefitType: 'subsidy', amountFen: 15_200, explanation: '生活补助 新退役〔2025〕2号' },
    ],
  })),
};
const letter = {
  title: '慰问信',
  salutation: '尊敬的张三同志：',
  paragraphs: [
    '值此新春佳节来临之际，谨向您和您的家人致以节日的问候和美好的祝愿！'.repeat(6),
    '祝您身体健康，阖家幸福！',
  ],
  sender: '天山区退役军人事务局',
  date: '2026年12月4日',
};
const summary = await built.services.campaigns.dashboards.build(ctx as never, campaignId);
const scenarios: [string, () => Promise<unknown>][] = [
  [
    '每日简报 (charts + DOCX + PDF, POST /cockpit/briefs service)',
    () => built.services.cockpit.briefs.generate(ctx as never, { campaignId }),
  ],
  ['待遇明白卡 PDF', () => render(CARD_RENDER, { card: card as never, format: 'pdf' })],
  ['待遇明白卡 DOCX', () => render(CARD_RENDER, { card: card as never, format: 'docx' })],
  ['慰问信 PDF', () => render(LETTER_RENDER, { letter, format: 'pdf', fontMissing: 'visits.letter.fontMissing' })],
  ['慰问信 DOCX', () => render(LETTER_RENDER, { letter, format: 'docx', fontMissing: 'visits.letter.fontMissing' })],
  ['工作情况报告 DOCX', () => built.services.campaigns.report.write(summary)],
];
process.stdout.write(JSON.stringify(await measure(scenarios)));
await built.app.close();
await p.handle.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
