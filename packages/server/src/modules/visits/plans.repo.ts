import type { visitTargetListQuery } from '@shuangyong/shared';
import { type Insertable, sql } from 'kysely';
import type { z } from 'zod';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { PLAN_SCOPE, TARGET_SCOPE } from './visits.repo.js';
import type { VisitPlansTable, VisitTargetsTable } from './visits.schema.js';

/** A confirmed target's `owner_key`: one per household or unit and campaign (unique index). */
const ownerKeyOf = (alias?: 't') =>
  alias
    ? sql<string>`${sql.ref(`${alias}.campaign_id`)} || '|' || ${sql.ref(`${alias}.target_key`)}`
    : sql<string>`campaign_id || '|' || target_key`;

export type TargetFilter = Partial<z.infer<typeof visitTargetListQuery>>;

/** Plans and their target lists (plans.service.ts holds the rules; target-build.repo.ts the rule build). */
export const plansRepo = {
  /** A page of plans in scope, newest first, and the total. */
  async page(db: Queryable, scope: Scope, campaignId: string | undefined, page: number, pageSize: number) {
    let qb = db
      .selectFrom('visit_plans as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .where((eb) => scopeWhere(eb, scope, PLAN_SCOPE));
    if (campaignId) qb = qb.where('p.campaign_id', '=', campaignId);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('p')
        .select('o.name as org_name')
        .orderBy('p.created_at', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  async insert(db: Queryable, row: Insertable<VisitPlansTable>) {
    await db.insertInto('visit_plans').values(row).execute();
  },

  /** Sets columns of a plan the caller has checked (in scope, version). */
  async set(db: Queryable, id: string, set: Partial<Insertable<VisitPlansTable>>) {
    await db.updateTable('visit_plans').set(set).where('id', '=', id).execute();
  },

  /** The rule targets of a plan, before its rules are evaluated again (hand-entered ones stay). */
  async deleteRuleTargets(db: Queryable, planId: string) {
    await db.deleteFrom('visit_targets').where('plan_id', '=', planId).where('manual', '=', 0).execute();
  },

  /** The target of a plan with this household or unit key, if any. */
  targetByKey(db: Queryable, scope: Scope, planId: string, key: string) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('plan_id', '=', planId)
      .where('target_key', '=', key)
      .executeTakeFirst();
  },

  /** A target entered by hand; the plan counts one more. */
  async addTarget(db: Queryable, row: Insertable<VisitTargetsTable>, now: string) {
    await db.insertInto('visit_targets').values(row).execute();
    await db
      .updateTable('visit_plans')
      .set((eb) => ({ target_count: eb('target_count', '+', 1), updated_at: now }))
      .where('id', '=', row.plan_id)
      .execute();
  },

  /** What a plan's letters share: its template and the sending org (a job's plan, checked when queued). */
  letterFacts(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_plans as p')
      .where((eb) => scopeWhere(eb, scope, { path: 'p.org_path', orgId: 'p.org_id' }))
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .select(['p.campaign_id', 'p.letter_template', 'o.name as org_name'])
      .where('p.id', '=', planId)
      .executeTakeFirstOrThrow();
  },

  /** How many targets of a plan get a letter (all but the excluded). */
  async letterCount(db: Queryable, scope: Scope, planId: string): Promise<number> {
    const r = await db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .where('status', '<>', 'excluded')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** The next `limit` targets of a plan that get a letter, by id after `after`. */
  letterTargets(db: Queryable, scope: Scope, planId: string, after: string, limit: number) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'name', 'kind'])
      .where('plan_id', '=', planId)
      .where('status', '<>', 'excluded')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  },

  /**
   * Targets in scope with their org's name, filtered (callers add order, page or an id);
   * `orgPath`: the subtree of `q.orgId`, resolved in the caller's scope by the service.
   */
  targets(db: Queryable, scope: Scope, q: TargetFilter, orgPath?: string) {
    let qb = db
      .selectFrom('visit_targets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .selectAll('t')
      .select('o.name as org_name')
      .where((eb) => scopeWhere(eb, scope, TARGET_SCOPE));
    if (q.planId) qb = qb.where('t.plan_id', '=', q.planId);
    if (q.campaignId) qb = qb.where('t.campaign_id', '=', q.campaignId).where('t.status', '=', 'planned');
    if (q.teamId) qb = qb.where('t.team_id', '=', q.teamId);
    if (q.unvisited === 'true') qb = qb.where('t.visit_count', '=', 0);
    if (q.unvisited === 'false') qb = qb.where('t.visit_count', '>', 0);
    if (orgPath) qb = qb.where('t.org_path', '>=', orgPath).where('t.org_path', '<', prefixEnd(orgPath));
    if (q.category) qb = qb.where('t.category', '=', q.category);
    if (q.q) qb = qb.where('t.name', 'like', `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    return qb;
  },

  /** A page of targets in scope (by org, name) and the total of the filter. */
  async targetPage(db: Queryable, scope: Scope, q: TargetFilter, page: number, pageSize: number, orgPath?: string) {
    const base = plansRepo.targets(db, scope, q, orgPath);
    const [rows, total] = await Promise.all([
      base
        .orderBy('t.org_path')
        .orderBy('t.name')
        .orderBy('t.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base
        .clearSelect()
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /**
   * Targets of a plan (the caller read it in scope) that another plan of the same campaign lists
   * too: the household's confirmed owner (`drafts` false) or another draft plan's entry.
   */
  overlaps(db: Queryable, scope: Scope, plan: { id: string; campaign_id: string }, drafts: boolean, limit: number) {
    const from = db
      .selectFrom('visit_targets as t')
      .where((eb) => scopeWhere(eb, scope, { path: 't.org_path', orgId: 't.org_id' }));
    const joined = drafts
      ? // the same household on another draft plan of the campaign, probed plan by plan
        from.innerJoin('visit_targets as o', (j) =>
          j
            .onRef('o.target_key', '=', 't.target_key')
            .on(
              'o.plan_id',
              'in',
              db
                .selectFrom('visit_plans')
                .select('id')
                .where('campaign_id', '=', plan.campaign_id)
                .where('status', '=', 'draft'),
            ),
        )
      : // the household's confirmed owner in the campaign (unique owner_key)
        from.innerJoin('visit_targets as o', (j) => j.on('o.owner_key', '=', ownerKeyOf('t')));
    return joined
      .innerJoin('visit_plans as op', 'op.id', 'o.plan_id')
      .innerJoin('orgs as oo', 'oo.id', 'op.org_id')
      .select(['t.id', 't.name', 'op.id as plan_id', 'op.title', 'oo.name as org_name', 'op.status'])
      .where('t.plan_id', '=', plan.id)
      .where('o.plan_id', '<>', plan.id)
      .where('o.status', '<>', 'excluded')
      .where('t.status', '<>', 'excluded')
      .orderBy('t.name')
      .limit(limit)
      .execute();
  },

  /** Targets of a plan whose household another plan of the campaign already owns (planned). */
  taken(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_targets as t')
      .where((eb) => scopeWhere(eb, scope, { path: 't.org_path', orgId: 't.org_id' }))
      .innerJoin('visit_targets as o', (j) => j.on('o.owner_key', '=', ownerKeyOf('t')))
      .select(['t.id', 't.name', 'o.plan_id'])
      .where('t.plan_id', '=', planId)
      .where('o.status', '=', 'planned')
      .execute();
  },

  async excludeTarget(db: Queryable, id: string, byPlanId: string) {
    await db
      .updateTable('visit_targets')
      .set({ status: 'excluded', excluded_by: byPlanId })
      .where('id', '=', id)
      .execute();
  },

  /** The plan's draft targets become planned, each claiming its household for the campaign. */
  async claimTargets(db: Queryable, planId: string) {
    await db
      .updateTable('visit_targets')
      .set({ status: 'planned', owner_key: ownerKeyOf() })
      .where('plan_id', '=', planId)
      .where('status', '=', 'draft')
      .execute();
  },

  /** Planned targets of a plan counted per coverage key. */
  plannedGroups(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['campaign_id', 'plan_id', 'team_id', 'category', 'org_id', 'org_path'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .where('status', '=', 'planned')
      .groupBy(['campaign_id', 'plan_id', 'team_id', 'category', 'org_id', 'org_path'])
      .execute();
  },
};
