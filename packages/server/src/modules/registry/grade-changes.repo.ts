import type { Insertable, Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/index.js';
import type { BeneficiaryGradeChangesTable } from '../../platform/db/schema.js';

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

  insert(db: Queryable, row: Insertable<BeneficiaryGradeChangesTable>) {
    return db.insertInto('beneficiary_grade_changes').values(row).execute();
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
