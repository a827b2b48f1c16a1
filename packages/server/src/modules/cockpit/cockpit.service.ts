import type { Cockpit } from '@shuangyong/shared';
import type { RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { ServicesOf } from '../../platform/module.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import type { needsModule } from '../needs/needs.module.js';
import type { visitsModule } from '../visits/visits.module.js';

type VisitsServices = ServicesOf<typeof visitsModule>;
type NeedsService = ServicesOf<typeof needsModule>;

const pct = (n: number, d: number) => (d ? Math.round((n * 1000) / d) / 10 : 0);

export interface LeagueInput {
  orgId: string;
  orgName: string;
  completion: number;
  coverage: number;
  overdue: number;
}

/**
 * Competition ranking ("1224"): equal keys share the better place and are marked tied (并列); the
 * next distinct key takes the place after all of them. Order: completion, then coverage (desc),
 * then overdue tasks (asc); the name only orders rows within a tie.
 */
export function rankLeague(rows: LeagueInput[]): (LeagueInput & { rank: number; tied: boolean })[] {
  const key = (r: LeagueInput) => `${r.completion}|${r.coverage}|${r.overdue}`;
  const sorted = [...rows].sort(
    (a, b) =>
      b.completion - a.completion ||
      b.coverage - a.coverage ||
      a.overdue - b.overdue ||
      a.orgName.localeCompare(b.orgName, 'zh-CN'),
  );
  const count = new Map<string, number>();
  for (const r of sorted) count.set(key(r), (count.get(key(r)) ?? 0) + 1);
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || key(sorted[i - 1]!) !== key(r)) rank = i + 1;
    return { ...r, rank, tied: (count.get(key(r)) ?? 0) > 1 };
  });
}

/**
 * The cockpit (issue 18, decisions/0036): one read of each owning module's read model — the
 * campaign's completion matrix (campaigns), coverage / trend / spending from the maintained
 * counters (visits), needs by status and department with SLA colours (needs) — in the caller's
 * scope. Aggregates only: org names and counts, never a person's record.
 */
export class CockpitService {
  constructor(
    private readonly p: Platform,
    private readonly campaigns: Campaigns,
    private readonly visits: VisitsServices,
    private readonly needs: NeedsService,
  ) {}

  today(now = new Date()): string {
    return localDate(now, this.p.config.tzDisplay);
  }

  /** The campaign's part: completion by district and unit, overdue tasks (throws 404 outside scope). */
  async completion(ctx: RequestCtx, campaignId: string) {
    return this.campaigns.dashboards.dashboard(ctx, campaignId);
  }

  coverage(ctx: RequestCtx, campaignId: string) {
    return this.visits.read.coverage(ctx.actor.scope, campaignId);
  }

  trend(ctx: RequestCtx, campaignId: string) {
    return this.visits.read.trend(ctx.actor.scope, campaignId);
  }

  spending(ctx: RequestCtx, campaignId: string) {
    return this.visits.read.spending(ctx, campaignId);
  }

  needsSla(ctx: RequestCtx, today: string) {
    return this.needs.read.sla(ctx.actor.scope, today);
  }

  async cockpit(ctx: RequestCtx, campaignId: string, now = new Date()): Promise<Cockpit> {
    const today = this.today(now);
    const dash = await this.completion(ctx, campaignId);
    const [coverage, trend, spending, needs, breached] = await Promise.all([
      this.coverage(ctx, campaignId),
      this.trend(ctx, campaignId),
      this.spending(ctx, campaignId),
      this.needsSla(ctx, today),
      this.needs.read.breached(ctx.actor.scope, today),
    ]);
    const cov = new Map(coverage.byDistrictPath.map((d) => [d.orgId, d]));
    const league = rankLeague(
      dash.rows
        .filter((r) => r.group === 'district')
        .map((r) => {
          const c = cov.get(r.orgId);
          return {
            orgId: r.orgId,
            orgName: r.orgName,
            completion: r.completion,
            coverage: c ? pct(c.visited, c.planned) : 0,
            overdue: dash.overdue.filter((o) => o.orgName === r.orgName).length,
          };
        }),
    );
    const planned = coverage.cells.reduce((n, c) => n + c.planned, 0);
    const visited = coverage.cells.reduce((n, c) => n + c.visited, 0);
    const status = (s: string) => needs.byStatus.find((x) => x.status === s);
    const open = ['submitted', 'accepted', 'assigned', 'in_progress'].reduce((n, s) => n + (status(s)?.total ?? 0), 0);
    return {
      campaign: { id: dash.campaign.id, title: dash.campaign.title },
      today,
      headline: {
        assigned: dash.totals.assigned,
        accepted: dash.totals.byStatus.accepted,
        completion: dash.totals.completion,
        overdueTasks: dash.overdue.length,
        planned,
        visited,
        coverage: pct(visited, planned),
        visits: trend.reduce((n, d) => n + d.visits, 0),
        spentFen: spending.reduce((n, l) => n + l.spentFen, 0),
        budgetFen: spending.reduce((n, l) => n + l.budgetFen, 0),
        needsOpen: open,
        needsOverdue: needs.byStatus.reduce((n, s) => n + s.overdue, 0),
      },
      completion: dash.rows.map((r) => ({
        orgId: r.orgId,
        orgName: r.orgName,
        group: r.group,
        assigned: r.assigned,
        accepted: r.accepted,
        completion: r.completion,
      })),
      coverage: { districts: coverage.districts, categories: coverage.categories, cells: coverage.cells },
      trend,
      needs,
      spending,
      league: league.map((r) => ({ ...r })),
      overdue: dash.overdue.map((o) => ({
        orgName: o.orgName,
        taskTitle: o.taskTitle,
        deadline: o.deadline,
        daysOverdue: o.daysOverdue,
      })),
      breached,
    };
  }
}
