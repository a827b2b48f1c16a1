import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * The leaders' cockpit (issue 18, decisions/0036):
 * - `visit_daily` (owned by visits): visits, cash and goods per (campaign, owner org, local day),
 *   bumped in the transaction of every visit and edit, so the "visits per day" chart sums a few
 *   hundred rows instead of grouping 5·10^6 visits; `rebuildCoverage` recomputes it with the coverage.
 * - `cockpit_briefs` (owned by cockpit): the daily brief of a campaign, one row per (campaign,
 *   issuing org, day, public/internal), the DOCX and PDF kept in the data dir.
 */
export function cockpit0019(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  const money = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('visit_daily')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cash_fen', money, (c) => c.notNull().defaultTo(0))
        .addColumn('goods_fen', money, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('visit_daily_pk', ['campaign_id', 'org_id', 'day'])
        .execute();
      await db.schema.createIndex('visit_daily_path').on('visit_daily').columns(['campaign_id', 'org_path']).execute();

      await db.schema
        .createTable('cockpit_briefs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
        /** JSON: the headline figures the brief was made from. */
        .addColumn('figures', 'text', (c) => c.notNull())
        /** JSON: findings of the confidentiality checks (public briefs). */
        .addColumn('findings', 'text')
        .addColumn('docx_size', 'integer', (c) => c.notNull())
        .addColumn('pdf_size', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('cockpit_briefs_day')
        .on('cockpit_briefs')
        .columns(['campaign_id', 'org_id', 'day', 'public'])
        .unique()
        .execute();
      await db.schema.createIndex('cockpit_briefs_path').on('cockpit_briefs').columns(['org_path', 'day']).execute();
    },
  };
}
