import type { Insertable, Selectable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type {
  ModelcityElementsTable,
  ModelcityEvidenceTable,
  ModelcityItemsTable,
  ModelcityOwnersTable,
  ModelcityRoundsTable,
  ModelcityStandardsTable,
  ModelcityVetoesTable,
} from './modelcity.schema.js';

export type RoundRow = Selectable<ModelcityRoundsTable>;
export type StandardRow = Selectable<ModelcityStandardsTable>;
export type ItemRow = Selectable<ModelcityItemsTable>;
export type ElementRow = Selectable<ModelcityElementsTable>;
export type VetoRow = Selectable<ModelcityVetoesTable>;
export type EvidenceRow = Selectable<ModelcityEvidenceTable> & { org_name: string };
export type OwnerRow = Selectable<ModelcityOwnersTable> & { org_name: string };

const EVIDENCE_SCOPE = { path: 'e.org_path', orgId: 'e.org_id', owner: 'e.created_by' } as const;

/** Every query on the model-city tables (the module owns them; nobody else names them). */
export const modelcityRepo = {
  /** An org of the tree (joinable, read only). */
  org(db: Queryable, id: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'name']).where('id', '=', id).executeTakeFirst();
  },

  rounds(db: Queryable): Promise<RoundRow[]> {
    return db.selectFrom('modelcity_rounds').selectAll().orderBy('period_end', 'desc').orderBy('id').execute();
  },
  round(db: Queryable, id: string): Promise<RoundRow | undefined> {
    return db.selectFrom('modelcity_rounds').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The table of a round, in its order. */
  async table(db: Queryable, roundId: string) {
    const [standards, items, elements, vetoes] = await Promise.all([
      db.selectFrom('modelcity_standards').selectAll().where('round_id', '=', roundId).orderBy('seq').execute(),
      db.selectFrom('modelcity_items').selectAll().where('round_id', '=', roundId).orderBy('seq').execute(),
      db.selectFrom('modelcity_elements').selectAll().where('round_id', '=', roundId).orderBy('seq').execute(),
      db.selectFrom('modelcity_vetoes').selectAll().where('round_id', '=', roundId).orderBy('seq').execute(),
    ]);
    return { standards, items, elements, vetoes };
  },
  element(db: Queryable, id: string): Promise<ElementRow | undefined> {
    return db.selectFrom('modelcity_elements').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Fresh and stale evidence counts per element of a round, within the scope: one grouped
   * statement, so the score of a city with 10^5 links costs one index range scan.
   */
  async counts(db: Queryable, scope: Scope, roundId: string, periodStart: string) {
    const rows = await db
      .selectFrom('modelcity_evidence as e')
      .select((eb) => [
        'e.element_id',
        eb.fn.countAll().as('n'),
        eb.fn.sum(eb.case().when('e.evidence_date', '<', periodStart).then(1).else(0).end()).as('stale'),
      ])
      .where('e.round_id', '=', roundId)
      .where((eb) => scopeWhere(eb, scope, EVIDENCE_SCOPE))
      .groupBy('e.element_id')
      .execute();
    return new Map(
      rows.map((r) => {
        const stale = toNumber(r.stale ?? 0);
        return [r.element_id, { fresh: toNumber(r.n) - stale, stale }];
      }),
    );
  },

  /**
   * The evidence of a round's elements within the scope, at most `perElement` per element, newest
   * first: one short statement per element along the (round, element, date) index, so a city with
   * 10^5 links reads only the rows a page shows (measured: bench/modelcity-score.ts).
   */
  async evidence(
    db: Queryable,
    scope: Scope,
    roundId: string,
    elementIds: readonly string[],
    perElement: number,
  ): Promise<EvidenceRow[]> {
    const out: EvidenceRow[] = [];
    for (const elementId of elementIds)
      out.push(
        ...(await db
          .selectFrom('modelcity_evidence as e')
          .innerJoin('orgs as o', 'o.id', 'e.org_id')
          .selectAll('e')
          .select('o.name as org_name')
          .where('e.round_id', '=', roundId)
          .where('e.element_id', '=', elementId)
          .where((eb) => scopeWhere(eb, scope, EVIDENCE_SCOPE))
          .orderBy('e.evidence_date', 'desc')
          .orderBy('e.id')
          .limit(perElement)
          .execute()),
      );
    return out;
  },
  get(db: Queryable, scope: Scope, id: string): Promise<EvidenceRow | undefined> {
    return db
      .selectFrom('modelcity_evidence as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .selectAll('e')
      .select('o.name as org_name')
      .where('e.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, EVIDENCE_SCOPE))
      .executeTakeFirst();
  },
  /** The source records of a kind already tagged to an element (suggestions leave them out). */
  async taggedSources(db: Queryable, roundId: string, kind: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom('modelcity_evidence')
      .select(['source_id', 'element_id'])
      .where('round_id', '=', roundId)
      .where('source_kind', '=', kind)
      .execute();
    return new Set(rows.map((r) => `${r.source_id}|${r.element_id}`));
  },
  async insertEvidence(db: Queryable, row: Insertable<ModelcityEvidenceTable>): Promise<void> {
    await db.insertInto('modelcity_evidence').values(row).execute();
  },
  async deleteEvidence(db: Queryable, id: string): Promise<void> {
    await db.deleteFrom('modelcity_evidence').where('id', '=', id).execute();
  },

  item(db: Queryable, id: string): Promise<ItemRow | undefined> {
    return db.selectFrom('modelcity_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Who answers for the items of a round (lead first), with the orgs' names: the table's metadata, not scoped. */
  owners(db: Queryable, roundId: string): Promise<OwnerRow[]> {
    return db
      .selectFrom('modelcity_owners as w')
      .innerJoin('orgs as o', 'o.id', 'w.org_id')
      .selectAll('w')
      .select('o.name as org_name')
      .where('w.round_id', '=', roundId)
      .orderBy('w.item_id')
      .orderBy('w.role', 'desc')
      .orderBy('w.created_at')
      .execute();
  },
  /** The items an org (or any org of the scope) answers for. */
  ownedBy(db: Queryable, scope: Scope, roundId: string): Promise<OwnerRow[]> {
    return db
      .selectFrom('modelcity_owners as w')
      .innerJoin('orgs as o', 'o.id', 'w.org_id')
      .selectAll('w')
      .select('o.name as org_name')
      .where('w.round_id', '=', roundId)
      .where((eb) => scopeWhere(eb, scope, { path: 'w.org_path', orgId: 'w.org_id' }))
      .orderBy('w.deadline')
      .orderBy('w.item_id')
      .execute();
  },
  async insertOwners(db: Queryable, rows: Insertable<ModelcityOwnersTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('modelcity_owners').values(rows).execute();
  },
  async deleteOwners(db: Queryable, itemId: string): Promise<void> {
    await db.deleteFrom('modelcity_owners').where('item_id', '=', itemId).execute();
  },
};
