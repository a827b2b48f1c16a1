import { type Insertable, sql } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { CoupletDeliveriesTable, MeritCitationsTable, PlaqueEventsTable } from '../../platform/db/schema.js';
import { nowIso } from '../../platform/ids.js';
import type { HouseholdRows } from '../registry/registry.module.js';

/** A citation is in scope when its household is (the registry's households, joined as `h`). */
const HOUSEHOLD_SCOPE = { path: 'h.org_path', orgId: 'h.org_id' } as const;

export interface CitationFilter {
  /** Households under this org path (already checked against the scope). */
  orgPath?: string | undefined;
  year?: number | undefined;
  status?: string | undefined;
  pending?: boolean | undefined;
  /** With `today` (display zone): received and past the register deadline, or not. */
  overdue?: boolean | undefined;
  today: string;
}

/**
 * Plaque events, couplet deliveries and merit citations. Households are the registry's: a
 * citation's scope comes from its household through the registry's `households.rows` subquery.
 */
export const honoursRepo = {
  /** Every merit citation's household, member and award: the subquery visits' rules embed. */
  citationRows(db: Queryable, scope: Scope) {
    return db
      .selectFrom('merit_citations')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select(['household_id', 'member_name', 'award_level', 'award_year']);
  },

  /** A household's history (the caller read the household in scope). */
  history(db: Queryable, scope: Scope, householdId: string) {
    return Promise.all([
      db
        .selectFrom('plaque_events')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .selectAll()
        .where('household_id', '=', householdId)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('couplet_deliveries')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .selectAll()
        .where('household_id', '=', householdId)
        .orderBy('year', 'desc')
        .execute(),
      db
        .selectFrom('merit_citations')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .selectAll()
        .where('household_id', '=', householdId)
        .orderBy('received_at', 'desc')
        .execute(),
    ]);
  },

  /**
   * Plaque events that hung a plaque (issued, reissued, replaced, reinstated) of households in
   * scope, with the household's org: by id, or those of a period newest first.
   */
  plaquesHung(
    db: Queryable,
    households: HouseholdRows,
    scope: Scope,
    f: { id?: string; from?: string; to?: string },
    limit: number,
  ) {
    let qb = db
      .selectFrom('plaque_events as p')
      .innerJoin(households.as('h'), 'h.id', 'p.household_id')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .select(['p.id', 'p.event_date', 'h.org_id', 'h.org_path', 'o.name as org_name'])
      .where('p.kind', 'in', ['issued', 'reissued', 'replaced', 'reinstated'])
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE));
    if (f.id) qb = qb.where('p.id', '=', f.id);
    if (f.from) qb = qb.where('p.event_date', '>=', f.from);
    if (f.to) qb = qb.where('p.event_date', '<=', f.to);
    return qb.orderBy('p.event_date', 'desc').orderBy('p.id').limit(limit).execute();
  },

  async insertPlaqueEvent(db: Queryable, row: Insertable<PlaqueEventsTable>) {
    await db.insertInto('plaque_events').values(row).execute();
  },

  coupletOf(db: Queryable, scope: Scope, householdId: string, year: number) {
    return db
      .selectFrom('couplet_deliveries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select('id')
      .where('household_id', '=', householdId)
      .where('year', '=', year)
      .executeTakeFirst();
  },

  async insertCouplet(db: Queryable, row: Insertable<CoupletDeliveriesTable>) {
    await db.insertInto('couplet_deliveries').values(row).execute();
  },

  citation(db: Queryable, households: HouseholdRows, scope: Scope, id: string) {
    return db
      .selectFrom('merit_citations as c')
      .innerJoin(households.as('h'), 'h.id', 'c.household_id')
      .selectAll('c')
      .where('c.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE))
      .executeTakeFirst();
  },

  async insertCitation(db: Queryable, row: Insertable<MeritCitationsTable>) {
    await db.insertInto('merit_citations').values(row).execute();
  },

  async advanceCitation(
    db: Queryable,
    id: string,
    set: Partial<Insertable<MeritCitationsTable>> & { status: string; version: number },
  ) {
    await db
      .updateTable('merit_citations')
      .set({ ...set, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  },

  /** A page of citations in scope, what needs doing first, and the total of the filter. */
  async citations(
    db: Queryable,
    households: HouseholdRows,
    scope: Scope,
    f: CitationFilter,
    page: number,
    pageSize: number,
  ) {
    let qb = db
      .selectFrom('merit_citations as c')
      .innerJoin(households.as('h'), 'h.id', 'c.household_id')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE));
    if (f.orgPath) qb = qb.where('h.org_path', '>=', f.orgPath).where('h.org_path', '<', prefixEnd(f.orgPath));
    if (f.year) qb = qb.where('c.award_year', '=', f.year);
    if (f.status) qb = qb.where('c.status', '=', f.status);
    if (f.pending === true) qb = qb.where('c.status', '=', 'received');
    if (f.pending === false) qb = qb.where('c.status', '!=', 'received');
    if (f.overdue === true) qb = qb.where('c.status', '=', 'received').where('c.register_deadline', '<', f.today);
    if (f.overdue === false)
      qb = qb.where((eb) => eb.or([eb('c.status', '!=', 'received'), eb('c.register_deadline', '>=', f.today)]));
    const [rows, total] = await Promise.all([
      qb
        .selectAll('c')
        .select('o.name as org_name')
        // what needs doing first: the unregistered by deadline, then the rest newest first
        .orderBy(sql`CASE WHEN c.status = 'received' THEN 0 ELSE 1 END`)
        .orderBy(sql`CASE WHEN c.status = 'received' THEN c.register_deadline END`)
        .orderBy('c.received_at', 'desc')
        .orderBy('c.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
};
