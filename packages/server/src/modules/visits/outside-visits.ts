import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';

/** A visit to a household another module recorded (a unit's visit, issue 20): never the civil visit. */
export interface OutsideVisit {
  householdId: string;
  date: string;
  orgName: string;
}

/**
 * Visits between `from` and `to` (inclusive; null: open) to the households given (all linked ones
 * when `householdIds` is omitted), withdrawn ones left out. The owner of the visits registers one.
 */
export type OutsideVisitSource = (
  db: Queryable,
  range: { from: string | null; to: string | null },
  householdIds?: readonly string[],
) => Promise<OutsideVisit[]>;

/**
 * Where other modules tell visits about their own visits to households (troops: its units'),
 * so a target list marks them and coverage counts them beside the civil visits. Visits never reads
 * their tables (decisions/0024); the marks never change a target's status or the coverage counters.
 */
export function outsideVisits() {
  const sources: OutsideVisitSource[] = [];
  return {
    register(source: OutsideVisitSource) {
      sources.push(source);
    },
    async between(
      db: Queryable,
      range: { from: string | null; to: string | null },
      householdIds?: readonly string[],
    ): Promise<OutsideVisit[]> {
      if (householdIds && !householdIds.length) return [];
      return (await Promise.all(sources.map((s) => s(db, range, householdIds)))).flat();
    },
    /** The latest visit per household. */
    async latest(db: Queryable, range: { from: string | null; to: string | null }, householdIds?: readonly string[]) {
      const out = new Map<string, OutsideVisit>();
      for (const v of await this.between(db, range, householdIds)) {
        const had = out.get(v.householdId);
        if (!had || had.date < v.date) out.set(v.householdId, v);
      }
      return out;
    },
  };
}
export type OutsideVisits = ReturnType<typeof outsideVisits>;

/**
 * Marks each target whose household a unit visited within its campaign's period with the latest
 * such visit (`troopVisit`); the target's own status and counts stay as the civil visits left them.
 */
export async function markOutsideVisits<T extends { troopVisit?: { orgName: string; date: string } | null }>(
  db: Queryable,
  campaigns: Campaigns,
  outside: OutsideVisits,
  rows: readonly { campaign_id: string; household_id: string | null }[],
  items: T[],
): Promise<T[]> {
  const byCampaign = new Map<string, string[]>();
  for (const r of rows)
    if (r.household_id) byCampaign.set(r.campaign_id, [...(byCampaign.get(r.campaign_id) ?? []), r.household_id]);
  const found = new Map<string, Map<string, OutsideVisit>>();
  for (const [campaignId, ids] of byCampaign) {
    const range = await campaigns.readModel.period(db, SYSTEM_SCOPE, campaignId);
    if (range) found.set(campaignId, await outside.latest(db, range, [...new Set(ids)]));
  }
  return items.map((item, i) => {
    const r = rows[i]!;
    const v = r.household_id ? found.get(r.campaign_id)?.get(r.household_id) : undefined;
    return { ...item, troopVisit: v ? { orgName: v.orgName, date: v.date } : null };
  });
}
