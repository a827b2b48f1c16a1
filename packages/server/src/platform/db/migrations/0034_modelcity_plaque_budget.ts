import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../index.js';

/** The example round of 0022 (its id is fixed there). */
const EXAMPLE_ROUND = '00000000-0000-7022-8100-000000000001';

/** [element text, evidence kinds before, after]: the new kind first, so the suggestion rule picks it. */
const CHANGES: [string, string, string][] = [
  ['光荣牌悬挂记录', 'honour,document', 'plaque,honour,document'],
  ['经费列入预算并有支付凭证', 'document,visit', 'budget,document,visit'],
];

/**
 * Model city (decisions/0046): the example table's elements accept the two new evidence kinds —
 * 光荣牌悬挂 (a plaque event of the honours module) and 经费预算与支出 (a visits budget line that has
 * spent something). Only the example round is touched, and only where its kinds are still those
 * 0022 seeded; imported rounds keep what their template says.
 */
export function modelcityPlaqueBudget0034(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [text, before, after] of CHANGES)
        await db
          .updateTable('modelcity_elements' as never)
          .set({ evidence_kinds: after } as never)
          .where('round_id' as never, '=', EXAMPLE_ROUND as never)
          .where('text' as never, '=', text as never)
          .where('evidence_kinds' as never, '=', before as never)
          .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const [text, before, after] of CHANGES)
        await db
          .updateTable('modelcity_elements' as never)
          .set({ evidence_kinds: before } as never)
          .where('round_id' as never, '=', EXAMPLE_ROUND as never)
          .where('text' as never, '=', text as never)
          .where('evidence_kinds' as never, '=', after as never)
          .execute();
    },
  };
}
