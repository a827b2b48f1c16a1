import type {
  addVisitTargetBody,
  createVisitPlanBody,
  updateVisitPlanBody,
  VisitCampaign,
  VisitPlan,
  VisitRule,
  visitTargetListQuery,
} from '@shuangyong/shared';
import { sql } from 'kysely';
import type { z } from 'zod';
import { prefixEnd, scopeWhere } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { effectiveCaps } from './caps.js';
import { bumpCoverage } from './coverage.js';
import { defaultTemplate } from './letters.js';
import { addManualTarget } from './manual-targets.js';
import { ruleLabel, type SavedRule } from './rules.js';
import { buildRuleTargets } from './target-build.js';
import { toCaps, toTargets } from './views.js';
import { parseJson, TARGET_SCOPE, visitsRepo } from './visits.repo.js';

type StoredRule = SavedRule & { matched: number };

/** A confirmed target's `owner_key`: one per household or unit and campaign (unique index). */
const ownerKeyOf = (alias?: 't') =>
  alias
    ? sql<string>`${sql.ref(`${alias}.campaign_id`)} || '|' || ${sql.ref(`${alias}.target_key`)}`
    : sql<string>`campaign_id || '|' || target_key`;

export class PlansService {
  constructor(
    private readonly p: Platform,
    private readonly campaignFacts: Campaigns,
    private readonly orgs: OrgsService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  private today() {
    return localToday(this.p.config.tzDisplay);
  }

  /** The campaigns the caller's visits pages can pick from (see `visitsRepo.campaigns`). */
  async campaigns(ctx: RequestCtx): Promise<{ items: VisitCampaign[] }> {
    const rows = await visitsRepo.campaigns(this.db, ctx.actor);
    return {
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        kind: r.kind as VisitCampaign['kind'],
        status: r.status as VisitCampaign['status'],
        orgName: r.org_name,
        issueDate: r.issue_date,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        createdAt: r.created_at,
      })),
    };
  }

  async view(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<VisitPlan> {
    const r = await visitsRepo.plan(db, ctx.actor.scope, id);
    if (!r) throw notFound();
    const caps = await effectiveCaps(this.p, db, r.campaign_id);
    const campaign = r.letter_template ? undefined : await this.campaignFacts.core.facts(r.campaign_id);
    return {
      id: r.id,
      campaignId: r.campaign_id,
      title: r.title,
      orgId: r.org_id,
      orgName: r.org_name,
      status: r.status as VisitPlan['status'],
      rules: parseJson<StoredRule[]>(r.rules, []),
      letterTemplate: r.letter_template ?? defaultTemplate(campaign?.kind ?? 'other'),
      targetCount: r.target_count,
      caps: toCaps(caps),
      confirmedAt: r.confirmed_at,
      version: r.version,
      createdAt: r.created_at,
    };
  }

  async page(ctx: RequestCtx, q: { campaignId?: string; page: number; pageSize: number }) {
    let qb = this.db
      .selectFrom('visit_plans as p')
      .innerJoin('orgs as o', 'o.id', 'p.org_id')
      .where((eb) => scopeWhere(eb, ctx.actor.scope, { path: 'p.org_path', orgId: 'p.org_id' }));
    if (q.campaignId) qb = qb.where('p.campaign_id', '=', q.campaignId);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('p')
        .select('o.name as org_name')
        .orderBy('p.created_at', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        campaignId: r.campaign_id,
        title: r.title,
        orgId: r.org_id,
        orgName: r.org_name,
        status: r.status as VisitPlan['status'],
        targetCount: r.target_count,
        confirmedAt: r.confirmed_at,
        version: r.version,
        createdAt: r.created_at,
      })),
      total: toNumber(total.n),
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  /** Gives every rule an id and a label, and checks its org lies inside the plan's org. */
  private async prepareRules(trx: Tx, ctx: RequestCtx, planPath: string, rules: VisitRule[]) {
    const out: { rule: SavedRule; path: string }[] = [];
    for (const [i, r] of rules.entries()) {
      let path = planPath;
      let orgName: string | undefined;
      if (r.orgId) {
        const org = await this.orgs.inScope(trx, ctx.actor.scope, r.orgId);
        if (!org?.path.startsWith(planPath)) throw badRequest('rule_org_outside', 'visits.ruleOrgOutside');
        path = org.path;
        orgName = org.name;
      }
      out.push({ rule: { ...r, id: r.id ?? `r${i + 1}`, label: ruleLabel(r, orgName) }, path });
    }
    return out;
  }

  /** Re-evaluates the rules of a draft plan: rule targets are replaced, hand-entered ones kept. */
  private async evaluate(
    trx: Tx,
    ctx: RequestCtx,
    plan: { id: string; campaign_id: string; org_path: string },
    rules: VisitRule[],
  ) {
    const prepared = await this.prepareRules(trx, ctx, plan.org_path, rules);
    await trx.deleteFrom('visit_targets').where('plan_id', '=', plan.id).where('manual', '=', 0).execute();
    const { matched, total } = await buildRuleTargets(trx, this.p.handle.dialect, {
      planId: plan.id,
      campaignId: plan.campaign_id,
      rules: prepared,
      today: this.today(),
      now: nowIso(),
    });
    const stored: StoredRule[] = prepared.map(({ rule }) => ({ ...rule, matched: matched[rule.id] ?? 0 }));
    return { stored, count: total };
  }

  async create(ctx: RequestCtx, body: z.infer<typeof createVisitPlanBody>): Promise<VisitPlan> {
    const id = await this.db.transaction().execute(async (trx) => {
      await visitsRepo.requireCampaign(trx, body.campaignId);
      const id = uuidv7();
      const now = nowIso();
      const plan = { id, campaign_id: body.campaignId, org_path: ctx.actor.orgPath };
      await trx
        .insertInto('visit_plans')
        .values({
          id,
          campaign_id: body.campaignId,
          title: body.title,
          org_id: ctx.actor.orgId,
          org_path: ctx.actor.orgPath,
          status: 'draft',
          rules: '[]',
          letter_template: body.letterTemplate ?? null,
          target_count: 0,
          created_by: ctx.actor.userId,
          confirmed_at: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const { stored, count } = await this.evaluate(trx, ctx, plan, body.rules);
      await trx
        .updateTable('visit_plans')
        .set({ rules: JSON.stringify(stored), target_count: count })
        .where('id', '=', id)
        .execute();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_plan.create',
        entityType: 'visit_plan',
        entityId: id,
        changes: { title: [null, body.title], campaign: [null, body.campaignId], targets: [null, count] },
      });
      return id;
    });
    return this.view(ctx, id);
  }

  private async loadPlan(trx: Tx, ctx: RequestCtx, id: string, version?: number) {
    const plan = await visitsRepo.plan(trx, ctx.actor.scope, id);
    if (!plan) throw notFound();
    if (version !== undefined && plan.version !== version) throw versionConflict();
    return plan;
  }

  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updateVisitPlanBody>): Promise<VisitPlan> {
    await this.db.transaction().execute(async (trx) => {
      const plan = await this.loadPlan(trx, ctx, id, body.version);
      const set: Record<string, unknown> = { version: plan.version + 1, updated_at: nowIso() };
      if (body.title) set.title = body.title;
      if (body.letterTemplate) set.letter_template = body.letterTemplate;
      if (body.rules) {
        if (plan.status !== 'draft') throw conflict('plan_not_draft', 'visits.planNotDraft');
        const { stored, count } = await this.evaluate(trx, ctx, plan, body.rules);
        set.rules = JSON.stringify(stored);
        set.target_count = count;
      }
      await trx.updateTable('visit_plans').set(set).where('id', '=', id).execute();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_plan.update',
        entityType: 'visit_plan',
        entityId: id,
        changes: { fields: Object.keys(body).filter((k) => k !== 'version') },
      });
    });
    return this.view(ctx, id);
  }

  async addTarget(ctx: RequestCtx, planId: string, body: z.infer<typeof addVisitTargetBody>) {
    const id = await addManualTarget(this.p, ctx, planId, body);
    const rows = await this.targetQuery(this.db, ctx, {}).where('t.id', '=', id).execute();
    return (await toTargets(this.db, rows))[0]!;
  }

  /** `orgPath`: the subtree of `q.orgId`, resolved in the caller's scope by `targets`. */
  targetQuery(db: Queryable, ctx: RequestCtx, q: Partial<z.infer<typeof visitTargetListQuery>>, orgPath?: string) {
    let qb = db
      .selectFrom('visit_targets as t')
      .innerJoin('orgs as o', 'o.id', 't.org_id')
      .selectAll('t')
      .select('o.name as org_name')
      .where((eb) => scopeWhere(eb, ctx.actor.scope, TARGET_SCOPE));
    if (q.planId) qb = qb.where('t.plan_id', '=', q.planId);
    if (q.campaignId) qb = qb.where('t.campaign_id', '=', q.campaignId).where('t.status', '=', 'planned');
    if (q.teamId) qb = qb.where('t.team_id', '=', q.teamId);
    if (q.unvisited === 'true') qb = qb.where('t.visit_count', '=', 0);
    if (q.unvisited === 'false') qb = qb.where('t.visit_count', '>', 0);
    if (orgPath) qb = qb.where('t.org_path', '>=', orgPath).where('t.org_path', '<', prefixEnd(orgPath));
    if (q.category) qb = qb.where('t.category', '=', q.category);
    if (q.q) qb = qb.where('t.name', 'like', `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    return qb;
  }

  async targets(ctx: RequestCtx, q: z.infer<typeof visitTargetListQuery>) {
    const org = q.orgId ? await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId) : undefined;
    if (q.orgId && !org) throw notFound();
    const base = this.targetQuery(this.db, ctx, q, org?.path);
    const [rows, total] = await Promise.all([
      base
        .orderBy('t.org_path')
        .orderBy('t.name')
        .orderBy('t.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      base
        .clearSelect()
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: await toTargets(this.db, rows), total: toNumber(total.n), page: q.page, pageSize: q.pageSize };
  }

  /** Targets of this plan that another plan of the same campaign lists too (any department). */
  async conflicts(ctx: RequestCtx, planId: string, db: Queryable = this.db) {
    const plan = await visitsRepo.plan(db, ctx.actor.scope, planId);
    if (!plan) throw notFound();
    const LIMIT = 1000;
    const overlaps = (drafts: boolean) => {
      const from = db.selectFrom('visit_targets as t');
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
        .where('t.plan_id', '=', planId)
        .where('o.plan_id', '<>', planId)
        .where('o.status', '<>', 'excluded')
        .where('t.status', '<>', 'excluded')
        .orderBy('t.name')
        .limit(LIMIT)
        .execute();
    };
    const [owned, drafted] = await Promise.all([overlaps(false), overlaps(true)]);
    const rows = [...owned, ...drafted]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, LIMIT);
    return {
      items: rows.map((r) => ({
        targetId: r.id,
        name: r.name,
        otherPlanId: r.plan_id,
        otherPlanTitle: r.title,
        otherOrgName: r.org_name,
        otherStatus: r.status as 'draft' | 'confirmed',
      })),
    };
  }

  /**
   * Confirms a draft plan: its targets become the campaign's (one owner per household or unit).
   * Targets another department has already confirmed are a conflict: refused, or — when the
   * caller chooses — left to that department (excluded here). Coverage counts the rest as planned.
   */
  async confirm(ctx: RequestCtx, planId: string, body: { version: number; dropConflicts?: boolean }) {
    await this.db.transaction().execute(async (trx) => {
      const plan = await this.loadPlan(trx, ctx, planId, body.version);
      if (plan.status !== 'draft') throw conflict('plan_not_draft', 'visits.planNotDraft');
      const taken = await trx
        .selectFrom('visit_targets as t')
        .innerJoin('visit_targets as o', (j) => j.on('o.owner_key', '=', ownerKeyOf('t')))
        .select(['t.id', 't.name', 'o.plan_id'])
        .where('t.plan_id', '=', planId)
        .where('o.status', '=', 'planned')
        .execute();
      if (taken.length && !body.dropConflicts)
        throw new AppError(
          409,
          'plan_conflicts',
          'visits.planConflicts',
          { count: taken.length },
          {
            errors: taken.slice(0, 50).map((x) => ({ path: x.id, message: x.name })),
          },
        );
      for (const x of taken)
        await trx
          .updateTable('visit_targets')
          .set({ status: 'excluded', excluded_by: x.plan_id })
          .where('id', '=', x.id)
          .execute();
      await trx
        .updateTable('visit_targets')
        .set({ status: 'planned', owner_key: ownerKeyOf() })
        .where('plan_id', '=', planId)
        .where('status', '=', 'draft')
        .execute();
      const groups = await trx
        .selectFrom('visit_targets')
        .select(['campaign_id', 'plan_id', 'team_id', 'category', 'org_id', 'org_path'])
        .select((eb) => eb.fn.countAll().as('n'))
        .where('plan_id', '=', planId)
        .where('status', '=', 'planned')
        .groupBy(['campaign_id', 'plan_id', 'team_id', 'category', 'org_id', 'org_path'])
        .execute();
      for (const g of groups) {
        const { n, ...dims } = g;
        await bumpCoverage(trx, dims, { planned: toNumber(n) });
      }
      await trx
        .updateTable('visit_plans')
        .set({ status: 'confirmed', confirmed_at: nowIso(), version: plan.version + 1, updated_at: nowIso() })
        .where('id', '=', planId)
        .execute();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_plan.confirm',
        entityType: 'visit_plan',
        entityId: planId,
        changes: { status: ['draft', 'confirmed'], excluded: taken.length },
      });
    });
    return this.view(ctx, planId);
  }

  /** Targets whose org lies below `orgPath` (a street): for assigning a whole street to a team. */
  streetRange(orgPath: string) {
    return { from: orgPath, to: prefixEnd(orgPath) };
  }
}
