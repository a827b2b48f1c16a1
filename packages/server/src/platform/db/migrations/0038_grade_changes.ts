import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * A disability grade (残疾等级) and its 性质 change with a date (评残/调残 决定, decisions/0056): one
 * row per change of a person's category, with the grade and 性质 before and after, the decision's
 * date and number, and `from_month`, the first month the new grade is paid by (the month after the
 * decision). The category row keeps the grade in force now; the entitlement of a month before a
 * change reads the change's `grade_from`. Back pay a late change produces names it
 * (`benefit_backpay.grade_change_id`).
 */
export function gradeChanges0038(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('beneficiary_grade_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('beneficiary_id', 'text', (c) => c.notNull().references('beneficiaries.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('from_month', 'text', (c) => c.notNull())
        .addColumn('grade_from', 'integer', (c) => c.notNull())
        .addColumn('grade_to', 'integer', (c) => c.notNull())
        .addColumn('cause_from', 'text')
        .addColumn('cause_to', 'text')
        .addColumn('document_no', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // "the first change of this person's category not yet in force in month M": one index probe
      await db.schema
        .createIndex('beneficiary_grade_changes_person')
        .on('beneficiary_grade_changes')
        .columns(['beneficiary_id', 'code', 'from_month', 'effective_date'])
        .execute();
      await db.schema.alterTable('benefit_backpay').addColumn('grade_change_id', 'text').execute();
    },
  };
}
