import type { Insertable, Selectable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { BeneficiaryGradeChangesTable } from '../../platform/db/schema.js';
import { uuidv7 } from '../../platform/ids.js';

export type GradeChangeRow = Selectable<BeneficiaryGradeChangesTable>;

/**
 * The history of disability grades (decisions/0056). Rows belong to a person: the caller has
 * checked the person in its scope (the `beneficiary` target, or a read in scope in the service).
 */
export const gradeChangesRepo = {
  list(db: Queryable, beneficiaryId: string) {
    return db
      .selectFrom('beneficiary_grade_changes')
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('effective_date', 'desc')
      .orderBy('created_at', 'desc')
      .execute();
  },

  /** The latest change of one category of a person (the next one must be dated after it). */
  latest(db: Queryable, beneficiaryId: string, code: string) {
    return db
      .selectFrom('beneficiary_grade_changes')
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .where('code', '=', code)
      .orderBy('effective_date', 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /**
   * The changes of records merged into `survivorId` (status merged, pointing at it): a merge keeps
   * both histories (decisions/0065).
   */
  ofMergedInto(db: Queryable, scope: Scope, survivorId: string) {
    return db
      .selectFrom('beneficiary_grade_changes as g')
      .innerJoin('beneficiaries as m', 'm.id', 'g.beneficiary_id')
      .where((eb) => scopeWhere(eb, scope, { path: 'm.org_path', orgId: 'm.org_id' }))
      .selectAll('g')
      .where('m.merged_into', '=', survivorId)
      .where('m.status', '=', 'merged')
      .orderBy('g.effective_date', 'desc')
      .execute();
  },

  /**
   * A merge gives the survivor the categories it lacked: their history comes with them (copies
   * with new ids, so undoing the merge deletes exactly those). Returns the new ids.
   */
  async copyTo(db: Queryable, fromId: string, toId: string, codes: readonly string[]) {
    if (!codes.length) return [];
    const rows = await db
      .selectFrom('beneficiary_grade_changes')
      .selectAll()
      .where('beneficiary_id', '=', fromId)
      .where('code', 'in', [...codes])
      .execute();
    const copies = rows.map((r) => ({ ...r, id: uuidv7(), beneficiary_id: toId }));
    if (copies.length) await db.insertInto('beneficiary_grade_changes').values(copies).execute();
    return copies.map((c) => c.id);
  },

  deleteIds(db: Queryable, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve();
    return db
      .deleteFrom('beneficiary_grade_changes')
      .where('id', 'in', [...ids])
      .execute();
  },

  insert(db: Queryable, row: Insertable<BeneficiaryGradeChangesTable>) {
    return db.insertInto('beneficiary_grade_changes').values(row).execute();
  },

  /**
   * The graded categories of some people, each with its latest decision's date (the import
   * compares a row's grade with them, decisions/0065): one statement per batch of rows.
   */
  heldGrades(db: Queryable, scope: Scope, beneficiaryIds: readonly string[]) {
    if (!beneficiaryIds.length) return Promise.resolve([]);
    return db
      .selectFrom('beneficiary_categories as c')
      .where((eb) => scopeWhere(eb, scope, { path: 'c.org_path' }))
      .select((eb) => [
        'c.beneficiary_id',
        'c.code',
        'c.disability_grade',
        'c.disability_cause',
        'c.start_date',
        'c.end_date',
        eb
          .selectFrom('beneficiary_grade_changes as g')
          .whereRef('g.beneficiary_id', '=', 'c.beneficiary_id')
          .whereRef('g.code', '=', 'c.code')
          .select((g) => g.fn.max('g.effective_date').as('d'))
          .as('last_effective_date'),
      ])
      .where('c.beneficiary_id', 'in', [...beneficiaryIds])
      .where('c.disability_grade', 'is not', null)
      .execute();
  },

  /** The category row holds the grade in force now (lists, counts, the detail page). */
  setCurrentGrade(db: Queryable, beneficiaryId: string, code: string, grade: number, cause: string | null) {
    return db
      .updateTable('beneficiary_categories')
      .set({ disability_grade: grade, disability_cause: cause })
      .where('beneficiary_id', '=', beneficiaryId)
      .where('code', '=', code)
      .execute();
  },
};
