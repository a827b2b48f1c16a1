import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

const FIGURES = [
  'activities',
  'minutes',
  'service_minutes',
  'participants',
  'reached_low_income',
  'reached_disabled',
  'reached_elderly',
  'reached_children',
  'reached_students',
  'reached_public',
  'patients_seen',
  'lessons_taught',
  'items_value_fen',
];

/**
 * The whole city's 拥政爱民 statistics, coarser than `troop_activity_stats` (unit × district × type ×
 * month): one row per (dimension, key, month) for the dimensions type, unit ('org') and district —
 * a few hundred rows whatever the number of activities, so the 军分区's view sums those instead of
 * grouping thousands of rows five ways (decisions/0051). Kept in the same transaction as every
 * activity change; filled here from the existing maintained rows.
 */
export function troopCityStats0032(dialect: Dialect): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      let t = db.schema
        .createTable('troop_activity_city_stats')
        .addColumn('dim', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('activities', 'integer', (c) => c.notNull());
      for (const f of FIGURES.slice(1)) t = t.addColumn(f, big, (c) => c.notNull());
      await t.addPrimaryKeyConstraint('troop_activity_city_stats_pk', ['dim', 'key', 'month']).execute();
      const cols = sql.join(FIGURES.map((f) => sql.ref(f)));
      const sums = sql.join(FIGURES.map((f) => sql`sum(${sql.ref(f)})`));
      for (const [dim, col] of [
        ['type', 'type'],
        ['org', 'org_id'],
        ['district', 'district_path'],
      ] as const)
        await sql`insert into troop_activity_city_stats (dim, key, month, ${cols})
          select ${dim}, ${sql.ref(col)}, month, ${sums} from troop_activity_stats
          group by ${sql.ref(col)}, month`.execute(db);
    },
  };
}
