import { REACHED_GROUPS, type TroopStatRow, type TroopStats, type troopStatsQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import type { RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { toNumber } from '../../platform/db/index.js';
import { typeLabel } from './activities.view.js';
import type { EmergenciesService } from './emergencies.service.js';
import { troopsRepo } from './troops.repo.js';

type Acc = { name: string; activities: number; serviceMinutes: number; participants: number; reached: number };

/**
 * 拥政爱民 statistics: activities by type, unit, district and month, people reached by group,
 * hours — summed from the maintained (unit, district, type, month) rows the scope covers, never
 * from the activities themselves; and the emergency requests with their decision and arrival times.
 */
export class TroopStatsService {
  constructor(
    private readonly p: Platform,
    private readonly emergencies: EmergenciesService,
  ) {}

  async stats(ctx: RequestCtx, q: z.infer<typeof troopStatsQuery>): Promise<TroopStats> {
    const db = this.p.handle.db;
    const [rows, types, emergencies] = await Promise.all([
      troopsRepo.statsNamed(db, ctx.actor.scope, q),
      troopsRepo.types(db),
      this.emergencies.stats(ctx.actor.scope, {
        from: q.fromMonth ? `${q.fromMonth}-01` : undefined,
        to: q.toMonth ? nextMonth(q.toMonth) : undefined,
      }),
    ]);
    const labels = new Map(types.map((x) => [x.code, x.label]));
    const byType = new Map<string, Acc>();
    const byUnit = new Map<string, Acc>();
    const byDistrict = new Map<string, Acc>();
    const byMonth = new Map<string, Acc>();
    const groups = Object.fromEntries(REACHED_GROUPS.map((g) => [g, 0])) as Record<
      (typeof REACHED_GROUPS)[number],
      number
    >;
    const totals = {
      activities: 0,
      serviceMinutes: 0,
      participants: 0,
      reached: 0,
      patientsSeen: 0,
      lessonsTaught: 0,
      itemsValueFen: 0,
    };
    const add = (m: Map<string, Acc>, key: string, name: string, f: Omit<Acc, 'name'>) => {
      const a = m.get(key) ?? { name, activities: 0, serviceMinutes: 0, participants: 0, reached: 0 };
      a.activities += f.activities;
      a.serviceMinutes += f.serviceMinutes;
      a.participants += f.participants;
      a.reached += f.reached;
      m.set(key, a);
    };
    for (const r of rows) {
      let reached = 0;
      for (const g of REACHED_GROUPS) {
        const n = toNumber(r[`reached_${g}`]);
        groups[g] += n;
        reached += n;
      }
      const f = {
        activities: toNumber(r.activities),
        serviceMinutes: toNumber(r.service_minutes),
        participants: toNumber(r.participants),
        reached,
      };
      totals.activities += f.activities;
      totals.serviceMinutes += f.serviceMinutes;
      totals.participants += f.participants;
      totals.reached += reached;
      totals.patientsSeen += toNumber(r.patients_seen);
      totals.lessonsTaught += toNumber(r.lessons_taught);
      totals.itemsValueFen += toNumber(r.items_value_fen);
      add(byType, r.type, typeLabel(r.type, labels.get(r.type) ?? null), f);
      add(byUnit, r.org_id, r.org_name, f);
      add(byDistrict, r.district_path, r.district_name ?? r.district_path, f);
      add(byMonth, r.month, r.month, f);
    }
    const out = (m: Map<string, Acc>, order: 'activities' | 'key'): TroopStatRow[] =>
      [...m]
        .map(([key, a]) => ({ key, ...a }))
        .sort((a, b) =>
          order === 'key' ? a.key.localeCompare(b.key) : b.activities - a.activities || a.key.localeCompare(b.key),
        );
    return {
      totals,
      byType: out(byType, 'activities'),
      byUnit: out(byUnit, 'activities'),
      byDistrict: out(byDistrict, 'activities'),
      byMonth: out(byMonth, 'key'),
      byGroup: REACHED_GROUPS.map((g) => ({ group: g, reached: groups[g] })),
      emergencies,
    };
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}
