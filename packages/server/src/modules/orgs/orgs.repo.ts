import type { Org } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { bool, type Queryable, toNumber } from '../../platform/db/index.js';
import type { OrgsTable } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';

export type OrgRow = Selectable<OrgsTable>;

export const ORG_SCOPE = { path: 'orgs.path', orgId: 'orgs.id' } as const;

export function toOrg(r: OrgRow): Org {
  return {
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    name: r.name,
    type: r.type as Org['type'],
    side: r.side as Org['side'],
    regionCode: r.region_code,
    path: r.path,
    depth: r.depth,
    active: bool(r.active),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface OrgFilter {
  q?: string;
  type?: string;
  parentId?: string;
  includeInactive?: boolean;
}

function filtered(db: Queryable, scope: Scope, f: OrgFilter) {
  let qb = db.selectFrom('orgs').where((eb) => scopeWhere(eb, scope, ORG_SCOPE));
  if (!f.includeInactive) qb = qb.where('orgs.active', '=', 1);
  if (f.type) qb = qb.where('orgs.type', '=', f.type);
  if (f.parentId) qb = qb.where('orgs.parent_id', '=', f.parentId);
  if (f.q) qb = qb.where('orgs.name', 'like', `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  return qb;
}

export const orgsRepo = {
  async tree(db: Queryable, scope: Scope, includeInactive: boolean): Promise<OrgRow[]> {
    return filtered(db, scope, { includeInactive }).selectAll('orgs').orderBy('orgs.path').execute();
  },

  async page(db: Queryable, scope: Scope, f: OrgFilter, page: number, pageSize: number) {
    const base = filtered(db, scope, f);
    const [rows, total] = await Promise.all([
      base
        .selectAll('orgs')
        .orderBy('orgs.path')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /** Names of the orgs in scope among `ids` (the audit log's labels). */
  names(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('orgs')
      .select(['id', 'name as label'])
      .where('id', 'in', ids)
      .where((eb) => scopeWhere(eb, scope, ORG_SCOPE))
      .execute();
  },

  async get(db: Queryable, scope: Scope, id: string): Promise<OrgRow | undefined> {
    return db
      .selectFrom('orgs')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => scopeWhere(eb, scope, ORG_SCOPE))
      .executeTakeFirst();
  },

  async byIds(db: Queryable, ids: readonly string[]): Promise<OrgRow[]> {
    if (!ids.length) return [];
    return db.selectFrom('orgs').selectAll().where('id', 'in', ids).execute();
  },

  async pathTaken(db: Queryable, path: string): Promise<boolean> {
    return !!(await db.selectFrom('orgs').select('id').where('path', '=', path).executeTakeFirst());
  },

  async activeChildCount(db: Queryable, id: string): Promise<number> {
    const r = await db
      .selectFrom('orgs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('parent_id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  async insert(db: Queryable, row: OrgRow): Promise<void> {
    await db.insertInto('orgs').values(row).execute();
  },

  /** Optimistic update: returns false when the version no longer matches. */
  async update(db: Queryable, id: string, version: number, set: Partial<OrgRow>): Promise<boolean> {
    return updateVersioned(db, 'orgs', id, version, set);
  },
};
