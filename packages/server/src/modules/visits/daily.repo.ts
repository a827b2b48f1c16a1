import { expressionBuilder, sql } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { zoneOffsetMs } from '../../platform/calendar/dates.js';
import type { Dialect, Queryable } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import './visits.schema.js';

/**
 * `visit_daily` (migration 0019, decisions/0036): visits and money per (campaign, owner org, local
 * day), moved in the transaction of every visit and edit, so the cockpit's trend reads a few hundred
 * rows instead of grouping millions of visits.
 */
export interface DailyDims {
  campaign_id: string;
  org_id: string;
  org_path: string;
  day: string;
}

/** Minutes the display zone is ahead of UTC now (China keeps one offset all year). */
export function zoneOffsetMinutes(timeZone: string, at = new Date()): number {
  return Math.round(zoneOffsetMs(timeZone, at) / 60_000);
}

export const dailyRepo = {
  async bump(db: Queryable, dims: DailyDims, d: { visits: number; cash: number; goods: number }): Promise<void> {
    if (!d.visits && !d.cash && !d.goods) return;
    await db
      .insertInto('visit_daily')
      .values({ ...dims, visits: d.visits, cash_fen: d.cash, goods_fen: d.goods })
      .onConflict((oc) =>
        oc.columns(['campaign_id', 'org_id', 'day']).doUpdateSet((eb) => ({
          visits: eb('visit_daily.visits', '+', eb.ref('excluded.visits')),
          cash_fen: eb('visit_daily.cash_fen', '+', eb.ref('excluded.cash_fen')),
          goods_fen: eb('visit_daily.goods_fen', '+', eb.ref('excluded.goods_fen')),
        })),
      )
      .execute();
  },

  /** Recomputes the day counters of one campaign (or all) from the visits, in the display zone. */
  async rebuild(db: Queryable, scope: Scope, dialect: Dialect, timeZone: string, campaignId?: string): Promise<void> {
    await (campaignId
      ? db.deleteFrom('visit_daily').where('campaign_id', '=', campaignId)
      : db.deleteFrom('visit_daily')
    ).execute();
    const minutes = zoneOffsetMinutes(timeZone);
    const day =
      dialect === 'postgres'
        ? sql`to_char((v.visited_at::timestamptz AT TIME ZONE 'UTC') + ${sql.lit(minutes)} * interval '1 minute', 'YYYY-MM-DD')`
        : sql`date(v.visited_at, ${sql.lit(`${minutes >= 0 ? '+' : ''}${minutes} minutes`)})`;
    const inScope = scopeWhere(expressionBuilder<Database, never>(), scope, { path: 'v.org_path', orgId: 'v.org_id' });
    const where = campaignId ? sql`AND v.campaign_id = ${campaignId}` : sql``;
    await sql`
      INSERT INTO visit_daily (campaign_id, org_id, org_path, day, visits, cash_fen, goods_fen)
      SELECT v.campaign_id, v.org_id, MIN(v.org_path), ${day}, COUNT(*), SUM(v.cash_fen), SUM(v.goods_fen)
      FROM visits v WHERE ${inScope} ${where}
      GROUP BY v.campaign_id, v.org_id, ${day}`.execute(db);
  },

  /** The day rows of a campaign in the caller's scope. */
  rows(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('visit_daily as d')
      .select(['d.day', 'd.org_path', 'd.visits', 'd.cash_fen', 'd.goods_fen'])
      .where('d.campaign_id', '=', campaignId)
      .where((eb) => scopeWhere(eb, scope, { path: 'd.org_path', orgId: 'd.org_id' }))
      .execute();
  },
};
