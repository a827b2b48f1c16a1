import { NEED_STATUSES, NEED_TAGS, type NeedStats, type NeedStatus, type needStatsQuery, t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { RequestCtx } from '../../platform/auth/actor.js';
import { localDate, zoneOffsetMs } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { bool } from '../../platform/db/index.js';
import { isOverdue } from './needs.machine.js';
import { baseQuery, type NeedFilter, needsRepo } from './needs.repo.js';

type StatsQuery = z.infer<typeof needStatsQuery>;
const DAY_MS = 86_400_000;

/** The UTC instant at which a local date begins in `timeZone`. */
export function localDayStart(date: string, timeZone: string): string {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  return new Date(midnightUtc - zoneOffsetMs(timeZone, midnightUtc)).toISOString();
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const m = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);
const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

interface Bucket {
  orgId: string;
  orgName: string;
  assigned: number;
  resolved: number;
  onTime: number;
  overdueOpen: number;
  ratings: number[];
  days: number[];
}

/**
 * Statistics of the cases the caller sees: counts by status, category, department and campaign
 * tag; on-time rate; median days from submission to resolution; satisfaction; the department
 * league table. A city holds thousands of cases, so this reads the scoped rows (lean columns) once.
 */
export class NeedStatistics {
  constructor(private readonly p: Platform) {}

  filterOf(q: StatsQuery): NeedFilter {
    const tz = this.p.config.tzDisplay;
    const next = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    return {
      tag: q.tag,
      category: q.category,
      createdFrom: q.from ? localDayStart(q.from, tz) : undefined,
      createdTo: q.to ? localDayStart(next(q.to), tz) : undefined,
    };
  }

  async stats(ctx: RequestCtx, q: StatsQuery, now = new Date()): Promise<NeedStats> {
    const db = this.p.handle.db;
    const today = localDate(now, this.p.config.tzDisplay);
    const rows = await baseQuery(db, ctx.actor.scope, this.filterOf(q))
      .select([
        'n.id',
        'n.status',
        'n.category',
        'n.lead_org_id',
        'lo.name as lead_org_name',
        'n.deadline',
        'n.created_at',
        'n.resolved_at',
        'n.resolved_on_time',
        'n.rating',
      ])
      .execute();
    const tags = new Map<string, number>();
    for (let i = 0; i < rows.length; i += 500) {
      const batch = await needsRepo.tagsOf(
        db,
        SYSTEM_SCOPE,
        rows.slice(i, i + 500).map((r) => r.id),
      );
      for (const list of batch.values()) for (const tag of list) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    }
    const labels = new Map((await needsRepo.categories(db)).map((c) => [c.code, c.label]));
    const byStatus = new Map<string, number>();
    const byCategory = new Map<string, number>();
    const league = new Map<string, Bucket>();
    const days: number[] = [];
    const ratings: number[] = [];
    let resolved = 0;
    let onTime = 0;
    let overdueOpen = 0;
    for (const r of rows) {
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + 1);
      const overdue = isOverdue(r.status as NeedStatus, r.deadline, today);
      const took = r.resolved_at ? (Date.parse(r.resolved_at) - Date.parse(r.created_at)) / DAY_MS : null;
      if (overdue) overdueOpen++;
      if (r.resolved_on_time !== null) {
        resolved++;
        if (bool(r.resolved_on_time)) onTime++;
      }
      if (took !== null) days.push(took);
      if (r.rating !== null) ratings.push(r.rating);
      if (!r.lead_org_id) continue;
      let b = league.get(r.lead_org_id);
      if (!b) {
        b = {
          orgId: r.lead_org_id,
          orgName: r.lead_org_name ?? '',
          assigned: 0,
          resolved: 0,
          onTime: 0,
          overdueOpen: 0,
          ratings: [],
          days: [],
        };
        league.set(r.lead_org_id, b);
      }
      b.assigned++;
      if (r.resolved_on_time !== null) {
        b.resolved++;
        if (bool(r.resolved_on_time)) b.onTime++;
      }
      if (overdue) b.overdueOpen++;
      if (r.rating !== null) b.ratings.push(r.rating);
      if (took !== null) b.days.push(took);
    }
    const table = [...league.values()]
      .map((b) => ({
        orgId: b.orgId,
        orgName: b.orgName,
        assigned: b.assigned,
        resolved: b.resolved,
        onTime: b.onTime,
        onTimeRate: ratio(b.onTime, b.resolved),
        overdueOpen: b.overdueOpen,
        averageRating: avg(b.ratings),
        medianDays: median(b.days),
      }))
      .sort(
        (a, b) =>
          (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
          (b.averageRating ?? -1) - (a.averageRating ?? -1) ||
          a.overdueOpen - b.overdueOpen ||
          b.resolved - a.resolved ||
          a.orgName.localeCompare(b.orgName, 'zh-CN'),
      )
      .map((row, i) => ({ rank: i + 1, ...row }));
    const distribution = [1, 2, 3, 4, 5].map((s) => ratings.filter((x) => x === s).length);
    return {
      total: rows.length,
      byStatus: NEED_STATUSES.filter((s) => byStatus.has(s)).map((s) => ({
        key: s,
        label: t(`needStatus.${s}`),
        count: byStatus.get(s)!,
      })),
      byCategory: [...byCategory.entries()]
        .map(([key, count]) => ({ key, label: labels.get(key) ?? key, count }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      byDepartment: table
        .map((d) => ({ key: d.orgId, label: d.orgName, count: d.assigned }))
        .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh-CN')),
      byTag: NEED_TAGS.filter((tag) => tags.has(tag)).map((tag) => ({
        key: tag,
        label: t(`needTag.${tag}`),
        count: tags.get(tag)!,
      })),
      resolved,
      onTime,
      onTimeRate: ratio(onTime, resolved),
      overdueOpen,
      medianDaysToResolve: median(days),
      satisfaction: { rated: ratings.length, average: avg(ratings), distribution },
      league: table,
    };
  }
}
