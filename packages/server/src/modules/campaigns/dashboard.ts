import type { CampaignDashboard, DisplayStatus, FigureDef } from '@shuangyong/shared';
import { DISPLAY_STATUSES } from '@shuangyong/shared';
import type { RequestCtx } from '../../platform/auth/actor.js';
import { toNumber } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';
import { campaignsRepo, completion, daysBetween, displayStatus, issuerSide, json } from './campaigns.repo.js';
import { type CampaignsContext, today } from './context.js';
import { dashboardRepo } from './dashboard.repo.js';

type Group = CampaignDashboard['rows'][number]['group'];
const GROUP_ORDER: Record<Group, number> = { district: 0, unit: 1, department: 2, other: 3 };

function groupOf(o: { type: string; depth: number }): Group {
  if (o.type === 'veterans_bureau' && o.depth === 1) return 'district';
  if (o.type === 'military_unit') return 'unit';
  if (o.type === 'department') return 'department';
  return 'other';
}

/** What the summary report needs beyond the dashboard: per-task figures summed over accepted reports. */
export interface CampaignSummary {
  dashboard: CampaignDashboard;
  campaign: {
    title: string;
    docNumber: string | null;
    issuers: string[];
    issueDate: string | null;
    periodStart: string | null;
    periodEnd: string | null;
  };
  items: { ordinal: number; title: string }[];
  tasks: {
    id: string;
    itemOrdinal: number;
    title: string;
    deadline: string;
    assigned: number;
    accepted: number;
    figures: { label: string; unit: string; total: number }[];
  }[];
  inspections: { orgName: string; inspectedOn: string; findings: string; rectifications: number; closed: number }[];
}

/**
 * The completion matrix (organisations × tasks) of one campaign, computed from its assignment rows:
 * a campaign has tens of orgs and tasks, so this is a few hundred rows read by index, scoped like
 * everything else (a recipient sees its own row only).
 */
export class Dashboards {
  constructor(private readonly cx: CampaignsContext) {}

  private get db() {
    return this.cx.p.handle.db;
  }

  async dashboard(ctx: RequestCtx, id: string): Promise<CampaignDashboard> {
    return (await this.build(ctx, id)).dashboard;
  }

  async build(ctx: RequestCtx, id: string): Promise<CampaignSummary> {
    const db = this.db;
    const c = await campaignsRepo.campaign(db, ctx.actor.scope, id);
    if (!c) throw notFound();
    const scope = ctx.actor.scope;
    const issuer = issuerSide(scope, c);
    const day = today(this.cx);
    const { items, tasks, assignments, inspections, reports } = await dashboardRepo.rows(db, scope, id, issuer);
    const itemOrdinal = new Map(items.map((i) => [i.id, i.ordinal]));
    const visibleTasks = tasks
      .filter((tk) => issuer || assignments.some((a) => a.task_id === tk.id))
      .sort((a, b) => (itemOrdinal.get(a.item_id) ?? 0) - (itemOrdinal.get(b.item_id) ?? 0) || a.ordinal - b.ordinal);
    const taskTitle = new Map(tasks.map((tk) => [tk.id, tk.title]));

    const byOrg = new Map<string, typeof assignments>();
    for (const a of assignments) byOrg.set(a.org_id, [...(byOrg.get(a.org_id) ?? []), a]);
    const byStatus = Object.fromEntries(DISPLAY_STATUSES.map((s) => [s, 0])) as Record<DisplayStatus, number>;
    const overdue: CampaignDashboard['overdue'] = [];
    const rows = [...byOrg.values()]
      .map((own) => {
        const o = own[0]!;
        let accepted = 0;
        let reported = 0;
        let late = 0;
        const cells = visibleTasks.map((tk) => {
          const a = own.find((x) => x.task_id === tk.id);
          if (!a) return null;
          const status = displayStatus(a.status, a.deadline, day);
          byStatus[status]++;
          if (status === 'accepted') accepted++;
          if (status === 'accepted' || status === 'submitted') reported++;
          if (status === 'overdue') {
            late++;
            overdue.push({
              assignmentId: a.id,
              orgName: o.name,
              taskTitle: taskTitle.get(a.task_id) ?? '',
              deadline: a.deadline,
              daysOverdue: daysBetween(a.deadline, day),
            });
          }
          return { taskId: tk.id, assignmentId: a.id, displayStatus: status };
        });
        const assigned = cells.filter(Boolean).length;
        return {
          orgId: o.org_id,
          orgName: o.name,
          orgPath: o.org_path,
          group: groupOf(o),
          cells,
          assigned,
          accepted,
          reported,
          late,
          completion: completion(accepted, assigned),
        };
      })
      .sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || (a.orgPath < b.orgPath ? -1 : 1));

    const ranked = rows
      .filter((r) => r.group === 'district')
      .sort(
        (a, b) =>
          b.completion - a.completion || b.reported - a.reported || a.late - b.late || (a.orgPath < b.orgPath ? -1 : 1),
      );
    const key = (r: (typeof ranked)[number]) => `${r.completion}|${r.reported}|${r.late}`;
    const ranking = ranked.map((r, i) => ({
      rank: ranked.findIndex((x) => key(x) === key(r)) + 1 || i + 1,
      orgId: r.orgId,
      orgName: r.orgName,
      completion: r.completion,
      accepted: r.accepted,
      reported: r.reported,
      overdue: r.late,
    }));
    const assigned = assignments.length;
    const dashboard: CampaignDashboard = {
      campaign: { id: c.id, title: c.title, status: c.status },
      today: day,
      tasks: visibleTasks.map((tk) => ({
        id: tk.id,
        itemOrdinal: itemOrdinal.get(tk.item_id) ?? 0,
        title: tk.title,
        deadline: tk.deadline,
      })),
      rows: rows.map(({ orgPath: _p, reported: _r, late: _l, ...r }) => r),
      totals: { assigned, byStatus, completion: completion(byStatus.accepted, assigned) },
      overdue: overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.orgName.localeCompare(b.orgName)),
      ranking,
      inspections: {
        total: inspections.length,
        openRectifications: inspections.reduce((n, i) => n + toNumber(i.rects) - toNumber(i.closed), 0),
      },
    };

    const sums = new Map<string, Record<string, number>>();
    for (const r of reports) {
      const s = sums.get(r.task_id) ?? {};
      for (const [k, v] of Object.entries(json<Record<string, number>>(r.figures, {}))) s[k] = (s[k] ?? 0) + v;
      sums.set(r.task_id, s);
    }
    return {
      dashboard,
      campaign: {
        title: c.title,
        docNumber: c.doc_number,
        issuers: json<string[]>(c.issuers, []),
        issueDate: c.issue_date,
        periodStart: c.period_start,
        periodEnd: c.period_end,
      },
      items: [...items].sort((a, b) => a.ordinal - b.ordinal).map((i) => ({ ordinal: i.ordinal, title: i.title })),
      tasks: visibleTasks.map((tk) => {
        const own = assignments.filter((a) => a.task_id === tk.id);
        return {
          id: tk.id,
          itemOrdinal: itemOrdinal.get(tk.item_id) ?? 0,
          title: tk.title,
          deadline: tk.deadline,
          assigned: own.length,
          accepted: own.filter((a) => a.status === 'accepted').length,
          figures: json<FigureDef[]>(tk.figures, []).map((f) => ({
            label: f.label,
            unit: f.unit ?? '',
            total: sums.get(tk.id)?.[f.key] ?? 0,
          })),
        };
      }),
      inspections: inspections.map((i) => ({
        orgName: i.name,
        inspectedOn: i.inspected_on,
        findings: i.findings,
        rectifications: toNumber(i.rects),
        closed: toNumber(i.closed),
      })),
    };
  }
}
