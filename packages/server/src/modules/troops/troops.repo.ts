import type { Insertable, Selectable, Updateable } from 'kysely';
import { expressionBuilder, sql } from 'kysely';
import { prefixEnd, type Scope, SYSTEM_SCOPE, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import type {
  TroopActivitiesTable,
  TroopActivityPhotosTable,
  TroopActivityStatsTable,
  TroopActivityTypesTable,
  TroopPartnershipPlansTable,
  TroopPartnershipsTable,
} from './troops.schema.js';

export type ActivityRow = Selectable<TroopActivitiesTable> & {
  org_name: string;
  place_org_name: string;
  type_label: string | null;
  photo_count: number | string | bigint | null;
};
export type ActivityPhotoRow = Selectable<TroopActivityPhotosTable>;
export type ActivityTypeRow = Selectable<TroopActivityTypesTable>;

const OWNER = { path: 'a.org_path', orgId: 'a.org_id' } as const;
const PLACE = { path: 'a.place_path', orgId: 'a.place_org_id' } as const;

export interface ActivityFilter {
  orgId?: string;
  type?: string;
  /** Path of a civilian area: activities whose place lies in it. */
  areaPath?: string;
  partnershipId?: string;
  from?: string;
  to?: string;
  q?: string;
  includeWithdrawn?: boolean;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * Who sees an activity: the scope of the unit that did it (a unit its own, the 军分区 all) or the
 * scope of the place where it happened (a district the activities in its area). Nobody else.
 */
function activities(db: Queryable, scope: Scope, f: ActivityFilter) {
  let qb = db
    .selectFrom('troop_activities as a')
    .innerJoin('orgs as o', 'o.id', 'a.org_id')
    .innerJoin('orgs as po', 'po.id', 'a.place_org_id')
    .leftJoin('troop_activity_types as ty', 'ty.code', 'a.type')
    .where((eb) => eb.or([scopeWhere(eb, scope, OWNER), scopeWhere(eb, scope, PLACE)]));
  if (!f.includeWithdrawn) qb = qb.where('a.status', '=', 'recorded');
  if (f.orgId) qb = qb.where('a.org_id', '=', f.orgId);
  if (f.type) qb = qb.where('a.type', '=', f.type);
  if (f.areaPath) qb = qb.where('a.place_path', '>=', f.areaPath).where('a.place_path', '<', prefixEnd(f.areaPath));
  if (f.partnershipId) qb = qb.where('a.partnership_id', '=', f.partnershipId);
  if (f.from) qb = qb.where('a.occurred_on', '>=', f.from);
  if (f.to) qb = qb.where('a.occurred_on', '<=', f.to);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    qb = qb.where((eb) => eb.or([eb('a.summary', 'like', like), eb('a.place_name', 'like', like)]));
  }
  return qb;
}

function withNames<Q extends ReturnType<typeof activities>>(qb: Q, scope: Scope) {
  return qb
    .selectAll('a')
    .select(['o.name as org_name', 'po.name as place_org_name', 'ty.label as type_label'])
    .select((eb) =>
      eb
        .selectFrom('troop_activity_photos as ph')
        .where((eb) => scopeWhere(eb, scope, { path: 'ph.org_path' }))
        .select(eb.fn.countAll().as('n'))
        .whereRef('ph.activity_id', '=', 'a.id')
        .as('photo_count'),
    );
}

export type StatDim = 'total' | 'type' | 'org' | 'district' | 'month';

/** The additive figures of one activity, as they enter the maintained statistics. */
export type StatDelta = Omit<TroopActivityStatsTable, 'org_id' | 'org_path' | 'district_path' | 'type' | 'month'>;
const STAT_FIGURES: (keyof StatDelta)[] = [
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

/** Every query on the troops tables (the module owns them; nobody else names them). */
function orgById(db: Queryable, id: string) {
  return db.selectFrom('orgs').select(['id', 'path', 'name', 'side', 'type', 'active']).where('id', '=', id);
}

export const troopsRepo = {
  /** An org of the tree within the caller's scope (the unit an activity or a pair belongs to). */
  org(db: Queryable, scope: Scope, id: string) {
    return orgById(db, id)
      .where((eb) => scopeWhere(eb, scope, { path: 'orgs.path', orgId: 'orgs.id' }))
      .executeTakeFirst();
  },
  /**
   * Any org of the tree, whatever the caller's scope: the civilian place or area a unit works in
   * lies outside the unit's scope by design (read only; the callers check its side and type).
   */
  placeOrg(db: Queryable, id: string) {
    return orgById(db, id).executeTakeFirst();
  },

  /** The activities the scope sees among `ids`, with date, type and place (the audit log's labels). */
  labels(db: Queryable, scope: Scope, ids: readonly string[]) {
    return activities(db, scope, { includeWithdrawn: true })
      .select(['a.id', 'a.occurred_on', 'a.type', 'ty.label as type_label', 'po.name as place_org_name'])
      .where('a.id', 'in', ids)
      .execute();
  },

  /**
   * The recorded visits to one household of the registry, newest first: date, type, unit. The
   * caller (the household's timeline) has checked the household is in its scope; so the scope here
   * is the household's, not the activity's.
   */
  byHousehold(db: Queryable, householdId: string) {
    return activities(db, SYSTEM_SCOPE, {})
      .select(['a.id', 'a.occurred_on', 'a.type', 'ty.label as type_label', 'o.name as org_name'])
      .where('a.household_id', '=', householdId)
      .orderBy('a.occurred_on', 'desc')
      .orderBy('a.id')
      .execute();
  },

  /**
   * Recorded (not withdrawn) visits linked to households between `from` and `to` (inclusive; null:
   * open), to `householdIds` when given: the visits module's coverage and target list read them
   * through the troops module's registration, with the unit's name and the date only.
   */
  householdVisits(db: Queryable, range: { from: string | null; to: string | null }, householdIds?: readonly string[]) {
    let qb = activities(db, SYSTEM_SCOPE, { from: range.from ?? undefined, to: range.to ?? undefined })
      .select(['a.household_id', 'a.occurred_on', 'o.name as org_name'])
      .where('a.household_id', 'is not', null);
    if (householdIds) qb = qb.where('a.household_id', 'in', householdIds);
    return qb.execute();
  },

  /** Civilian areas below the city (districts, streets, communities): where activities take place. */
  places(db: Queryable) {
    return db
      .selectFrom('orgs')
      .select(['id', 'parent_id', 'name', 'depth', 'path'])
      .where('side', '=', 'civilian')
      .where('type', 'in', ['veterans_bureau', 'service_station'])
      .where('depth', '>=', 1)
      .where('active', '=', 1)
      .orderBy('path')
      .execute();
  },

  // ---- types
  types(db: Queryable): Promise<ActivityTypeRow[]> {
    return db.selectFrom('troop_activity_types').selectAll().orderBy('sort').orderBy('code').execute();
  },
  type(db: Queryable, code: string): Promise<ActivityTypeRow | undefined> {
    return db.selectFrom('troop_activity_types').selectAll().where('code', '=', code).executeTakeFirst();
  },
  async insertType(db: Queryable, row: Insertable<TroopActivityTypesTable>): Promise<void> {
    await db.insertInto('troop_activity_types').values(row).execute();
  },
  async updateType(
    db: Queryable,
    code: string,
    version: number,
    set: Updateable<TroopActivityTypesTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'troop_activity_types', code, version, set, { key: 'code' });
  },

  // ---- activities
  async page(
    db: Queryable,
    scope: Scope,
    f: ActivityFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: ActivityRow[]; total: number }> {
    const base = activities(db, scope, f);
    const [rows, total] = await Promise.all([
      withNames(base, SYSTEM_SCOPE)
        .orderBy('a.occurred_on', 'desc')
        .orderBy('a.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
  get(db: Queryable, scope: Scope, id: string): Promise<ActivityRow | undefined> {
    return withNames(activities(db, scope, { includeWithdrawn: true }), SYSTEM_SCOPE)
      .where('a.id', '=', id)
      .executeTakeFirst();
  },
  byClientKey(db: Queryable, scope: Scope, userId: string, clientKey: string) {
    return db
      .selectFrom('troop_activities')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('created_by', '=', userId)
      .where('client_key', '=', clientKey)
      .executeTakeFirst();
  },
  async insertActivity(db: Queryable, row: Insertable<TroopActivitiesTable>): Promise<void> {
    await db.insertInto('troop_activities').values(row).execute();
  },
  async updateActivity(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<TroopActivitiesTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'troop_activities', id, version, set);
  },
  /** Activities of a campaign by the orgs below `orgPath` or at places below it (a task's live figure). */
  async campaignFigure(
    db: Queryable,
    scope: Scope,
    campaignId: string,
    orgPath: string,
    figure: { type?: string; reached?: keyof TroopActivitiesTable },
  ): Promise<number> {
    let qb = db
      .selectFrom('troop_activities')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'recorded')
      .where((eb) =>
        eb.or([
          eb.and([eb('org_path', '>=', orgPath), eb('org_path', '<', prefixEnd(orgPath))]),
          eb.and([eb('place_path', '>=', orgPath), eb('place_path', '<', prefixEnd(orgPath))]),
        ]),
      );
    if (figure.type) qb = qb.where('type', '=', figure.type);
    const r = await (figure.reached
      ? qb.select((eb) => eb.fn.sum(sql.ref(figure.reached as string)).as('n'))
      : qb.select((eb) => eb.fn.countAll().as('n'))
    ).executeTakeFirstOrThrow();
    return toNumber(r.n ?? 0);
  },

  // ---- partnerships
  /** A pair the scope sees (the unit's or the partner's area). */
  partnership(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('troop_partnerships as a')
      .selectAll('a')
      .where('a.id', '=', id)
      .where((eb) => eb.or([scopeWhere(eb, scope, OWNER), scopeWhere(eb, scope, PLACE)]))
      .executeTakeFirst();
  },
  /** The pairs the scope sees (the unit's or the partner's area), with names. */
  partnerships(db: Queryable, scope: Scope, id?: string) {
    let qb = db
      .selectFrom('troop_partnerships as a')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .innerJoin('orgs as po', 'po.id', 'a.place_org_id')
      .where((eb) => eb.or([scopeWhere(eb, scope, OWNER), scopeWhere(eb, scope, PLACE)]));
    if (id) qb = qb.where('a.id', '=', id);
    return qb
      .selectAll('a')
      .select(['o.name as org_name', 'po.name as place_org_name'])
      .orderBy('a.created_at', 'desc')
      .orderBy('a.id', 'desc')
      .execute();
  },
  async insertPartnership(db: Queryable, row: Insertable<TroopPartnershipsTable>): Promise<void> {
    await db.insertInto('troop_partnerships').values(row).execute();
  },
  /** Changes a pair if it is still at `version` (false when someone changed it meanwhile). */
  async updatePartnership(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<TroopPartnershipsTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'troop_partnerships', id, version, set);
  },
  async insertPlans(db: Queryable, rows: Insertable<TroopPartnershipPlansTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('troop_partnership_plans').values(rows).execute();
  },
  async deletePlans(db: Queryable, partnershipId: string): Promise<void> {
    await db.deleteFrom('troop_partnership_plans').where('partnership_id', '=', partnershipId).execute();
  },
  plans(db: Queryable, scope: Scope, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('troop_partnership_plans')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('partnership_id', 'in', ids)
      .execute();
  },
  /** Recorded activities per pair, year and type, and each pair's latest date. */
  partnershipActivity(db: Queryable, scope: Scope, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('troop_activities')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['partnership_id', 'type', 'occurred_on'])
      .where('partnership_id', 'in', ids)
      .where('status', '=', 'recorded')
      .execute();
  },

  // ---- photos
  photos(db: Queryable, scope: Scope, activityId: string): Promise<ActivityPhotoRow[]> {
    return db
      .selectFrom('troop_activity_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('activity_id', '=', activityId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
  photo(db: Queryable, scope: Scope, activityId: string, photoId: string): Promise<ActivityPhotoRow | undefined> {
    return db
      .selectFrom('troop_activity_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('activity_id', '=', activityId)
      .where('id', '=', photoId)
      .executeTakeFirst();
  },
  photoBySha(db: Queryable, scope: Scope, activityId: string, sha256: string): Promise<ActivityPhotoRow | undefined> {
    return db
      .selectFrom('troop_activity_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('activity_id', '=', activityId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  },
  async insertPhoto(db: Queryable, row: Insertable<TroopActivityPhotosTable>): Promise<void> {
    await db.insertInto('troop_activity_photos').values(row).execute();
  },
  async deletePhoto(db: Queryable, photoId: string): Promise<void> {
    await db.deleteFrom('troop_activity_photos').where('id', '=', photoId).execute();
  },

  // ---- maintained statistics
  /**
   * Adds (sign 1) or removes (sign -1) one activity's figures in its (unit, district, type, month)
   * row and in the whole city's (type, month), (unit, month) and (district, month) rows — always in
   * the transaction of the activity's change.
   */
  async bumpStats(
    db: Queryable,
    key: { org_id: string; org_path: string; district_path: string; type: string; month: string },
    delta: StatDelta,
    sign: 1 | -1,
  ): Promise<void> {
    const figures = {} as Record<keyof StatDelta, number>;
    for (const f of STAT_FIGURES) figures[f] = sign * toNumber(delta[f]);
    await db
      .insertInto('troop_activity_stats')
      .values({ ...key, ...figures })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'district_path', 'type', 'month'])
          .doUpdateSet(
            Object.fromEntries(
              STAT_FIGURES.map((f) => [f, sql`troop_activity_stats.${sql.ref(f)} + excluded.${sql.ref(f)}`]),
            ) as never,
          ),
      )
      .execute();
    await db
      .insertInto('troop_activity_city_stats')
      .values(
        (
          [
            ['type', key.type],
            ['org', key.org_id],
            ['district', key.district_path],
          ] as const
        ).map(([dim, k]) => ({ dim, key: k, month: key.month, ...figures })),
      )
      .onConflict((oc) =>
        oc
          .columns(['dim', 'key', 'month'])
          .doUpdateSet(
            Object.fromEntries(
              STAT_FIGURES.map((f) => [f, sql`troop_activity_city_stats.${sql.ref(f)} + excluded.${sql.ref(f)}`]),
            ) as never,
          ),
      )
      .execute();
  },
  /**
   * The whole city's maintained rows (type, unit, district by month) rebuilt from the activities —
   * what `bumpStats` must have kept them equal to (the tests compare the two).
   */
  async cityStatsRebuilt(db: Queryable, scope: Scope) {
    const sums = sql.join(
      STAT_FIGURES.map((f) =>
        f === 'activities'
          ? sql`count(*) as activities`
          : f === 'minutes'
            ? sql`sum(duration_minutes) as minutes`
            : sql`sum(${sql.ref(f)}) as ${sql.ref(f)}`,
      ),
    );
    const inScope = scopeWhere(expressionBuilder<Database, never>(), scope, { path: 'org_path', orgId: 'org_id' });
    const rows = await sql<Record<string, string | number>>`
      select 'type' as dim, type as key, substr(occurred_on, 1, 7) as month, ${sums}
        from troop_activities where status = 'recorded' and ${inScope} group by type, substr(occurred_on, 1, 7)
      union all
      select 'org', org_id, substr(occurred_on, 1, 7), ${sums}
        from troop_activities where status = 'recorded' and ${inScope} group by org_id, substr(occurred_on, 1, 7)
      union all
      select 'district', district_path, substr(occurred_on, 1, 7), ${sums}
        from troop_activities where status = 'recorded' and ${inScope} group by district_path, substr(occurred_on, 1, 7)`.execute(
      db,
    );
    return rows.rows;
  },
  /** The whole city's maintained rows as they are (zero rows left out). */
  async cityStats(db: Queryable) {
    return db.selectFrom('troop_activity_city_stats').selectAll().where('activities', '<>', 0).execute();
  },
  /**
   * The maintained rows the scope covers, summed in SQL by every dimension at once — the totals
   * (dim 'total'), by type, by unit (with its name), by district (with its name) and by month — in
   * one statement (a UNION ALL of the five groupings), so a view costs one round trip and one
   * statement whatever the dialect (decisions/0051). The statistics pages read only these sums,
   * never the activities.
   */
  statsAll(db: Queryable, scope: Scope, f: { fromMonth?: string; toMonth?: string }) {
    if (scope.kind === 'all') return troopsRepo.cityStatsAll(db, f);
    const base = () => {
      let qb = db
        .selectFrom('troop_activity_stats as s')
        .where((eb) =>
          eb.or([
            scopeWhere(eb, scope, { path: 's.org_path', orgId: 's.org_id' }),
            scopeWhere(eb, scope, { path: 's.district_path', orgId: 's.district_path' }),
          ]),
        );
      if (f.fromMonth) qb = qb.where('s.month', '>=', f.fromMonth);
      if (f.toMonth) qb = qb.where('s.month', '<=', f.toMonth);
      return qb;
    };
    const sums = <Q extends ReturnType<typeof base>>(qb: Q) =>
      qb.select((eb) => STAT_FIGURES.map((c) => eb.fn.sum<number | string>(`s.${c}`).as(c)));
    const total = sums(base()).select([
      sql<StatDim>`'total'`.as('dim'),
      sql<string>`'total'`.as('key'),
      sql<string | null>`'total'`.as('name'),
    ]);
    const byType = sums(base())
      .select([sql<StatDim>`'type'`.as('dim'), 's.type as key', sql<string | null>`s.type`.as('name')])
      .groupBy('s.type');
    const byOrg = sums(base().innerJoin('orgs as o', 'o.id', 's.org_id'))
      .select([sql<StatDim>`'org'`.as('dim'), 's.org_id as key', sql<string | null>`o.name`.as('name')])
      .groupBy(['s.org_id', sql`o.name`]);
    const byDistrict = sums(base().leftJoin('orgs as d', 'd.path', 's.district_path'))
      .select([sql<StatDim>`'district'`.as('dim'), 's.district_path as key', sql<string | null>`d.name`.as('name')])
      .groupBy(['s.district_path', sql`d.name`]);
    const byMonth = sums(base())
      .select([sql<StatDim>`'month'`.as('dim'), 's.month as key', sql<string | null>`s.month`.as('name')])
      .groupBy('s.month');
    return total
      .unionAll(byType as never)
      .unionAll(byOrg as never)
      .unionAll(byDistrict as never)
      .unionAll(byMonth as never)
      .execute();
  },
  /**
   * The whole city's sums by every dimension, as `statsAll` gives them, from the coarse maintained
   * rows (a few hundred: types, units and districts by month) — one statement.
   */
  async cityStatsAll(db: Queryable, f: { fromMonth?: string; toMonth?: string }) {
    const range = sql.join(
      [f.fromMonth ? sql`month >= ${f.fromMonth}` : sql`1 = 1`, f.toMonth ? sql`month <= ${f.toMonth}` : sql`1 = 1`],
      sql` and `,
    );
    const sums = sql.join(STAT_FIGURES.map((c) => sql`sum(${sql.ref(c)}) as ${sql.ref(c)}`));
    const gsums = sql.join(STAT_FIGURES.map((c) => sql`g.${sql.ref(c)}`));
    const rows = await sql<
      { dim: StatDim; key: string; name: string | null } & Record<keyof StatDelta, number | string>
    >`
      select g.dim, g.key, coalesce(o.name, d.name, g.key) as name, ${gsums} from (
        select dim, key, ${sums} from troop_activity_city_stats where ${range} group by dim, key
        union all
        select 'month' as dim, month as key, ${sums} from troop_activity_city_stats
          where dim = 'type' and ${range} group by month
        union all
        select 'total' as dim, 'total' as key, ${sums} from troop_activity_city_stats
          where dim = 'type' and ${range}
      ) g
      left join orgs o on g.dim = 'org' and o.id = g.key
      left join orgs d on g.dim = 'district' and d.path = g.key`.execute(db);
    return rows.rows;
  },
  /** The statistics rows the caller's scope covers (by the unit or by the district), within months. */
  stats(db: Queryable, scope: Scope, f: { fromMonth?: string; toMonth?: string; orgId?: string; type?: string }) {
    let qb = db
      .selectFrom('troop_activity_stats as s')
      .where((eb) =>
        eb.or([
          scopeWhere(eb, scope, { path: 's.org_path', orgId: 's.org_id' }),
          scopeWhere(eb, scope, { path: 's.district_path', orgId: 's.district_path' }),
        ]),
      );
    if (f.fromMonth) qb = qb.where('s.month', '>=', f.fromMonth);
    if (f.toMonth) qb = qb.where('s.month', '<=', f.toMonth);
    if (f.orgId) qb = qb.where('s.org_id', '=', f.orgId);
    if (f.type) qb = qb.where('s.type', '=', f.type);
    return qb.selectAll('s').execute();
  },
};
