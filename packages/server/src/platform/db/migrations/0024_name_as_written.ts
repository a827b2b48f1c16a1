import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * A person's name is stored in simplified characters, so lists, search and duplicate checks see one
 * form (issue 17 item 12: 艾軍 and 艾军 are one person); what the roster or the clerk wrote, when it
 * differs, is kept beside it. Rows stored before keep their name as it was (nothing is rewritten).
 */
export function nameAsWritten0024(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('beneficiaries').addColumn('name_as_written', 'text').execute();
    },
  };
}
