import type { Insertable } from 'kysely';
import { districtOf, type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { TransfersTable } from '../../platform/db/schema.js';
import type { BeneficiaryRow } from './registry.repo.js';

/** A transfer is visible to both sides: the district it leaves and the one it goes to. */
function transferScope(eb: Parameters<typeof scopeWhere>[0], scope: Scope) {
  return eb.or([
    scopeWhere(eb, scope, { path: 't.from_path', orgId: 't.from_org_id' }),
    scopeWhere(eb, scope, { path: 't.to_path', orgId: 't.to_org_id' }),
  ]);
}

/** The SQL of transfers (transfers.service.ts holds the rules). */
export const transfersRepo = {
  async visible(db: Queryable, scope: Scope, id: string): Promise<boolean> {
    const row = await db
      .selectFrom('transfers as t')
      .select('t.id')
      .where('t.id', '=', id)
      .where((eb) => transferScope(eb, scope))
      .executeTakeFirst();
    return !!row;
  },

  /** The pending request of a person, wherever it goes (one at a time per person). */
  async pendingOf(db: Queryable, scope: Scope, beneficiaryId: string) {
    return db
      .selectFrom('transfers as t')
      .select('t.id')
      .where((eb) => transferScope(eb, scope))
      .where('t.beneficiary_id', '=', beneficiaryId)
      .where('t.status', '=', 'pending')
      .executeTakeFirst();
  },

  async insert(db: Queryable, row: Insertable<TransfersTable>) {
    await db.insertInto('transfers').values(row).execute();
  },

  /** Transfers in scope with the person's name and both orgs' names (callers add filters and order). */
  rows(db: Queryable, scope: Scope) {
    return db
      .selectFrom('transfers as t')
      .innerJoin('beneficiaries as b', 'b.id', 't.beneficiary_id')
      .innerJoin('orgs as fo', 'fo.id', 't.from_org_id')
      .innerJoin('orgs as tor', 'tor.id', 't.to_org_id')
      .where((eb) => transferScope(eb, scope))
      .select([
        't.id',
        't.beneficiary_id',
        't.from_org_id',
        't.to_org_id',
        't.from_path',
        't.to_path',
        't.status',
        't.reason',
        't.created_at',
        't.decided_at',
        't.requested_by',
        'b.name',
        'b.id_masked',
        'fo.name as from_name',
        'tor.name as to_name',
      ]);
  },

  async count(db: Queryable, scope: Scope, status: string | undefined): Promise<number> {
    let q = db.selectFrom('transfers as t').where((eb) => transferScope(eb, scope));
    if (status) q = q.where('t.status', '=', status);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(total.n);
  },

  async decide(
    db: Queryable,
    id: string,
    set: { status: string; decided_by: string; decision_note: string | null; decided_at: string },
  ) {
    await db.updateTable('transfers').set(set).where('id', '=', id).execute();
  },

  async org(db: Queryable, orgId: string) {
    return db.selectFrom('orgs').select(['id', 'path']).where('id', '=', orgId).executeTakeFirstOrThrow();
  },

  /** The person joins `to` with a new household of their own (same address). */
  async moveTo(
    db: Queryable,
    person: BeneficiaryRow,
    to: { id: string; path: string },
    householdId: string,
    now: string,
  ) {
    await db
      .insertInto('households')
      .values({
        id: householdId,
        org_id: to.id,
        org_path: to.path,
        address_enc: person.address_enc,
        address_masked: person.address_masked,
        plaque_status: 'none',
        plaque_eligible: 0,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .updateTable('beneficiaries')
      .set({
        org_id: to.id,
        org_path: to.path,
        district_path: districtOf(to.path),
        household_id: householdId,
        version: person.version + 1,
        updated_at: now,
      })
      .where('id', '=', person.id)
      .execute();
  },
};
