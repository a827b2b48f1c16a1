import { sql } from 'kysely';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../../platform/audit/audit.js';
import type { Platform } from '../../platform/context.js';
import { bulkInsert, withIndexesDeferred } from '../../platform/db/bulk.js';
import type { Queryable } from '../../platform/db/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { seededRandom } from '../../platform/random.js';
import { rebuildCoverage } from './coverage.js';
import { dailyRepo } from './daily.repo.js';

export interface SyntheticVisitsOptions {
  count: number;
  campaignId?: string;
  seed?: number;
  batch?: number;
  /** The plans' titles (default: 模拟走访计划 of the district). */
  planTitle?: (districtName: string) => string;
  /** Visits fall within this many days before now (default 30). */
  days?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A spring-festival campaign with the given id, issued by the city, unless one exists: synthetic
 * visits (and test fixtures) need a campaign their plans can belong to (migration 0006).
 */
export async function ensureCampaign(db: Queryable, id: string, title: string): Promise<void> {
  if (await db.selectFrom('campaigns').select('id').where('id', '=', id).executeTakeFirst()) return;
  const city = await db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('depth', '=', 0)
    .orderBy('path')
    .executeTakeFirstOrThrow();
  const now = new Date().toISOString();
  await db
    .insertInto('campaigns')
    .values({
      id,
      org_id: city.id,
      org_path: city.path,
      title,
      doc_number: null,
      kind: 'spring_festival',
      status: 'issued',
      issuers: '[]',
      recipients: '[]',
      issue_date: null,
      period_start: null,
      period_end: null,
      full_text: null,
      requirements: '[]',
      remind_days_before: 2,
      source_id: null,
      created_by: 'system',
      issued_at: now,
      closed_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

const STAFF = ['张科长', '李干事', '王主任', '赵书记', '刘站长'];
const LEADERS = ['区长', '副区长', '局长', '人武部部长'];
const GOODS = ['米面油', '慰问品礼包', '棉被', '春联年画'];

/**
 * Visits for benchmarks over the synthetic registry: one confirmed plan per district for the
 * campaign (its targets: every household with an active member, created on the first run), then
 * `count` visits spread over those targets (second visits flagged), inserted in bulk. The targets'
 * totals and the coverage counters are recomputed from the base tables at the end.
 */
export async function seedSyntheticVisits(p: Platform, opts: SyntheticVisitsOptions) {
  const db = p.handle.db;
  const campaignId = opts.campaignId ?? 'synthetic';
  const rand = seededRandom(opts.seed ?? 20270101);
  const now = new Date().toISOString();
  const districts = await db
    .selectFrom('orgs')
    .select(['id', 'path', 'name'])
    .where('depth', '=', 1)
    .where('type', '=', 'veterans_bureau')
    .orderBy('path')
    .execute();
  if (!districts.length) throw new Error('no districts: run `shuangyong seed --demo` first');
  await ensureCampaign(db, campaignId, `模拟春节走访慰问（${campaignId}）`);
  const existing = await db
    .selectFrom('visit_plans')
    .select(['id', 'org_path'])
    .where('campaign_id', '=', campaignId)
    .execute();
  const planOf = new Map(existing.map((x) => [x.org_path, x.id]));
  for (const d of districts) {
    if (planOf.has(d.path)) continue;
    const id = uuidv7();
    planOf.set(d.path, id);
    await db
      .insertInto('visit_plans')
      .values({
        id,
        campaign_id: campaignId,
        title: opts.planTitle ? opts.planTitle(d.name) : `${d.name}模拟走访计划`,
        org_id: d.id,
        org_path: d.path,
        status: 'confirmed',
        rules: '[]',
        letter_template: null,
        target_count: 0,
        created_by: 'system',
        confirmed_at: now,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // every household with an active member in the district, one target each
    await sql`
      INSERT INTO visit_targets (id, plan_id, campaign_id, org_id, org_path, kind, target_key, household_id,
        unit_org_id, name, category, reasons, manual, note, oldest_birth, priority_rank, team_id, planned_date,
        status, owner_key, excluded_by, visit_count, cash_fen, goods_fen, last_visit_at, version, created_at)
      SELECT h.id, ${id}, ${campaignId}, h.org_id, h.org_path, 'household', h.id, h.id, NULL,
        MIN(b.name), MIN(b.categories), '[]', 0, NULL, MIN(b.birth_date),
        CASE WHEN COUNT(*) = 1 THEN 0 ELSE 1 END, '', NULL, 'planned', ${`${campaignId}|`} || h.id, NULL,
        0, 0, 0, NULL, 1, ${now}
      FROM households h JOIN beneficiaries b ON b.household_id = h.id AND b.status = 'active'
      WHERE h.org_path >= ${d.path} AND h.org_path < ${`${d.path.slice(0, -1)}0`}
      GROUP BY h.id, h.org_id, h.org_path`.execute(db);
  }
  // target ids by plan, in memory as compactly as possible (10^6 targets ≈ 80 MB)
  const ids: string[] = [];
  const meta: { plan: string; org: string; path: string; key: string }[] = [];
  const metaIndex = new Map<string, number>();
  const metaOf: number[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('visit_targets')
      .select(['id', 'plan_id', 'org_id', 'org_path'])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'planned')
      .where('id', '>', after)
      .orderBy('id')
      .limit(50_000)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      const k = `${r.plan_id}|${r.org_id}`;
      let m = metaIndex.get(k);
      if (m === undefined) {
        m = meta.length;
        meta.push({ plan: r.plan_id, org: r.org_id, path: r.org_path, key: k });
        metaIndex.set(k, m);
      }
      ids.push(r.id);
      metaOf.push(m);
    }
    after = rows[rows.length - 1]!.id;
  }
  if (!ids.length) throw new Error('no targets: run `shuangyong seed --synthetic --beneficiaries N` first');
  // random-order secondary indexes are rebuilt once after the load (a sort each) instead of being
  // updated row by row (platform/db/bulk.ts)
  const seen = new Uint8Array(ids.length);
  const batch = opts.batch ?? 10_000;
  const days = opts.days ?? 30;
  const base = Date.now() - days * 86_400_000;
  let done = 0;
  await withIndexesDeferred(p.handle, ['visits'], async () => {
    while (done < opts.count) {
      const n = Math.min(batch, opts.count - done);
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < n; i++) {
        const ti = Math.floor(rand() * ids.length);
        const m = meta[metaOf[ti]!]!;
        const cash = [20_000, 30_000, 50_000, 80_000][Math.floor(rand() * 4)]!;
        const goodsFen = Math.floor(rand() * 4) * 5_000;
        const at = new Date(base + Math.floor(rand() * days * 86_400_000)).toISOString();
        rows.push({
          id: uuidv7(),
          client_key: uuidv7(),
          target_id: ids[ti],
          target_key: ids[ti],
          plan_id: m.plan,
          campaign_id: campaignId,
          org_id: m.org,
          org_path: m.path,
          visited_at: at,
          visitors: JSON.stringify({
            staff: [STAFF[Math.floor(rand() * STAFF.length)]],
            leaders: [LEADERS[Math.floor(rand() * LEADERS.length)]],
          }),
          cash_fen: cash,
          goods: goodsFen
            ? JSON.stringify([{ item: GOODS[Math.floor(rand() * GOODS.length)], quantity: 1, valueFen: goodsFen }])
            : '[]',
          goods_fen: goodsFen,
          budget_line_id: null,
          needs_text: null,
          notes: null,
          acknowledged: 1,
          acknowledged_by: null,
          repeat_visit: seen[ti] ? 1 : 0,
          approval_status: 'none',
          approval_reasons: null,
          approved_by: null,
          approved_at: null,
          approval_note: null,
          created_by: 'system',
          version: 1,
          created_at: at,
          updated_at: at,
        });
        seen[ti] = 1;
      }
      await bulkInsert(p.handle, 'visits', rows);
      done += n;
      opts.onProgress?.(done, opts.count);
    }
  });
  await recomputeTotals(p, campaignId);
  await p.audit.event(db, SYSTEM_AUDIT_ACTOR, {
    action: 'seed.synthetic_visits',
    changes: { visits: opts.count, campaign: campaignId, targets: ids.length },
  });
  return { created: done, targets: ids.length, campaignId };
}

/** The targets' maintained totals, the plans' target counts and the coverage counters of a campaign, recomputed from the visits. */
export async function recomputeTotals(p: Platform, campaignId: string): Promise<void> {
  await p.handle.db.transaction().execute(async (trx) => {
    await sql`
      UPDATE visit_targets SET
        visit_count = COALESCE((SELECT COUNT(*) FROM visits v WHERE v.target_id = visit_targets.id), 0),
        cash_fen = COALESCE((SELECT SUM(cash_fen) FROM visits v WHERE v.target_id = visit_targets.id), 0),
        goods_fen = COALESCE((SELECT SUM(goods_fen) FROM visits v WHERE v.target_id = visit_targets.id), 0),
        last_visit_at = (SELECT MAX(visited_at) FROM visits v WHERE v.target_id = visit_targets.id)
      WHERE campaign_id = ${campaignId}`.execute(trx);
    await sql`
      UPDATE visit_plans SET target_count = (SELECT COUNT(*) FROM visit_targets t WHERE t.plan_id = visit_plans.id)
      WHERE campaign_id = ${campaignId}`.execute(trx);
    await rebuildCoverage(trx, SYSTEM_SCOPE, campaignId);
    await dailyRepo.rebuild(trx, SYSTEM_SCOPE, p.handle.dialect, p.config.tzDisplay, campaignId);
  });
}
