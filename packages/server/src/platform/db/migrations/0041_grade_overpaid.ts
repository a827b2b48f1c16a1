import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * The overpayment of a disability grade lowered late is a discrepancy case (decisions/0065): of kind
 * `grade_overpaid`, on the roster that paid the month, naming the month (`month`) and the grade
 * change that caused it (`grade_change_id`). Reconciliation's own cases have neither; re-importing a
 * return file replaces only those.
 */
export function gradeOverpaid0041(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('benefit_discrepancies').addColumn('month', 'text').execute();
      await db.schema.alterTable('benefit_discrepancies').addColumn('grade_change_id', 'text').execute();
      // what a person's month was already found overpaid by earlier changes
      await db.schema
        .createIndex('benefit_discrepancies_person_month')
        .on('benefit_discrepancies')
        .columns(['beneficiary_id', 'month'])
        .execute();
    },
  };
}
