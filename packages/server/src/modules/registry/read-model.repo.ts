import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';

/**
 * Read models other modules embed in their own set-wise statements (decisions/0024, point 2): each
 * returns a Kysely subquery over the registry's tables, so the caller's statement stays one
 * statement and the registry keeps its table names. Nothing here writes.
 */
export const registryReadModel = {
  /**
   * One row per (person, category) of everyone who may be owed a benefit — every status but
   * merged: the caller decides month by month from status and status date (a person who died in
   * March is owed January to March). District and org are where the person is registered now.
   */
  entitledCategories(db: Queryable, scope: Scope) {
    return db
      .selectFrom('beneficiary_categories as bc')
      .where((eb) => scopeWhere(eb, scope, { path: 'bc.org_path' }))
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .where('b.status', '!=', 'merged')
      .select([
        'b.id as person_id',
        'b.id_bi as id_bi',
        'b.name as name',
        'b.id_masked as id_masked',
        'b.org_id as org_id',
        'b.org_path as org_path',
        'b.district_path as district_path',
        'b.status as status',
        'b.status_date as status_date',
        // the year of registration needs no annual confirmation (benefits, decisions/0045)
        'b.created_at as registered_at',
        'bc.code as code',
        'bc.start_date as start_date',
        'bc.end_date as end_date',
        'bc.disability_grade as disability_grade',
        'bc.disability_cause as disability_cause',
      ]);
  },

  /**
   * The disability grade changes (decisions/0056): per person and category, the first month paid
   * by the new grade (`from_month`) and the grade and 性质 before and after. A month before the
   * first change not yet in force is paid by that change's `grade_from`; after the last, by the
   * category row's grade.
   */
  gradeChanges(db: Queryable) {
    return db
      .selectFrom('beneficiary_grade_changes')
      .select([
        'id',
        'beneficiary_id',
        'code',
        'effective_date',
        'from_month',
        'grade_from',
        'grade_to',
        'cause_from',
        'cause_to',
        'document_no',
      ]);
  },

  /** One grade change: whose, which category, from which month (the back pay's work). */
  gradeChange(db: Queryable, id: string) {
    return db
      .selectFrom('beneficiary_grade_changes')
      .select(['id', 'beneficiary_id', 'code', 'from_month'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /**
   * How many active persons hold `code` in the region below `orgPath`, from the covering index
   * (code, status, org_path) of the category rows: the figure a campaign task can be bound to.
   */
  async activeWithCategory(db: Queryable, scope: Scope, code: string, orgPath: string): Promise<number> {
    const r = await db
      .selectFrom('beneficiary_categories')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('code', '=', code)
      .where('status', '=', 'active')
      .where('org_path', '>=', orgPath)
      .where('org_path', '<', prefixEnd(orgPath))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /**
   * Every person (merged ones too: callers filter by `status`) with what a visit rule reads: the
   * subquery visits embeds as `b` / `m` in its target build.
   */
  persons(db: Queryable, scope: Scope) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'household_id', 'org_id', 'org_path', 'name', 'birth_date', 'status', 'categories']);
  },

  /** Every category row with the person's status and path (the covering index's columns). */
  categoryRows(db: Queryable, scope: Scope) {
    return db
      .selectFrom('beneficiary_categories')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select(['beneficiary_id', 'code', 'status', 'org_path', 'end_date']);
  },

  /** Accepted transfers between organisations: who moved, from where, to where, when (ISO time). */
  acceptedTransfers(db: Queryable, scope: Scope) {
    return db
      .selectFrom('transfers')
      .where((eb) =>
        eb.or([
          scopeWhere(eb, scope, { path: 'from_path', orgId: 'from_org_id' }),
          scopeWhere(eb, scope, { path: 'to_path', orgId: 'to_org_id' }),
        ]),
      )
      .where('status', '=', 'accepted')
      .select(['beneficiary_id', 'from_path', 'to_path', 'decided_at']);
  },

  /** Everyone but the merged, with what decides whether a payment is owed: status and district (reconciliation, decisions/0054). */
  personStatuses(db: Queryable, scope: Scope) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .where('status', '!=', 'merged')
      .select(['id', 'id_bi', 'district_path', 'status', 'status_date']);
  },

  /** The people behind a set of ID-number blind indexes (a bank's return file), merged ones left out. */
  personsByBlindIndex(db: Queryable, scope: Scope, blindIndexes: readonly string[]) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .where('status', '!=', 'merged')
      .where('id_bi', 'in', blindIndexes.length ? [...blindIndexes] : [''])
      .select(['id', 'id_bi', 'name', 'id_masked', 'district_path', 'status', 'status_date'])
      .execute();
  },

  /** Sealed ID numbers of some people (the caller opens them through `openIdNumbers`, audited). */
  sealedIds(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('beneficiaries')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'id_enc'])
      .where('id', 'in', ids.length ? [...ids] : [''])
      .execute();
  },
};

export type RegistryReadModel = typeof registryReadModel;
