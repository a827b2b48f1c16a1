import type {
  addVisitTargetBody,
  createVisitPlanBody,
  updateVisitPlanBody,
  VisitCampaign,
  VisitPlan,
  VisitRule,
  visitTargetListQuery,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { prefixEnd, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { longWrite } from '../../platform/db/writer.js';
import { AppError, badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ServicesOf } from '../../platform/module.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import type { HonoursService } from '../honours/honours.module.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import type { registryModule } from '../registry/registry.module.js';
import { requireCampaign, workableCampaigns } from './campaign-ref.js';
import { effectiveCaps } from './caps.js';
import { bumpCoverage } from './coverage.js';
import { defaultTemplate } from './letters.js';
import { addManualTarget } from './manual-targets.js';
import { markOutsideVisits, type OutsideVisits, outsideVisits } from './outside-visits.js';
import { plansRepo } from './plans.repo.js';
import { ruleLabel, type SavedRule } from './rules.js';
import { buildRuleTargets, type RuleSources } from './target-build.repo.js';
import { toCaps, toTargets } from './views.js';
import { parseJson, visitsRepo } from './visits.repo.js';

type StoredRule = SavedRule & { matched: number };

export class PlansService {
  constructor(
    private readonly p: Platform,
    private readonly campaignFacts: Campaigns,
    private readonly orgs: OrgsService,
    private readonly registry: ServicesOf<typeof registryModule>,
    private readonly honours: HonoursService,
    /** Units' (and other modules') visits to households, marked on the target list. */
    readonly outside: OutsideVisits = outsideVisits(),
  ) {}

  /** The registry's and honours' rows a rule reads, as the subqueries their modules export. */
  ruleSources(db: Queryable): RuleSources {
    return {
      persons: this.registry.readModel.persons(db, SYSTEM_SCOPE),
      categories: this.registry.readModel.categoryRows(db, SYSTEM_SCOPE),
      households: this.registry.households.rows(db, SYSTEM_SCOPE),
      citations: this.honours.readModel.citations(db, SYSTEM_SCOPE),
    };
  }

  private get db() {
    return this.p.handle.db;
  }

  private today() {
    return localToday(this.p.config.tzDisplay);
  }

  /** The campaigns the caller's visits pages can pick from (see `workableCampaigns`). */
  async campaigns(ctx: RequestCtx): Promise<{ items: VisitCampaign[] }> {
    const rows = await workableCampaigns(this.campaignFacts, this.db, ctx.actor);
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
    const { rows, total } = await plansRepo.page(this.db, ctx.actor.scope, q.campaignId, q.page, q.pageSize);
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
      total,
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

  /**
   * Re-evaluates the rules of a draft plan: rule targets are replaced, hand-entered ones kept. Runs
   * inside `longWrite` (create, update; confirm too): on a SQLite file the build's statements — each
   * up to a few hundred ms at 10^6 persons — run in the writer worker, not on the event loop
   * (decisions/0080).
   */
  private async evaluate(
    trx: Tx,
    ctx: RequestCtx,
    plan: { id: string; campaign_id: string; org_path: string },
    rules: VisitRule[],
  ) {
    const prepared = await this.prepareRules(trx, ctx, plan.org_path, rules);
    await plansRepo.deleteRuleTargets(trx, plan.id);
    const { matched, total } = await buildRuleTargets(
      trx,
      SYSTEM_SCOPE,
      this.p.handle.dialect,
      {
        planId: plan.id,
        campaignId: plan.campaign_id,
        rules: prepared,
        today: this.today(),
        now: nowIso(),
      },
      this.ruleSources(trx),
    );
    const stored: StoredRule[] = prepared.map(({ rule }) => ({ ...rule, matched: matched[rule.id] ?? 0 }));
    return { stored, count: total };
  }

  async create(ctx: RequestCtx, body: z.infer<typeof createVisitPlanBody>): Promise<VisitPlan> {
    const id = await longWrite(this.p.handle, async (trx) => {
      await requireCampaign(this.campaignFacts, trx, body.campaignId);
      const id = uuidv7();
      const now = nowIso();
      const plan = { id, campaign_id: body.campaignId, org_path: ctx.actor.orgPath };
      await plansRepo.insert(trx, {
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
      });
      const { stored, count } = await this.evaluate(trx, ctx, plan, body.rules);
      await plansRepo.set(trx, id, { rules: JSON.stringify(stored), target_count: count });
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
    await longWrite(this.p.handle, async (trx) => {
      const plan = await this.loadPlan(trx, ctx, id, body.version);
      const set: Parameters<typeof plansRepo.set>[2] = { version: plan.version + 1, updated_at: nowIso() };
      if (body.title) set.title = body.title;
      if (body.letterTemplate) set.letter_template = body.letterTemplate;
      if (body.rules) {
        if (plan.status !== 'draft') throw conflict('plan_not_draft', 'visits.planNotDraft');
        const { stored, count } = await this.evaluate(trx, ctx, plan, body.rules);
        set.rules = JSON.stringify(stored);
        set.target_count = count;
      }
      await plansRepo.set(trx, id, set);
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
    const id = await addManualTarget(
      this.p,
      { households: this.registry.households, orgs: this.orgs },
      ctx,
      planId,
      body,
    );
    const rows = await plansRepo.targets(this.db, ctx.actor.scope, {}).where('t.id', '=', id).execute();
    return (
      await markOutsideVisits(this.db, this.campaignFacts, this.outside, rows, await toTargets(this.db, rows))
    )[0]!;
  }

  async targets(ctx: RequestCtx, q: z.infer<typeof visitTargetListQuery>) {
    const org = q.orgId ? await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId) : undefined;
    if (q.orgId && !org) throw notFound();
    // a plan's targets (10^5 at a district's scale): read in the reader threads (decisions/0082)
    const read = this.p.handle.reader;
    const { rows, total } = await plansRepo.targetPage(read, ctx.actor.scope, q, q.page, q.pageSize, org?.path);
    const items = await markOutsideVisits(read, this.campaignFacts, this.outside, rows, await toTargets(read, rows));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /**
   * Targets of this plan that another plan of the same campaign lists too (any department): read in
   * the reader threads, the overlap of two plans of 10^5 targets each (decisions/0082).
   */
  async conflicts(ctx: RequestCtx, planId: string, db: Queryable = this.p.handle.reader) {
    const plan = await visitsRepo.plan(db, ctx.actor.scope, planId);
    if (!plan) throw notFound();
    const LIMIT = 1000;
    const overlaps = (drafts: boolean) => plansRepo.overlaps(db, SYSTEM_SCOPE, plan, drafts, LIMIT);
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
    await longWrite(this.p.handle, async (trx) => {
      const plan = await this.loadPlan(trx, ctx, planId, body.version);
      if (plan.status !== 'draft') throw conflict('plan_not_draft', 'visits.planNotDraft');
      const taken = await plansRepo.taken(trx, SYSTEM_SCOPE, planId);
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
      for (const x of taken) await plansRepo.excludeTarget(trx, x.id, x.plan_id);
      await plansRepo.claimTargets(trx, planId);
      const groups = await plansRepo.plannedGroups(trx, SYSTEM_SCOPE, planId);
      for (const g of groups) {
        const { n, ...dims } = g;
        await bumpCoverage(trx, dims, { planned: toNumber(n) });
      }
      await plansRepo.set(trx, planId, {
        status: 'confirmed',
        confirmed_at: nowIso(),
        version: plan.version + 1,
        updated_at: nowIso(),
      });
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
