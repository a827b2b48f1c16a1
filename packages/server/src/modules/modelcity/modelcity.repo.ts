import { type Insertable, type Selectable, sql } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
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
/** Up to this many of an element's pieces in the scope are sought by path and sorted; more are walked by date. */
const SEEK_AT_MOST = 400;

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
   * first: one short statement per element. Which index it takes depends on how much of the
   * element's evidence is the scope's (`inScope`, from `counts`): a few rows are sought by
   * (round, element, org_path) and sorted; many are read newest first along (round, element, date)
   * until enough of them are the scope's — the path test is then kept off the index (`|| ''`), or
   * SQLite would seek all of a district's rows of the element and sort them (decisions/0046,
   * measured: bench/modelcity-score.ts).
   */
  async evidence(
    db: Queryable,
    scope: Scope,
    roundId: string,
    elementIds: readonly string[],
    perElement: number,
    inScope: ReadonlyMap<string, number> = new Map(),
  ): Promise<EvidenceRow[]> {
    const out: EvidenceRow[] = [];
    for (const elementId of elementIds) {
      let q = db
        .selectFrom('modelcity_evidence as e')
        .innerJoin('orgs as o', 'o.id', 'e.org_id')
        .selectAll('e')
        .select('o.name as org_name')
        .where('e.round_id', '=', roundId)
        .where('e.element_id', '=', elementId);
      const walk = scope.kind === 'subtree' && (inScope.get(elementId) ?? 0) > SEEK_AT_MOST;
      q = walk
        ? q
            .where(sql<string>`${sql.ref('e.org_path')} || ''`, '>=', scope.path)
            .where(sql<string>`${sql.ref('e.org_path')} || ''`, '<', prefixEnd(scope.path))
        : q.where((eb) => scopeWhere(eb, scope, EVIDENCE_SCOPE));
      out.push(...(await q.orderBy('e.evidence_date', 'desc').orderBy('e.id').limit(perElement).execute()));
    }
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
  /** File name and type of some evidence, by id (the ids were read within a scope). */
  fileTypes(db: Queryable, scope: Scope, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('modelcity_evidence')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'file_name', 'content_type'])
      .where('id', 'in', [...ids])
      .execute();
  },
  /** The source records of a kind already tagged to an element (suggestions leave them out). */
  async taggedSources(db: Queryable, scope: Scope, roundId: string, kind: string): Promise<Set<string>> {
    const rows = await db
      .selectFrom('modelcity_evidence')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
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

  itemElements(db: Queryable, itemId: string): Promise<ElementRow[]> {
    return db.selectFrom('modelcity_elements').selectAll().where('item_id', '=', itemId).orderBy('seq').execute();
  },
  /** How much evidence is filed under each of some elements (all orgs: the table is the city's). */
  async evidenceCounts(db: Queryable, scope: Scope, elementIds: readonly string[]): Promise<Map<string, number>> {
    if (!elementIds.length) return new Map();
    const rows = await db
      .selectFrom('modelcity_evidence')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => ['element_id', eb.fn.countAll().as('n')])
      .where('element_id', 'in', [...elementIds])
      .groupBy('element_id')
      .execute();
    return new Map(rows.map((r) => [r.element_id, toNumber(r.n)]));
  },
  /** Replaces an item's content, points and elements (ids kept for the elements kept). */
  async saveItem(
    db: Queryable,
    item: Pick<ItemRow, 'id' | 'content' | 'points'>,
    keep: Pick<ElementRow, 'id' | 'seq' | 'text' | 'points' | 'evidence_kinds' | 'min_count'>[],
    add: Insertable<ModelcityElementsTable>[],
    removeIds: readonly string[],
  ): Promise<void> {
    await db
      .updateTable('modelcity_items')
      .set({ content: item.content, points: item.points })
      .where('id', '=', item.id)
      .execute();
    if (removeIds.length)
      await db
        .deleteFrom('modelcity_elements')
        .where('id', 'in', [...removeIds])
        .execute();
    for (const e of keep)
      await db
        .updateTable('modelcity_elements')
        .set({ seq: e.seq, text: e.text, points: e.points, evidence_kinds: e.evidence_kinds, min_count: e.min_count })
        .where('id', '=', e.id)
        .execute();
    if (add.length) await db.insertInto('modelcity_elements').values(add).execute();
  },

  item(db: Queryable, id: string): Promise<ItemRow | undefined> {
    return db.selectFrom('modelcity_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Who answers for the items of a round (lead first), with the orgs' names: the table's metadata, not scoped. */
  owners(db: Queryable, scope: Scope, roundId: string): Promise<OwnerRow[]> {
    return db
      .selectFrom('modelcity_owners as w')
      .where((eb) => scopeWhere(eb, scope, { path: 'w.org_path', orgId: 'w.org_id' }))
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

  /** A whole round's table in one go (the template import). */
  async insertTable(
    db: Queryable,
    t: {
      round: Insertable<ModelcityRoundsTable>;
      standards: Insertable<ModelcityStandardsTable>[];
      items: Insertable<ModelcityItemsTable>[];
      elements: Insertable<ModelcityElementsTable>[];
      vetoes: Insertable<ModelcityVetoesTable>[];
    },
  ): Promise<void> {
    await db.insertInto('modelcity_rounds').values(t.round).execute();
    if (t.standards.length) await db.insertInto('modelcity_standards').values(t.standards).execute();
    if (t.items.length) await db.insertInto('modelcity_items').values(t.items).execute();
    for (let i = 0; i < t.elements.length; i += 200)
      await db
        .insertInto('modelcity_elements')
        .values(t.elements.slice(i, i + 200))
        .execute();
    if (t.vetoes.length) await db.insertInto('modelcity_vetoes').values(t.vetoes).execute();
  },
};
