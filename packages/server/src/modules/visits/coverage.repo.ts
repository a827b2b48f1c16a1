import { expressionBuilder, sql } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { CoverageDelta, CoverageDims } from './coverage.js';

/** Every query on `visit_coverage` (the counters coverage.ts describes). */
export async function bumpCoverage(db: Queryable, dims: CoverageDims, d: CoverageDelta): Promise<void> {
  const row = {
    ...dims,
    planned: d.planned ?? 0,
    visited: d.visited ?? 0,
    visits: d.visits ?? 0,
    cash_fen: d.cash_fen ?? 0,
    goods_fen: d.goods_fen ?? 0,
  };
  await db
    .insertInto('visit_coverage')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['campaign_id', 'plan_id', 'team_id', 'category', 'org_id']).doUpdateSet((eb) => ({
        planned: eb('visit_coverage.planned', '+', eb.ref('excluded.planned')),
        visited: eb('visit_coverage.visited', '+', eb.ref('excluded.visited')),
        visits: eb('visit_coverage.visits', '+', eb.ref('excluded.visits')),
        cash_fen: eb('visit_coverage.cash_fen', '+', eb.ref('excluded.cash_fen')),
        goods_fen: eb('visit_coverage.goods_fen', '+', eb.ref('excluded.goods_fen')),
      })),
    )
    .execute();
}

/** Recomputes the counters of one campaign (or all) from visit_targets and visits. */
export async function rebuildCoverage(db: Queryable, scope: Scope, campaignId?: string): Promise<void> {
  const where = campaignId ? sql`AND t.campaign_id = ${campaignId}` : sql``;
  const inScope = scopeWhere(expressionBuilder<Database, never>(), scope, { path: 't.org_path', orgId: 't.org_id' });
  await (campaignId
    ? db.deleteFrom('visit_coverage').where('campaign_id', '=', campaignId)
    : db.deleteFrom('visit_coverage')
  ).execute();
  await sql`
    INSERT INTO visit_coverage (campaign_id, plan_id, team_id, category, org_id, org_path,
                                planned, visited, visits, cash_fen, goods_fen)
    SELECT t.campaign_id, t.plan_id, t.team_id, t.category, t.org_id, t.org_path,
           COUNT(*),
           SUM(CASE WHEN v.n IS NULL THEN 0 ELSE 1 END),
           COALESCE(SUM(v.n), 0), COALESCE(SUM(v.cash), 0), COALESCE(SUM(v.goods), 0)
    FROM visit_targets t
    LEFT JOIN (SELECT target_id, COUNT(*) AS n, SUM(cash_fen) AS cash, SUM(goods_fen) AS goods
               FROM visits GROUP BY target_id) v ON v.target_id = t.id
    WHERE t.status = 'planned' AND ${inScope} ${where}
    GROUP BY t.campaign_id, t.plan_id, t.team_id, t.category, t.org_id, t.org_path`.execute(db);
}

export async function coverageRows(db: Queryable, scope: Scope, campaignId: string, planId?: string, orgPath?: string) {
  let q = db
    .selectFrom('visit_coverage as v')
    .selectAll('v')
    .where('v.campaign_id', '=', campaignId)
    .where((eb) => scopeWhere(eb, scope, { path: 'v.org_path', orgId: 'v.org_id' }));
  if (planId) q = q.where('v.plan_id', '=', planId);
  if (orgPath) q = q.where('v.org_path', '>=', orgPath).where('v.org_path', '<', prefixEnd(orgPath));
  return q.execute();
}

export async function teamNames(db: Queryable, scope: Scope, teamIds: string[]) {
  if (!teamIds.length) return [];
  return db
    .selectFrom('visit_teams')
    .select(['id', 'name'])
    .where('id', 'in', teamIds)
    .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
    .execute();
}

/** Planned targets of a campaign (in scope) among `householdIds`, counted per coverage cell. */
export async function troopVisitedCells(
  db: Queryable,
  scope: Scope,
  campaignId: string,
  planId: string | undefined,
  householdIds: readonly string[],
) {
  const out = [];
  for (let i = 0; i < householdIds.length; i += 500) {
    let q = db
      .selectFrom('visit_targets as t')
      .select(['t.campaign_id', 't.plan_id', 't.team_id', 't.category', 't.org_id', 't.org_path'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('t.campaign_id', '=', campaignId)
      .where('t.status', '=', 'planned')
      .where('t.household_id', 'in', householdIds.slice(i, i + 500))
      .where((eb) => scopeWhere(eb, scope, { path: 't.org_path', orgId: 't.org_id' }));
    if (planId) q = q.where('t.plan_id', '=', planId);
    out.push(
      ...(await q
        .groupBy(['t.campaign_id', 't.plan_id', 't.team_id', 't.category', 't.org_id', 't.org_path'])
        .execute()),
    );
  }
  return out;
}
