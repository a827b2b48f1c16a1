import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Reconciliation writes a return file's lines in chunks outside one big transaction (decisions/0052):
 * each import is a batch of `benefit_returns` rows, and the roster names the batch in force
 * (`benefit_rosters.returns_batch`), switched in one short transaction at the end; rows of other
 * batches (an earlier import, a crashed run) are deleted afterwards in chunks. Earlier rows become
 * the batch of their roster. The index by blind index (instead of period, blind index, roster)
 * finds a person paid by another roster whose months overlap — a monthly and a quarterly roster
 * of the same months are matched, not only equal periods.
 */
export function benefitReturnBatches0033(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('benefit_returns').addColumn('batch_id', 'text').execute();
      await db.schema.alterTable('benefit_rosters').addColumn('returns_batch', 'text').execute();
      await sql`UPDATE benefit_returns SET batch_id = roster_id`.execute(db);
      await sql`UPDATE benefit_rosters SET returns_batch = id
        WHERE EXISTS (SELECT 1 FROM benefit_returns x WHERE x.roster_id = benefit_rosters.id)`.execute(db);
      // the duplicate check reads by blind index across periods; (period, id_bi, roster_id) has no reader left
      await db.schema.dropIndex('benefit_returns_person').execute();
      await db.schema.createIndex('benefit_returns_bi').on('benefit_returns').columns(['id_bi']).execute();
    },
  };
}
