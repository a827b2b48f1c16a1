import type {
  createBudgetLineBody,
  StandingCaps,
  standingCapsBody,
  updateBudgetLineBody,
  visitCapsBody,
} from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { requireCampaign } from './campaign-ref.js';
import { effectiveCaps, STANDING_CAPS_KEY, standingCaps } from './caps.js';
import { coverageRows } from './coverage.js';
import { moneyRepo } from './money.repo.js';
import { markOutsideVisits, type OutsideVisits, outsideVisits } from './outside-visits.js';
import { toCaps, toTargets } from './views.js';
import { pathPrefix, visitsRepo } from './visits.repo.js';
import type { VisitBudgetLinesTable } from './visits.schema.js';

/** Caps per campaign, budget lines with their maintained spending, spending totals, priority list. */
export class MoneyService {
  constructor(
    private readonly p: Platform,
    private readonly orgs: OrgsService,
    private readonly campaigns: Campaigns,
    private readonly outside: OutsideVisits = outsideVisits(),
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  async caps(campaignId: string) {
    return toCaps(await effectiveCaps(this.p, this.db, campaignId));
  }

  standing() {
    return standingCaps(this.p, this.db);
  }

  /** The city's standing caps: every campaign without caps of its own applies them from now on. */
  async setStanding(ctx: RequestCtx, body: z.infer<typeof standingCapsBody>) {
    if (ctx.actor.scope.kind !== 'all') throw forbidden('visits.capsCityOnly');
    return this.db.transaction().execute(async (trx) => {
      const before = await standingCaps(this.p, trx);
      const after: StandingCaps = {
        cashPerVisitWarnFen: body.cashPerVisitWarnFen ?? null,
        cashPerVisitMaxFen: body.cashPerVisitMaxFen ?? null,
        goodsPerVisitWarnFen: body.goodsPerVisitWarnFen ?? null,
        goodsPerVisitMaxFen: body.goodsPerVisitMaxFen ?? null,
        cashPerTargetMaxFen: body.cashPerTargetMaxFen ?? null,
        goodsPerTargetMaxFen: body.goodsPerTargetMaxFen ?? null,
      };
      await this.p.settings.put(trx, STANDING_CAPS_KEY, after);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_caps.standing',
        entityType: 'settings',
        entityId: STANDING_CAPS_KEY,
        changes: diffFields(before, after),
      });
      return after;
    });
  }

  /** Caps are the city's discipline rule: set once per campaign by a city-wide role. */
  async setCaps(ctx: RequestCtx, body: z.infer<typeof visitCapsBody>) {
    if (ctx.actor.scope.kind !== 'all') throw forbidden('visits.capsCityOnly');
    await this.db.transaction().execute(async (trx) => {
      await requireCampaign(this.campaigns, trx, body.campaignId);
      const old = await visitsRepo.caps(trx, body.campaignId);
      if (old && body.version !== undefined && body.version !== old.version) throw versionConflict();
      const values = {
        cash_per_visit_warn_fen: body.cashPerVisitWarnFen ?? null,
        cash_per_visit_max_fen: body.cashPerVisitMaxFen ?? null,
        goods_per_visit_warn_fen: body.goodsPerVisitWarnFen ?? null,
        goods_per_visit_max_fen: body.goodsPerVisitMaxFen ?? null,
        cash_per_target_max_fen: body.cashPerTargetMaxFen ?? null,
        goods_per_target_max_fen: body.goodsPerTargetMaxFen ?? null,
        updated_by: ctx.actor.userId,
        updated_at: nowIso(),
      };
      if (old) await moneyRepo.updateCaps(trx, body.campaignId, { ...values, version: old.version + 1 });
      else await moneyRepo.insertCaps(trx, { campaign_id: body.campaignId, ...values, version: 1 });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_caps.set',
        entityType: 'campaign',
        entityId: body.campaignId,
        changes: values,
      });
    });
    return (await this.caps(body.campaignId))!;
  }

  private budgetRows(ctx: RequestCtx, campaignId: string, db: Queryable) {
    return moneyRepo.budgetLines(db, ctx.actor.scope, campaignId);
  }

  async budgetLines(ctx: RequestCtx, campaignId: string, db: Queryable = this.db) {
    return { items: (await this.budgetRows(ctx, campaignId, db)).map(toBudgetLine) };
  }

  async createBudgetLine(ctx: RequestCtx, body: z.infer<typeof createBudgetLineBody>) {
    const org = body.orgId
      ? await this.orgs.inScope(this.db, ctx.actor.scope, body.orgId)
      : { id: ctx.actor.orgId, path: ctx.actor.orgPath };
    if (!org) throw notFound();
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      await requireCampaign(this.campaigns, trx, body.campaignId);
      await moneyRepo.insertBudgetLine(trx, {
        id,
        campaign_id: body.campaignId,
        org_id: org.id,
        org_path: org.path,
        name: body.name,
        budget_fen: body.budgetFen,
        spent_fen: 0,
        version: 1,
        created_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_budget_line.create',
        entityType: 'visit_budget_line',
        entityId: id,
        changes: { name: body.name, budget_fen: body.budgetFen },
      });
    });
    return (await this.budgetLines(ctx, body.campaignId)).items.find((x) => x.id === id)!;
  }

  /** Renames a budget line or changes its budget; what it has spent stays (it is maintained by the visits). */
  async updateBudgetLine(ctx: RequestCtx, id: string, body: z.infer<typeof updateBudgetLineBody>) {
    const campaignId = await this.db.transaction().execute(async (trx) => {
      const line = await visitsRepo.budgetLine(trx, ctx.actor.scope, id);
      if (!line) throw notFound();
      if (line.version !== body.version) throw versionConflict();
      const name = body.name ?? line.name;
      const budgetFen = body.budgetFen ?? toNumber(line.budget_fen);
      await moneyRepo.updateBudgetLine(trx, id, { name, budget_fen: budgetFen, version: line.version + 1 });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_budget_line.update',
        entityType: 'visit_budget_line',
        entityId: id,
        changes: { name: [line.name, name], budget_fen: [toNumber(line.budget_fen), budgetFen] },
      });
      return line.campaign_id;
    });
    return (await this.budgetLines(ctx, campaignId)).items.find((x) => x.id === id)!;
  }

  /**
   * Spending per district (from the coverage counters) against the budget of the district's lines
   * (its own and those of the orgs below it), and per budget line against its budget.
   */
  async spending(ctx: RequestCtx, campaignId: string) {
    // dashboard reads over a campaign's targets: on SQLite in the reader threads (decisions/0082)
    const read = this.p.handle.reader;
    const [rows, lines] = await Promise.all([
      coverageRows(read, ctx.actor.scope, campaignId),
      this.budgetRows(ctx, campaignId, read),
    ]);
    const byOrg = new Map<
      string,
      {
        key: string;
        label: string;
        planned: number;
        visited: number;
        visits: number;
        cashFen: number;
        goodsFen: number;
        budgetFen: number | null;
        over: boolean;
      }
    >();
    const empty = (key: string) => ({
      key,
      label: key,
      planned: 0,
      visited: 0,
      visits: 0,
      cashFen: 0,
      goodsFen: 0,
      budgetFen: null,
      over: false,
    });
    for (const r of rows) {
      const key = pathPrefix(r.org_path, 2) ?? r.org_path;
      const c = byOrg.get(key) ?? empty(key);
      c.planned += Number(r.planned);
      c.visited += Number(r.visited);
      c.visits += Number(r.visits);
      c.cashFen += Number(r.cash_fen);
      c.goodsFen += Number(r.goods_fen);
      byOrg.set(key, c);
    }
    for (const l of lines) {
      const key = pathPrefix(l.org_path, 2);
      if (!key) continue; // a city-wide line belongs to no district
      const c = byOrg.get(key) ?? empty(key);
      c.budgetFen = (c.budgetFen ?? 0) + l.budget_fen;
      byOrg.set(key, c);
    }
    const names = await visitsRepo.orgNamesByPath(read, [...byOrg.keys()]);
    for (const c of byOrg.values()) {
      c.label = names.get(c.key)?.name ?? c.key;
      c.over = c.budgetFen !== null && c.cashFen + c.goodsFen > c.budgetFen;
    }
    return {
      byOrg: [...byOrg.values()].sort((a, b) => a.key.localeCompare(b.key)),
      budgetLines: lines.map(toBudgetLine),
    };
  }

  /** Priority targets not yet visited: those living alone first, then the oldest. */
  async unvisited(ctx: RequestCtx, q: { campaignId: string; page: number; pageSize: number }) {
    const read = this.p.handle.reader;
    const { rows, total } = await moneyRepo.unvisited(read, ctx.actor.scope, q.campaignId, q.page, q.pageSize);
    const items = await markOutsideVisits(read, this.campaigns, this.outside, rows, await toTargets(read, rows));
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
}

function toBudgetLine(r: Selectable<VisitBudgetLinesTable> & { org_name: string }) {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    orgId: r.org_id,
    orgName: r.org_name,
    name: r.name,
    budgetFen: r.budget_fen,
    spentFen: r.spent_fen,
    over: r.spent_fen > r.budget_fen,
    version: r.version,
  };
}
