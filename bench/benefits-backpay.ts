// npx tsx bench/benefits-backpay.ts [--n 100000]
// The back pay of a retroactive standard (decisions/0052, 0057) on N synthetic persons, SQLite:
// one released roster of 克拉玛依区 for 2026-03, then a raise of the 烈士遗属 survivor pension
// from 2026-01 whose back pay is computed two ways — the district-month's statement on the writer
// connection (as before 0057: better-sqlite3 runs it on the event loop), and the back-pay job as
// it is now (the statement on the SQLite readers, the lines written 500 per statement with a turn
// of the loop between). Longest event-loop stall of each (the longest gap of a 5 ms interval timer),
// wall time, lines. Prints a Markdown table row per way; docs/decisions/0057 quotes them.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benefitsRepo } from '../packages/server/src/modules/benefits/benefits.repo.js';
import { SYSTEM_SCOPE } from '../packages/server/src/platform/access/scope.js';
import { benefitsBench, machine } from './lib/benefits.js';

const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '100000' } } });
const N = Number(opt.n);
const MONTH = '2026-03';
const DISTRICT = '650200/650203/';

const b = await benefitsBench({
  dialect: 'sqlite',
  n: N,
  tag: 'backpay',
  standards: [
    { benefitType: 'disability_pension', category: 'disabled_veteran', amountFen: 320_000, gradeMin: 5, gradeMax: 6 },
    { benefitType: 'survivor_pension', category: 'martyr_survivor', amountFen: 260_050 },
    { benefitType: 'living_allowance', category: 'demobilized_veteran', amountFen: 180_000 },
  ],
});
const { p, benefits, ctx } = b;

/** Runs `f` with a 5 ms interval timer beside it: the longest gap between its ticks past 5 ms is the longest stall. */
async function measured<T>(f: () => Promise<T>) {
  const gaps: number[] = [];
  let last = performance.now();
  const iv = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last - 5);
    last = now;
  }, 5);
  await new Promise((r) => setTimeout(r, 20));
  gaps.length = 0;
  const t0 = performance.now();
  const out = await f();
  const ms = performance.now() - t0;
  // the gap the work ended in
  await new Promise((r) => setTimeout(r, 6));
  clearInterval(iv);
  gaps.sort((x, y) => x - y);
  const p99 = gaps[Math.floor(gaps.length * 0.99)] ?? 0;
  return { out, ms, maxStallMs: Math.max(0, gaps.at(-1) ?? 0), p99StallMs: Math.max(0, p99) };
}

try {
  const klmy = await p.handle.db.selectFrom('orgs').select('id').where('path', '=', DISTRICT).executeTakeFirstOrThrow();
  const roster = await benefits.createRoster(ctx, { orgId: klmy.id, period: MONTH });
  await p.handle.db.updateTable('benefit_rosters').set({ status: 'released' }).where('id', '=', roster.id).execute();
  // the standard only, written directly: its back pay is run below by hand, not by a job runner
  const raise = async (amountFen: number) => {
    const id = `bench-${amountFen}`;
    await benefitsRepo.insertStandard(p.handle.db, {
      id,
      benefit_type: 'survivor_pension',
      category: 'martyr_survivor',
      grade_min: null,
      grade_max: null,
      disability_cause: null,
      layer: 'national',
      region_path: '',
      amount_fen: amountFen,
      valid_from: '2026-01',
      valid_to: null,
      doc_no: `基准〔2026〕${amountFen}号`,
      note: null,
      created_by: 'bench',
      created_at: new Date().toISOString(),
      withdrawn_at: null,
    });
    return id;
  };
  const rows: string[] = [];
  // 1. before: the statement on the writer connection (the event loop)
  const s1 = await raise(270_000);
  const before = await measured(async () => {
    const at = { org_path: DISTRICT, month: MONTH };
    const cause = { standardId: s1, benefitType: 'survivor_pension' };
    const lines = await benefitsRepo.backpayRows(
      p.handle.db,
      SYSTEM_SCOPE,
      benefits.basis(p.handle.db),
      at,
      cause,
      new Date().toISOString(),
    );
    await benefitsRepo.insertBackpay(p.handle.db, lines);
    return lines.length;
  });
  rows.push(
    `| writer connection (before 0057) | ${before.out} | ${before.ms.toFixed(0)} | ${before.maxStallMs.toFixed(0)} | ${before.p99StallMs.toFixed(0)} |`,
  );
  // 2. after: the job's work, reading on the readers
  const s2 = await raise(280_000);
  const after = await measured(() => benefits.runBackpay({ standardIds: [s2] }, async () => {}));
  rows.push(
    `| job: readers + chunks (0057) | ${after.out.lines} | ${after.ms.toFixed(0)} | ${after.maxStallMs.toFixed(0)} | ${after.p99StallMs.toFixed(0)} |`,
  );
  console.log(`N=${N}, ${machine()}, cpus ${os.cpus().length}`);
  console.log('| way | lines | wall ms | max stall ms | p99 stall ms |\n|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  await b.close();
}
