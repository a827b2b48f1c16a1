import { REACHED_GROUPS, type TroopStatRow, type TroopStats, type troopStatsQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import type { RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { toNumber } from '../../platform/db/index.js';
import { typeLabel } from './activities.view.js';
import type { EmergenciesService } from './emergencies.service.js';
import { type StatDim, troopsRepo } from './troops.repo.js';

type Sums = Awaited<ReturnType<typeof troopsRepo.statsAll>>[number];

const reachedOf = (r: Sums) => REACHED_GROUPS.reduce((n, g) => n + toNumber(r[`reached_${g}`] ?? 0), 0);
const row = (r: Sums, name: string): TroopStatRow => ({
  key: String(r.key),
  name,
  activities: toNumber(r.activities ?? 0),
  serviceMinutes: toNumber(r.service_minutes ?? 0),
  participants: toNumber(r.participants ?? 0),
  reached: reachedOf(r),
});
const byActivities = (a: TroopStatRow, b: TroopStatRow) => b.activities - a.activities || a.key.localeCompare(b.key);

/**
 * 拥政爱民 statistics: activities by type, unit, district and month, people reached by group,
 * hours — sums in SQL over the maintained (unit, district, type, month) rows the scope covers,
 * never over the activities themselves; and the emergency requests with their decision and
 * arrival times.
 */
export class TroopStatsService {
  constructor(
    private readonly p: Platform,
    private readonly emergencies: EmergenciesService,
  ) {}

  async stats(ctx: RequestCtx, q: z.infer<typeof troopStatsQuery>): Promise<TroopStats> {
    const db = this.p.handle.db;
    const scope = ctx.actor.scope;
    const [sums, types, emergencies] = await Promise.all([
      troopsRepo.statsAll(db, scope, q),
      troopsRepo.types(db),
      this.emergencies.stats(scope, {
        from: q.fromMonth ? `${q.fromMonth}-01` : undefined,
        to: q.toMonth ? nextMonth(q.toMonth) : undefined,
      }),
    ]);
    const labels = new Map(types.map((x) => [x.code, x.label]));
    const of = (dim: StatDim) => sums.filter((r) => r.dim === dim);
    const byType = of('type');
    const byUnit = of('org');
    const byDistrict = of('district');
    const byMonth = of('month');
    const t = of('total')[0];
    const live = (rows: TroopStatRow[]) => rows.filter((r) => r.activities > 0);
    return {
      totals: {
        activities: t ? toNumber(t.activities ?? 0) : 0,
        serviceMinutes: t ? toNumber(t.service_minutes ?? 0) : 0,
        participants: t ? toNumber(t.participants ?? 0) : 0,
        reached: t ? reachedOf(t) : 0,
        patientsSeen: t ? toNumber(t.patients_seen ?? 0) : 0,
        lessonsTaught: t ? toNumber(t.lessons_taught ?? 0) : 0,
        itemsValueFen: t ? toNumber(t.items_value_fen ?? 0) : 0,
      },
      byType: live(byType.map((r) => row(r, typeLabel(String(r.key), labels.get(String(r.key)) ?? null)))).sort(
        byActivities,
      ),
      byUnit: live(byUnit.map((r) => row(r, String(r.name)))).sort(byActivities),
      byDistrict: live(byDistrict.map((r) => row(r, String(r.name ?? r.key)))).sort(byActivities),
      byMonth: live(byMonth.map((r) => row(r, String(r.key)))).sort((a, b) => a.key.localeCompare(b.key)),
      byGroup: REACHED_GROUPS.map((g) => ({ group: g, reached: t ? toNumber(t[`reached_${g}`] ?? 0) : 0 })),
      emergencies,
    };
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
