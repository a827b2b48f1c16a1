import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * A 军民共建 pair can be ended (issue 20): `status` becomes 'ended', `ends_on` the day it ended and
 * `end_reason` why. An ended pair is no longer listed among the pairs that did nothing this quarter.
 */
export function partnershipEnd0035(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('troop_partnerships').addColumn('end_reason', 'text').execute();
    },
  };
}
