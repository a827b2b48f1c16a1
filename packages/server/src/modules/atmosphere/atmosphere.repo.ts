import type { Insertable, Selectable, Updateable } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import type {
  AtmosphereCheckRulesTable,
  AtmosphereItemsTable,
  AtmospherePhotosTable,
  AtmosphereReviewsTable,
} from './atmosphere.schema.js';

export type RuleRow = Selectable<AtmosphereCheckRulesTable>;
export type ItemRow = Selectable<AtmosphereItemsTable> & { org_name: string };
export type PhotoRow = Selectable<AtmospherePhotosTable>;
export type ReviewRow = Selectable<AtmosphereReviewsTable>;

const ITEM_SCOPE = { path: 'i.org_path', orgId: 'i.org_id', owner: 'i.created_by' } as const;

export interface ItemFilter {
  status?: string;
  statuses?: string[];
  campaignId?: string;
  taskId?: string;
  q?: string;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** Titles of the items the scope sees among `ids` (the audit log's labels). */
export function itemTitles(db: Queryable, scope: Scope, ids: readonly string[]) {
  return db
    .selectFrom('atmosphere_items as i')
    .select(['i.id', 'i.title as label'])
    .where('i.id', 'in', ids)
    .where((eb) => eb.or([scopeWhere(eb, scope, ITEM_SCOPE), eb('i.status', '=', 'published')]))
    .execute();
}

/**
 * Who sees an item: its owner's scope (a district its area, a unit its own, the city all), and
 * everyone once it is published. Nobody outside the scope sees a draft or an item under review.
 */
function items(db: Queryable, scope: Scope, f: ItemFilter) {
  let qb = db
    .selectFrom('atmosphere_items as i')
    .innerJoin('orgs as o', 'o.id', 'i.org_id')
    .where((eb) => eb.or([scopeWhere(eb, scope, ITEM_SCOPE), eb('i.status', '=', 'published')]));
  if (f.status) qb = qb.where('i.status', '=', f.status);
  if (f.statuses) qb = qb.where('i.status', 'in', f.statuses);
  if (f.campaignId) qb = qb.where('i.campaign_id', '=', f.campaignId);
  if (f.taskId) qb = qb.where('i.task_id', '=', f.taskId);
  if (f.q) qb = qb.where('i.title', 'like', `%${escapeLike(f.q)}%`);
  return qb;
}

/** Every query on the atmosphere tables (the module owns them; nobody else names them). */
export const atmosphereRepo = {
  /** An org of the tree (joinable, read only) within the scope: the author's org of a new item. */
  org(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'side', 'active'])
      .where('id', '=', id)
      .where((eb) => scopeWhere(eb, scope, { path: 'orgs.path', orgId: 'orgs.id' }))
      .executeTakeFirst();
  },

  // ---- check rules
  async rules(db: Queryable, opts: { military: boolean; activeOnly?: boolean }): Promise<RuleRow[]> {
    let qb = db.selectFrom('atmosphere_check_rules').selectAll();
    if (!opts.military) qb = qb.where('military_only', '=', 0);
    if (opts.activeOnly) qb = qb.where('active', '=', 1);
    return qb.orderBy('category').orderBy('code').execute();
  },
  rule(db: Queryable, id: string): Promise<RuleRow | undefined> {
    return db.selectFrom('atmosphere_check_rules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  ruleByCode(db: Queryable, code: string): Promise<RuleRow | undefined> {
    return db.selectFrom('atmosphere_check_rules').selectAll().where('code', '=', code).executeTakeFirst();
  },
  /** A number that changes whenever the list changes: the checker is recompiled when it does. */
  async rulesStamp(db: Queryable): Promise<string> {
    const r = await db
      .selectFrom('atmosphere_check_rules')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('at'), eb.fn.sum('version').as('v')])
      .executeTakeFirstOrThrow();
    return `${toNumber(r.n)}|${r.at ?? ''}|${toNumber(r.v ?? 0)}`;
  },
  async insertRule(db: Queryable, row: Insertable<AtmosphereCheckRulesTable>): Promise<void> {
    await db.insertInto('atmosphere_check_rules').values(row).execute();
  },
  /** Optimistic update: false when the version moved on. */
  async updateRule(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<AtmosphereCheckRulesTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'atmosphere_check_rules', id, version, set);
  },

  // ---- publicity items
  async page(
    db: Queryable,
    scope: Scope,
    f: ItemFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: ItemRow[]; total: number }> {
    const base = items(db, scope, f);
    const [rows, total] = await Promise.all([
      base
        .selectAll('i')
        .select('o.name as org_name')
        .orderBy('i.updated_at', 'desc')
        .orderBy('i.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
  get(db: Queryable, scope: Scope, id: string): Promise<ItemRow | undefined> {
    return items(db, scope, {}).selectAll('i').select('o.name as org_name').where('i.id', '=', id).executeTakeFirst();
  },
  async insertItem(db: Queryable, row: Insertable<AtmosphereItemsTable>): Promise<void> {
    await db.insertInto('atmosphere_items').values(row).execute();
  },
  /** Optimistic update of an item: false when the version moved on. */
  async updateItem(
    db: Queryable,
    id: string,
    version: number,
    set: Updateable<AtmosphereItemsTable>,
  ): Promise<boolean> {
    return updateVersioned(db, 'atmosphere_items', id, version, set);
  },
  /** Items of a campaign published by the orgs below `orgPath` (a campaign task's live figure). */
  async publishedCount(db: Queryable, scope: Scope, campaignId: string, orgPath: string): Promise<number> {
    const r = await db
      .selectFrom('atmosphere_items')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'published')
      .where('org_path', '>=', orgPath)
      .where('org_path', '<', prefixEnd(orgPath))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  // ---- photos
  photos(db: Queryable, scope: Scope, itemId: string): Promise<PhotoRow[]> {
    return db
      .selectFrom('atmosphere_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  },
  photo(db: Queryable, scope: Scope, itemId: string, photoId: string): Promise<PhotoRow | undefined> {
    return db
      .selectFrom('atmosphere_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('item_id', '=', itemId)
      .where('id', '=', photoId)
      .executeTakeFirst();
  },
  async insertPhoto(db: Queryable, row: Insertable<AtmospherePhotosTable>): Promise<void> {
    await db.insertInto('atmosphere_photos').values(row).execute();
  },
  async deletePhoto(db: Queryable, photoId: string): Promise<void> {
    await db.deleteFrom('atmosphere_photos').where('id', '=', photoId).execute();
  },

  // ---- reviews
  reviews(db: Queryable, scope: Scope, itemId: string): Promise<ReviewRow[]> {
    return db
      .selectFrom('atmosphere_reviews')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('item_id', '=', itemId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  },
  async insertReview(db: Queryable, row: Insertable<AtmosphereReviewsTable>): Promise<void> {
    await db.insertInto('atmosphere_reviews').values(row).execute();
  },
};
