import type { Insertable, Selectable, Updateable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import type {
  TroopEmergenciesTable,
  TroopEmergencyDispatchesTable,
  TroopEmergencyEventsTable,
} from './troops.schema.js';

export type EmergencyRow = Selectable<TroopEmergenciesTable> & { org_name: string };
export type DispatchRow = Selectable<TroopEmergencyDispatchesTable> & { org_name: string };
export type EmergencyEventRow = Selectable<TroopEmergencyEventsTable>;

/**
 * Who sees a support request: the requesting side's scope (the district its own, the city and
 * the 军分区 all) or a unit dispatched to it (through its dispatch row). Another district never.
 */
function visible(db: Queryable, scope: Scope) {
  return db
    .selectFrom('troop_emergencies as e')
    .innerJoin('orgs as o', 'o.id', 'e.org_id')
    .where((eb) =>
      eb.or([
        scopeWhere(eb, scope, { path: 'e.org_path', orgId: 'e.org_id' }),
        eb.exists(
          eb
            .selectFrom('troop_emergency_dispatches as d')
            .select('d.id')
            .whereRef('d.emergency_id', '=', 'e.id')
            .where((eb2) => scopeWhere(eb2, scope, { path: 'd.org_path', orgId: 'd.org_id' })),
        ),
      ]),
    );
}

/** Every query on the emergency tables (the troops module owns them). */
export const emergenciesRepo = {
  async page(
    db: Queryable,
    scope: Scope,
    f: { status?: string },
    page: number,
    pageSize: number,
  ): Promise<{ rows: EmergencyRow[]; total: number }> {
    let base = visible(db, scope);
    if (f.status) base = base.where('e.status', '=', f.status);
    const [rows, total] = await Promise.all([
      base
        .selectAll('e')
        .select('o.name as org_name')
        .orderBy('e.created_at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
  get(db: Queryable, scope: Scope, id: string): Promise<EmergencyRow | undefined> {
    return visible(db, scope).selectAll('e').select('o.name as org_name').where('e.id', '=', id).executeTakeFirst();
  },
  async insert(db: Queryable, row: Insertable<TroopEmergenciesTable>): Promise<void> {
    await db.insertInto('troop_emergencies').values(row).execute();
  },
  /** Optimistic: only from `version` (and, when given, only from status `from`). */
  async update(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<TroopEmergenciesTable>,
    from?: string,
  ): Promise<boolean> {
    return updateVersioned(db, 'troop_emergencies', id, version, set, from ? { where: { status: from } } : {});
  },

  dispatches(db: Queryable, scope: Scope, emergencyIds: readonly string[]): Promise<DispatchRow[]> {
    if (!emergencyIds.length) return Promise.resolve([]);
    return db
      .selectFrom('troop_emergency_dispatches as d')
      .where((eb) => scopeWhere(eb, scope, { path: 'd.org_path', orgId: 'd.org_id' }))
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .selectAll('d')
      .select('o.name as org_name')
      .where('d.emergency_id', 'in', emergencyIds)
      .orderBy('o.path')
      .execute();
  },
  async insertDispatches(db: Queryable, rows: Insertable<TroopEmergencyDispatchesTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('troop_emergency_dispatches').values(rows).execute();
  },
  async updateDispatch(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<TroopEmergencyDispatchesTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'troop_emergency_dispatches', id, version, set);
  },

  events(db: Queryable, scope: Scope, emergencyId: string): Promise<EmergencyEventRow[]> {
    return db
      .selectFrom('troop_emergency_events')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('emergency_id', '=', emergencyId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  },
  async insertEvent(db: Queryable, row: Insertable<TroopEmergencyEventsTable>): Promise<void> {
    await db.insertInto('troop_emergency_events').values(row).execute();
  },

  /** Units the 军分区 can dispatch: active military units and 人武部 (not the command's offices). */
  units(db: Queryable) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name', 'path'])
      .where('side', '=', 'military')
      .where('type', 'in', ['military_unit', 'armed_forces_department'])
      .where('active', '=', 1)
      .orderBy('path')
      .execute();
  },

  /** Requests the scope sees, by status, with the decision and arrival times (statistics). */
  async timings(db: Queryable, scope: Scope, f: { from?: string; to?: string }) {
    let qb = visible(db, scope);
    if (f.from) qb = qb.where('e.created_at', '>=', f.from);
    if (f.to) qb = qb.where('e.created_at', '<', f.to);
    return qb
      .select([
        'e.id',
        'e.status',
        'e.created_at',
        'e.decided_at',
        'e.respond_by',
        'e.people_helped',
        'e.service_minutes',
      ])
      .select((eb) =>
        eb
          .selectFrom('troop_emergency_dispatches as d')
          .select((eb2) => eb2.fn.min('d.arrived_at').as('a'))
          .whereRef('d.emergency_id', '=', 'e.id')
          .as('first_arrival'),
      )
      .execute();
  },
};
