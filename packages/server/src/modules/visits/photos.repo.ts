import type { Insertable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { VisitPhotosTable } from './visits.schema.js';

/** Queries of visit photos (photo-store.ts); the visit was read in the caller's scope first. */
export const photosRepo = {
  /** PostgreSQL: holds the visit's row until the transaction ends, so two uploads to it take turns. */
  async lockVisit(db: Queryable, scope: Scope, visitId: string): Promise<void> {
    await db
      .selectFrom('visits')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('id', '=', visitId)
      .forUpdate()
      .execute();
  },

  /** The photo of this visit with these (stripped) bytes, if one is kept. */
  same(db: Queryable, scope: Scope, visitId: string, sha256: string) {
    return db
      .selectFrom('visit_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('visit_id', '=', visitId)
      .where('sha256', '=', sha256)
      .executeTakeFirst();
  },

  async count(db: Queryable, scope: Scope, visitId: string): Promise<number> {
    const n = await db
      .selectFrom('visit_photos')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => eb.fn.countAll().as('n'))
      .where('visit_id', '=', visitId)
      .executeTakeFirstOrThrow();
    return Number(n.n);
  },

  async insert(db: Queryable, row: Insertable<VisitPhotosTable>): Promise<void> {
    await db.insertInto('visit_photos').values(row).execute();
  },
};
