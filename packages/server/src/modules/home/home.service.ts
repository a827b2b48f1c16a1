import type { Home, HomeFigures, HomeTodo, HomeTodoKey } from '@shuangyong/shared';
import type { RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { ServicesOf } from '../../platform/module.js';
import type { benefitsModule } from '../benefits/benefits.module.js';
import type { campaignsModule } from '../campaigns/campaigns.module.js';
import type { honoursModule } from '../honours/honours.module.js';
import type { needsModule } from '../needs/needs.module.js';
import type { notificationsModule } from '../notifications/notifications.module.js';
import type { registryModule } from '../registry/registry.module.js';
import type { visitsModule } from '../visits/visits.module.js';

type NeedsService = ServicesOf<typeof needsModule>;

/** The services of the modules the home page reads (their lists and read models). */
export interface HomeDeps {
  notifications: ServicesOf<typeof notificationsModule>;
  registry: ServicesOf<typeof registryModule>;
  honours: ServicesOf<typeof honoursModule>;
  needs: NeedsService;
  campaigns: ServicesOf<typeof campaignsModule>;
  visits: ServicesOf<typeof visitsModule>;
  benefits: ServicesOf<typeof benefitsModule>;
}

const ONE = { page: 1, pageSize: 1 } as const;
const percent = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

/** Monday 00:00 of the current week in the display zone, as an instant (ISO). */
export function weekStart(now: Date, timeZone: string): string {
  const today = localDate(now, timeZone);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const monday = new Date(Date.parse(`${today}T00:00:00Z`) - weekday * 86_400_000);
  // the zone's offset at that midnight: the wall clock there minus UTC
  const wall = new Date(monday.toLocaleString('en-US', { timeZone }));
  const utc = new Date(monday.toLocaleString('en-US', { timeZone: 'UTC' }));
  return new Date(monday.getTime() - (wall.getTime() - utc.getTime())).toISOString();
}

/**
 * The home page of every role (issue 18, item 1): the caller's to-dos and key figures. Every
 * number is the total of the list it links to, read through that list's own service with the
 * same filter (and so the same scope rules) — the page can never disagree with the list.
 */
export class HomeService {
  constructor(
    private readonly p: Platform,
    private readonly d: HomeDeps,
  ) {}

  async home(ctx: RequestCtx, now = new Date()): Promise<Home> {
    const [todos, figures] = await Promise.all([this.todos(ctx), this.figures(ctx, now)]);
    return { todos, figures };
  }

  async todos(ctx: RequestCtx): Promise<HomeTodo[]> {
    const can = (perm: string) => ctx.actor.permissions.has(perm as never);
    const { campaigns, needs, visits, registry, honours, notifications, benefits } = this.d;
    const jobs: Promise<HomeTodo | null>[] = [];
    const add = (key: HomeTodoKey, link: string, urgent: boolean, count: Promise<number>) =>
      jobs.push(count.then((n) => ({ key, count: n, link, urgent })));
    const tasks = (status: 'overdue' | 'returned' | 'not_started' | 'in_progress' | 'submitted') =>
      campaigns.work.list(ctx, { ...ONE, status }).then((r) => r.total);
    if (can('campaign:report')) {
      add('tasksOverdue', '/campaign-tasks?status=overdue', true, tasks('overdue'));
      add('tasksReturned', '/campaign-tasks?status=returned', false, tasks('returned'));
      add('tasksNotStarted', '/campaign-tasks?status=not_started', false, tasks('not_started'));
      add('tasksInProgress', '/campaign-tasks?status=in_progress', false, tasks('in_progress'));
    }
    if (can('campaign:manage')) add('reportsToReview', '/campaign-tasks?status=submitted', false, tasks('submitted'));
    const needTotal = (q: Record<string, string>) =>
      needs
        .page(ctx, { ...ONE, sort: 'createdAt', order: 'desc', ...q } as Parameters<NeedsService['page']>[1])
        .then((r) => r.total);
    if (can('need:triage')) {
      add('needsToAccept', '/needs?status=submitted', false, needTotal({ status: 'submitted' }));
      add('needsToAssign', '/needs?status=accepted', false, needTotal({ status: 'accepted' }));
    }
    if (can('need:handle')) add('needsToHandle', '/needs-inbox', false, needTotal({ inbox: 'true', open: 'true' }));
    // the requester rates a resolved case; triage (the city) sees every case and rates none
    if (can('need:create') && !can('need:triage'))
      add('needsToRate', '/needs?status=resolved', false, needTotal({ status: 'resolved' }));
    if (can('need:read')) add('needsOverdue', '/needs?overdue=true', true, needTotal({ overdue: 'true' }));
    // reconciliation discrepancies are cases of their owner (decisions/0055)
    if (can('benefit:pay')) {
      const discrepancies = (q: { mine?: 'true'; overdue?: 'true' }) =>
        benefits.discrepancies.page(ctx, { ...ONE, status: 'open', ...q }).then((r) => r.total);
      add('discrepanciesToHandle', '/benefits?tab=discrepancies&mine=true', false, discrepancies({ mine: 'true' }));
      add('discrepanciesOverdue', '/benefits?tab=discrepancies&overdue=true', true, discrepancies({ overdue: 'true' }));
    }
    if (can('visit:approve'))
      add(
        'visitApprovals',
        '/visit-money',
        false,
        visits.records.page(ctx, { ...ONE, approval: 'pending' }).then((r) => r.total),
      );
    if (can('beneficiary:write'))
      add(
        'transfersToDecide',
        '/transfers',
        false,
        registry.transfers.page(ctx, 'pending', 1, 1).then((r) => r.total),
      );
    if (can('honor:manage'))
      add(
        'citationsDue',
        '/citations?pending=true',
        false,
        honours.citations(ctx, { ...ONE, pending: 'true' }).then((r) => r.total),
      );
    if (can('beneficiary:import'))
      add(
        'importsFinished',
        '/beneficiaries/import?recent=true',
        false,
        registry.imports.recent(ctx, 1, 1).then((r) => r.total),
      );
    add(
      'notificationsUnread',
      '/notifications',
      false,
      notifications.page(ctx, ONE).then((r) => r.unread),
    );
    const all = await Promise.all(jobs);
    return all.filter((x): x is HomeTodo => x !== null && x.count > 0);
  }

  async figures(ctx: RequestCtx, now = new Date()): Promise<HomeFigures> {
    const can = (perm: string) => ctx.actor.permissions.has(perm as never);
    const { campaigns, needs, visits } = this.d;
    let campaign: HomeFigures['campaign'] = null;
    let visitFigures: HomeFigures['visits'] = null;
    if (can('campaign:read')) {
      const current = (await visits.plans.campaigns(ctx)).items.find((c) => c.status === 'issued');
      if (current) {
        const [all, accepted] = await Promise.all([
          campaigns.work.list(ctx, { ...ONE, campaignId: current.id }),
          campaigns.work.list(ctx, { ...ONE, campaignId: current.id, status: 'accepted' }),
        ]);
        campaign = {
          id: current.id,
          title: current.title,
          assignments: all.total,
          accepted: accepted.total,
          completionPercent: percent(accepted.total, all.total),
        };
        if (can('visit:read') && ctx.actor.scopeKind !== 'org' && ctx.actor.scopeKind !== 'own') {
          const s = await visits.money.spending(ctx, current.id);
          const sum = (f: (r: (typeof s.byOrg)[number]) => number) => s.byOrg.reduce((a, r) => a + f(r), 0);
          const planned = sum((r) => r.planned);
          const visited = sum((r) => r.visited);
          visitFigures = {
            planned,
            visited,
            coveragePercent: percent(visited, planned),
            spentFen: sum((r) => r.cashFen + r.goodsFen),
            budgetFen: sum((r) => r.budgetFen ?? 0),
          };
        }
      }
    }
    let needFigures: HomeFigures['needs'] = null;
    if (can('need:read')) {
      const total = (q: Record<string, string>) =>
        needs
          .page(ctx, { ...ONE, sort: 'createdAt', order: 'desc', ...q } as Parameters<NeedsService['page']>[1])
          .then((r) => r.total);
      const [open, overdue, week] = await Promise.all([
        total({ open: 'true' }),
        total({ overdue: 'true' }),
        needs.closedSince(ctx, weekStart(now, this.p.config.tzDisplay)),
      ]);
      needFigures = { open, overdue, closedThisWeek: week.closed, averageRating: week.averageRating };
    }
    return { campaign, visits: visitFigures, needs: needFigures };
  }
}
