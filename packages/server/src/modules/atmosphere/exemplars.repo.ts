import type { ExpressionBuilder, Insertable, Selectable, Updateable } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import type {
  AtmosphereExemplarItemsTable,
  AtmosphereExemplarReviewsTable,
  AtmosphereExemplarsTable,
} from './exemplars.schema.js';

export type ExemplarRow = Selectable<AtmosphereExemplarsTable> & {
  org_name: string;
  concerned_org_name: string | null;
  profile_status: string | null;
  profile_hash: string | null;
  profile_approved_hash: string | null;
  profile_outlet: string | null;
  profile_on: string | null;
};
export type ExemplarReviewRow = Selectable<AtmosphereExemplarReviewsTable>;

const SCOPE = { path: 'e.org_path', orgId: 'e.org_id', owner: 'e.created_by' } as const;

/** Who looks: their scope, and whether they are of the military side (the 军分区 sees what mentions troops). */
export interface ExemplarViewer {
  scope: Scope;
  military: boolean;
}

export interface ExemplarFilter {
  year?: number;
  type?: string;
  /** Stored status, or `published` (approved with a published profile). */
  status?: string;
  campaignId?: string;
  q?: string;
  /** Approved by the city (published or not), approved within [from, to] (ISO timestamps). */
  approvedBetween?: { from: string; to: string };
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

type Eb = ExpressionBuilder<Database & { e: AtmosphereExemplarsTable; p: Database['atmosphere_items'] }, 'e' | 'p'>;

/**
 * Who sees an exemplar: the nominating org's scope (a district its area, the city all); the org
 * it concerns (a unit sees and co-authors what concerns it); the military side every one that
 * mentions troops; everyone once the city approved it and its profile is published.
 */
function visibleTo(eb: Eb, v: ExemplarViewer) {
  const or = [
    scopeWhere(eb, v.scope, SCOPE),
    eb.and([eb('e.status', '=', 'approved'), eb('p.status', '=', 'published')]),
  ];
  if (v.scope.kind === 'org' || v.scope.kind === 'own') or.push(eb('e.concerned_org_id', '=', v.scope.orgId));
  if (v.military) or.push(eb('e.mentions_troops', '=', 1));
  return eb.or(or);
}

function exemplars(db: Queryable, v: ExemplarViewer, f: ExemplarFilter) {
  let qb = db
    .selectFrom('atmosphere_exemplars as e')
    .innerJoin('orgs as o', 'o.id', 'e.org_id')
    .leftJoin('orgs as co', 'co.id', 'e.concerned_org_id')
    .leftJoin('atmosphere_items as p', 'p.id', 'e.profile_item_id')
    .where((eb) => visibleTo(eb as unknown as Eb, v));
  if (f.year) qb = qb.where('e.year', '=', f.year);
  if (f.type) qb = qb.where('e.type', '=', f.type);
  if (f.status === 'published') qb = qb.where('e.status', '=', 'approved').where('p.status', '=', 'published');
  else if (f.status === 'approved')
    qb = qb
      .where('e.status', '=', 'approved')
      .where((eb) => eb.or([eb('p.status', 'is', null), eb('p.status', '!=', 'published')]));
  else if (f.status) qb = qb.where('e.status', '=', f.status);
  if (f.campaignId) qb = qb.where('e.campaign_id', '=', f.campaignId);
  if (f.approvedBetween)
    qb = qb
      .where('e.status', '=', 'approved')
      .where('e.approved_at', '>=', f.approvedBetween.from)
      .where('e.approved_at', '<=', f.approvedBetween.to);
  if (f.q) qb = qb.where('e.name', 'like', `%${escapeLike(f.q)}%`);
  return qb;
}

function withColumns(qb: ReturnType<typeof exemplars>) {
  return qb
    .selectAll('e')
    .select([
      'o.name as org_name',
      'co.name as concerned_org_name',
      'p.status as profile_status',
      'p.content_hash as profile_hash',
      'p.approved_hash as profile_approved_hash',
      'p.published_outlet as profile_outlet',
      'p.published_on as profile_on',
    ]);
}

/** Names of the exemplars the viewer sees among `ids` (the audit log's labels). */
export function exemplarNames(db: Queryable, v: ExemplarViewer, ids: readonly string[]) {
  return exemplars(db, v, {}).select(['e.id', 'e.name as label']).where('e.id', 'in', ids).execute();
}

/** Every query on the exemplar tables (the atmosphere module owns them; nobody else names them). */
export const exemplarsRepo = {
  /** An org of the tree (joinable, read only), whatever the scope: the org an exemplar concerns. */
  org(db: Queryable, id: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'side', 'active'])
      .where('id', '=', id)
      .executeTakeFirst();
  },

  async page(
    db: Queryable,
    v: ExemplarViewer,
    f: ExemplarFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: ExemplarRow[]; total: number }> {
    const base = exemplars(db, v, f);
    const [rows, total] = await Promise.all([
      withColumns(base)
        .orderBy('e.year', 'desc')
        .orderBy('e.type')
        .orderBy('e.updated_at', 'desc')
        .orderBy('e.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
  /** The register for an export: at most `limit` rows in the register's order. */
  register(db: Queryable, v: ExemplarViewer, f: ExemplarFilter, limit: number): Promise<ExemplarRow[]> {
    return withColumns(exemplars(db, v, f))
      .orderBy('e.year', 'desc')
      .orderBy('e.type')
      .orderBy('o.name')
      .orderBy('e.name')
      .limit(limit)
      .execute();
  },
  get(db: Queryable, v: ExemplarViewer, id: string): Promise<ExemplarRow | undefined> {
    return withColumns(exemplars(db, v, {}))
      .where('e.id', '=', id)
      .executeTakeFirst();
  },
  async insert(db: Queryable, row: Insertable<AtmosphereExemplarsTable>): Promise<void> {
    await db.insertInto('atmosphere_exemplars').values(row).execute();
  },
  /** Optimistic update: false when the version moved on. */
  async update(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<AtmosphereExemplarsTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'atmosphere_exemplars', id, version, set);
  },

  reviews(db: Queryable, scope: Scope, id: string): Promise<ExemplarReviewRow[]> {
    return db
      .selectFrom('atmosphere_exemplar_reviews')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('exemplar_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute();
  },
  async insertReview(db: Queryable, row: Insertable<AtmosphereExemplarReviewsTable>): Promise<void> {
    await db.insertInto('atmosphere_exemplar_reviews').values(row).execute();
  },

  // ---- links to publicity items about the exemplar
  links(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('atmosphere_exemplar_items as l')
      .where((eb) => scopeWhere(eb, scope, { path: 'l.org_path' }))
      .innerJoin('atmosphere_items as i', 'i.id', 'l.item_id')
      .innerJoin('orgs as o', 'o.id', 'i.org_id')
      .select([
        'l.item_id',
        'i.title',
        'i.status',
        'i.org_id',
        'i.org_path',
        'i.created_by',
        'i.published_on',
        'o.name as org_name',
      ])
      .where('l.exemplar_id', '=', id)
      .orderBy('l.linked_at')
      .orderBy('l.item_id')
      .execute();
  },
  async link(db: Queryable, row: Insertable<AtmosphereExemplarItemsTable>): Promise<boolean> {
    const r = await db
      .insertInto('atmosphere_exemplar_items')
      .values(row)
      .onConflict((oc) => oc.columns(['exemplar_id', 'item_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  },
  async unlink(db: Queryable, id: string, itemId: string): Promise<boolean> {
    const r = await db
      .deleteFrom('atmosphere_exemplar_items')
      .where('exemplar_id', '=', id)
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },

  // ---- a campaign task's live figures (index ranges on the owner's path)
  /** Exemplars of a campaign nominated below `orgPath` that the city approved (published or not). */
  async approvedCount(db: Queryable, scope: Scope, campaignId: string, orgPath: string): Promise<number> {
    const r = await db
      .selectFrom('atmosphere_exemplars')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'approved')
      .where('org_path', '>=', orgPath)
      .where('org_path', '<', prefixEnd(orgPath))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },
  /** Published publicity items of a campaign by orgs below `orgPath` that are about an exemplar. */
  async aboutExemplarsCount(db: Queryable, scope: Scope, campaignId: string, orgPath: string): Promise<number> {
    const r = await db
      .selectFrom('atmosphere_items as i')
      .where((eb) => scopeWhere(eb, scope, { path: 'i.org_path', orgId: 'i.org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('i.campaign_id', '=', campaignId)
      .where('i.status', '=', 'published')
      .where('i.org_path', '>=', orgPath)
      .where('i.org_path', '<', prefixEnd(orgPath))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('atmosphere_exemplar_items as l')
            .where((eb) => scopeWhere(eb, scope, { path: 'l.org_path' }))
            .select('l.item_id')
            .whereRef('l.item_id', '=', 'i.id'),
        ),
      )
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },
};
