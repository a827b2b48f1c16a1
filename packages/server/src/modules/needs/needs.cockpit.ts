import { NEED_STATUSES, type NeedStatus, type SlaLevel, t } from '@shuangyong/shared';
import type { Scope } from '../../platform/access/scope.js';
import type { Platform } from '../../platform/context.js';
import { toNumber } from '../../platform/db/index.js';
import { needsCockpitRepo } from './cockpit.repo.js';
import { HANDLING_STATUSES, workingDaysLeft } from './needs.machine.js';
import type { SlaBounds } from './needs.repo.js';

/** Working days left at or below which a running case shows amber. */
export const DUE_SOON_WORKING_DAYS = 2;

/** The SLA colour of a case: handled and past its deadline → overdue; within 2 working days → due soon. */
export function slaLevel(status: NeedStatus, deadline: string | null, today: string): SlaLevel {
  if (!deadline || !HANDLING_STATUSES.includes(status)) return 'none';
  if (deadline < today) return 'overdue';
  return workingDaysLeft(today, deadline) <= DUE_SOON_WORKING_DAYS ? 'dueSoon' : 'ok';
}

/**
 * The bounds of the colours on `today`: the last deadline that still shows amber is the last date
 * with at most DUE_SOON_WORKING_DAYS working days left (`workingDaysLeft` only grows with the
 * deadline, so the dates after it are all green). A few calendar days are walked, once per call.
 */
export function slaBounds(today: string): SlaBounds {
  let soonUntil = today;
  const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (let d = next(today); workingDaysLeft(today, d) <= DUE_SOON_WORKING_DAYS; d = next(d)) soonUntil = d;
  return { today, soonUntil };
}

type Sla = Record<SlaLevel, number> & { total: number };
const emptySla = (): Sla => ({ ok: 0, dueSoon: 0, overdue: 0, none: 0, total: 0 });

/**
 * The needs' read model for the cockpit (issue 18): counts by status and by lead department, each
 * split by working-day SLA colour, and the cases that breached their deadline. Counts and the titles
 * the civil side sees — never military-only details, never a requester's personal data.
 */
export class NeedsReadModel {
  constructor(private readonly p: Platform) {}

  async sla(scope: Scope, today: string) {
    const db = this.p.handle.db;
    const rows = await needsCockpitRepo.groups(db, scope, slaBounds(today));
    const byStatus = new Map<string, Sla>();
    const byDept = new Map<string, Sla & { orgName: string }>();
    for (const r of rows) {
      const n = toNumber(r.n);
      const level = r.level;
      const s = byStatus.get(r.status) ?? emptySla();
      s[level] += n;
      s.total += n;
      byStatus.set(r.status, s);
      if (!r.lead_org_id) continue;
      const d = byDept.get(r.lead_org_id) ?? { ...emptySla(), orgName: r.lead_org_name ?? '' };
      d[level] += n;
      d.total += n;
      byDept.set(r.lead_org_id, d);
    }
    return {
      byStatus: NEED_STATUSES.filter((s) => byStatus.has(s)).map((s) => ({
        status: s,
        label: t(`needStatus.${s}`),
        ...byStatus.get(s)!,
      })),
      byDepartment: [...byDept.entries()]
        .map(([orgId, d]) => ({ orgId, ...d }))
        .sort((a, b) => b.total - a.total || a.orgName.localeCompare(b.orgName, 'zh-CN')),
    };
  }

  async breached(scope: Scope, today: string, limit = 50) {
    const rows = await needsCockpitRepo.breached(this.p.handle.db, scope, today, limit);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      leadOrgName: r.lead_org_name,
      deadline: r.deadline!,
      workingDaysOver: -workingDaysLeft(today, r.deadline!),
    }));
  }
}
