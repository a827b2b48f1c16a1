import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import './visits.schema.js';

/** Scoped look-ups of the visits tables: every one takes the caller's Scope (DESIGN §3). */
export const PLAN_SCOPE = { path: 'p.org_path', orgId: 'p.org_id' } as const;
export const TARGET_SCOPE = { path: 't.org_path', orgId: 't.org_id' } as const;
export const VISIT_SCOPE = { path: 'v.org_path', orgId: 'v.org_id' } as const;

export const visitsRepo = {
  /** Titles of the plans in scope among `ids` (the audit log's labels). */
  planTitles(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('visit_plans as p')
      .select(['p.id', 'p.title as label'])
      .where('p.id', 'in', ids)
      .where((eb) => scopeWhere(eb, scope, PLAN_SCOPE))
      .execute();
  },

  plan(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_plans as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .selectAll('p')
      .select('o.name as org_name')
      .where('p.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, PLAN_SCOPE))
      .executeTakeFirst();
  },

  target(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_targets as t')
      .selectAll('t')
      .where('t.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, TARGET_SCOPE))
      .executeTakeFirst();
  },

  visit(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visits as v')
      .selectAll('v')
      .where('v.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, VISIT_SCOPE))
      .executeTakeFirst();
  },

  photo(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_photos as v')
      .selectAll('v')
      .where('v.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, VISIT_SCOPE))
      .executeTakeFirst();
  },

  budgetLine(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_budget_lines as b')
      .selectAll('b')
      .where('b.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, { path: 'b.org_path', orgId: 'b.org_id' }))
      .executeTakeFirst();
  },

  /**
   * Ids of the campaigns in which the caller's org, an org above it or an org in their scope
   * plans visits (campaigns that migration 0006 created for orphan ids carry no assignments).
   */
  plannedCampaignIds(db: Queryable, scope: Scope, above: readonly string[]) {
    return db
      .selectFrom('visit_plans as p')
      .select('p.campaign_id')
      .where((e) => e.or([e('p.org_path', 'in', [...above]), scopeWhere(e, scope, PLAN_SCOPE)]));
  },

  caps(db: Queryable, campaignId: string) {
    return db.selectFrom('visit_caps').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
  },

  /** Names of orgs by path (district and street labels of coverage rows and groups). */
  async orgNamesByPath(db: Queryable, paths: string[]): Promise<Map<string, { id: string; name: string }>> {
    const out = new Map<string, { id: string; name: string }>();
    const unique = [...new Set(paths)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await db
        .selectFrom('orgs')
        .select(['id', 'path', 'name'])
        .where('path', 'in', unique.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.path, { id: r.id, name: r.name });
    }
    return out;
  },
};

/** The first `depth` segments of an org path ('650200/650203/650203001/…', 3 → street level). */
export function pathPrefix(path: string, depth: number): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts.length < depth) return null;
  return `${parts.slice(0, depth).join('/')}/`;
}

export const parseJson = <T>(s: string | null, fallback: T): T => (s ? (JSON.parse(s) as T) : fallback);

/** An org path and the paths of the orgs above it ('650200/650203/' → ['650200/', '650200/650203/']). */
export function ancestorPaths(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}
