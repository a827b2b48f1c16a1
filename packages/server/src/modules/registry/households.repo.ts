import type { Insertable } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { HouseholdsTable, ServiceMembersTable } from '../../platform/db/schema.js';
import { nowIso } from '../../platform/ids.js';

export const HOUSEHOLD_SCOPE = { path: 'h.org_path', orgId: 'h.org_id' } as const;
const MEMBER_SCOPE = { path: 'm.org_path', orgId: 'm.org_id' } as const;

export interface HouseholdFilter {
  /** Households under this org path (already checked against the scope). */
  orgPath?: string | undefined;
  plaqueEligible?: boolean | undefined;
  plaqueStatus?: string | undefined;
}

/**
 * Households (a family that may hang a 光荣牌) and service members (the 烈士/军人 a family is
 * entitled through). The registry owns both; honours reaches households through the read model
 * the registry module exports (registry.module.ts, `households`).
 */
export const householdsRepo = {
  /** One household in scope, with the name of its org. */
  get(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('households as h')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .selectAll('h')
      .select('o.name as org_name')
      .where('h.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE))
      .executeTakeFirst();
  },

  /** A page of households in scope (by org path, then id) and the total of the filter. */
  async page(db: Queryable, scope: Scope, f: HouseholdFilter, page: number, pageSize: number) {
    let qb = db
      .selectFrom('households as h')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE));
    if (f.orgPath) qb = qb.where('h.org_path', '>=', f.orgPath).where('h.org_path', '<', prefixEnd(f.orgPath));
    if (f.plaqueEligible !== undefined) qb = qb.where('h.plaque_eligible', '=', f.plaqueEligible ? 1 : 0);
    if (f.plaqueStatus) qb = qb.where('h.plaque_status', '=', f.plaqueStatus);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('h')
        .select('o.name as org_name')
        .orderBy('h.org_path')
        .orderBy('h.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /**
   * The people (merged ones left out) of some households, oldest first. Scoped by the person's
   * org; callers that already read the households in scope pass `SYSTEM_SCOPE` (a member may be
   * registered under another org than the household's).
   */
  members(db: Queryable, scope: Scope, householdIds: readonly string[]) {
    if (!householdIds.length) return Promise.resolve([]);
    return db
      .selectFrom('beneficiaries as b')
      .select(['b.id', 'b.household_id', 'b.name', 'b.categories', 'b.id_masked', 'b.status'])
      .where('b.household_id', 'in', [...householdIds])
      .where('b.status', '!=', 'merged')
      .where((eb) => scopeWhere(eb, scope, { path: 'b.org_path', orgId: 'b.org_id' }))
      .orderBy('b.created_at')
      .execute();
  },

  /** The active people of a household, oldest first (the caller read the household in scope). */
  activeMembers(db: Queryable, scope: Scope, householdId: string) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['name', 'birth_date'])
      .where('household_id', '=', householdId)
      .where('status', '=', 'active')
      .orderBy('birth_date')
      .execute();
  },

  /**
   * The columns others join a household on (id, org and org path), as a subquery a caller embeds
   * in its own statement: `.innerJoin(households.rows(db).as('h'), 'h.id', 'x.household_id')`.
   */
  rows(db: Queryable, scope: Scope) {
    return db
      .selectFrom('households')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'org_id', 'org_path']);
  },

  insert(db: Queryable, row: Insertable<HouseholdsTable>) {
    return db.insertInto('households').values(row).execute();
  },

  async setPlaqueEligible(db: Queryable, householdId: string, eligible: boolean) {
    await db
      .updateTable('households')
      .set({ plaque_eligible: eligible ? 1 : 0 })
      .where('id', '=', householdId)
      .execute();
  },

  /** A 光荣牌 event moved the household to `status` (the caller checked the transition and version). */
  async setPlaqueStatus(db: Queryable, householdId: string, status: string, version: number) {
    await db
      .updateTable('households')
      .set({ plaque_status: status, version: version + 1, updated_at: nowIso() })
      .where('id', '=', householdId)
      .execute();
  },

  serviceMember(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('service_members as m')
      .selectAll('m')
      .where('m.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, MEMBER_SCOPE))
      .executeTakeFirst();
  },

  insertServiceMember(db: Queryable, row: Insertable<ServiceMembersTable>) {
    return db.insertInto('service_members').values(row).execute();
  },
};
