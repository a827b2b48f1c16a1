import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { coverageRows } from './coverage.js';
import { dailyRepo } from './daily.repo.js';
import { moneyRepo } from './money.repo.js';
import type { MoneyService } from './money.service.js';
import { categoryLabel } from './rules.js';
import { pathPrefix, visitsRepo } from './visits.repo.js';

/**
 * The visits' read model for the cockpit and the daily brief (issue 18, decisions/0036): coverage
 * by district × category and by district, visits per day and spending per budget line — all from
 * the maintained counters (visit_coverage, visit_daily, the lines' spent_fen), never a scan of
 * targets or visits.
 */
export class VisitsReadModel {
  constructor(
    private readonly p: Platform,
    private readonly money: MoneyService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  /** Planned and visited per (district, category), the districts keyed by their org id. */
  async coverage(scope: Scope, campaignId: string) {
    const rows = await coverageRows(this.db, scope, campaignId);
    const cells = new Map<string, { district: string; category: string; planned: number; visited: number }>();
    const districtPaths = new Set<string>();
    for (const r of rows) {
      const d = pathPrefix(r.org_path, 2) ?? r.org_path;
      districtPaths.add(d);
      const key = `${d}|${r.category}`;
      const c = cells.get(key) ?? { district: d, category: r.category, planned: 0, visited: 0 };
      c.planned += Number(r.planned);
      c.visited += Number(r.visited);
      cells.set(key, c);
    }
    const names = await visitsRepo.orgNamesByPath(this.db, [...districtPaths]);
    const idOf = (path: string) => names.get(path)?.id ?? path;
    const districts = [...districtPaths].sort().map((p) => ({ key: idOf(p), label: names.get(p)?.name ?? p }));
    const categories = [...new Set([...cells.values()].map((c) => c.category))]
      .sort()
      .map((k) => ({ key: k, label: categoryLabel(k) }));
    return {
      districts,
      categories,
      cells: [...cells.values()].map((c) => ({ ...c, district: idOf(c.district) })),
      /** Per district path: for the league table. */
      byDistrictPath: [...districtPaths].map((path) => {
        const own = [...cells.values()].filter((c) => c.district === path);
        return {
          orgId: idOf(path),
          planned: own.reduce((n, c) => n + c.planned, 0),
          visited: own.reduce((n, c) => n + c.visited, 0),
        };
      }),
    };
  }

  /** Visits and money per local day, oldest first. */
  async trend(scope: Scope, campaignId: string) {
    const rows = await dailyRepo.rows(this.db, scope, campaignId);
    const days = new Map<string, { day: string; visits: number; moneyFen: number }>();
    for (const r of rows) {
      const d = days.get(r.day) ?? { day: r.day, visits: 0, moneyFen: 0 };
      d.visits += Number(r.visits);
      d.moneyFen += Number(r.cash_fen) + Number(r.goods_fen);
      days.set(r.day, d);
    }
    return [...days.values()].filter((d) => d.visits !== 0).sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  /** Spending per budget line against its budget, in the caller's scope. */
  async spending(ctx: RequestCtx, campaignId: string) {
    const { items } = await this.money.budgetLines(ctx, campaignId);
    return items.map((l) => ({
      id: l.id,
      name: l.name,
      orgName: l.orgName,
      budgetFen: l.budgetFen,
      spentFen: l.spentFen,
    }));
  }

  /**
   * Budget lines that have spent something (经费列入预算并有支出), in scope, for evidence
   * (decisions/0046): by id, or those created within [from, to) as UTC instants.
   */
  async spentBudgetLines(scope: Scope, f: { id?: string; from?: string; to?: string }, limit: number) {
    const rows = await moneyRepo.spentLines(this.db, scope, f, limit);
    return rows.map((r) => ({
      id: r.id,
      orgId: r.org_id,
      orgPath: r.org_path,
      orgName: r.org_name,
      name: r.name,
      budgetFen: Number(r.budget_fen),
      spentFen: Number(r.spent_fen),
      createdAt: r.created_at,
    }));
  }

  /** Recomputes the per-day counters from the visits (after bulk loads). */
  rebuildDaily(campaignId?: string) {
    return dailyRepo.rebuild(this.db, SYSTEM_SCOPE, this.p.handle.dialect, this.p.config.tzDisplay, campaignId);
  }
}
