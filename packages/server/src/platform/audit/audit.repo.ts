import type { auditExportQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import { type Scope, scopeWhere } from '../access/scope.js';
import { type Queryable, toNumber } from '../db/index.js';

export type AuditFilters = z.infer<typeof auditExportQuery>;

/** Reads of the audit log (the platform owns the table; writes go through AuditLog). */
export const auditRepo = {
  /** The log in the caller's scope, narrowed by the audit page's filters. */
  filtered(db: Queryable, f: AuditFilters, scope: Scope) {
    let qb = db
      .selectFrom('audit_log')
      .where((eb) => scopeWhere(eb, scope, { path: 'audit_log.org_path', orgId: 'audit_log.org_id' }));
    if (f.actor) qb = qb.where('actor_name', '=', f.actor);
    if (f.action) qb = qb.where('action', '=', f.action);
    if (f.entityType) qb = qb.where('entity_type', '=', f.entityType);
    if (f.entityId) qb = qb.where('entity_id', '=', f.entityId);
    if (f.from) qb = qb.where('at', '>=', new Date(f.from).toISOString());
    if (f.to) qb = qb.where('at', '<=', new Date(f.to).toISOString());
    return qb;
  },

  /** Newest first, `limit` rows from `offset`. */
  rows(db: Queryable, f: AuditFilters, scope: Scope, limit: number, offset = 0) {
    return auditRepo.filtered(db, f, scope).selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute();
  },

  async count(db: Queryable, f: AuditFilters, scope: Scope): Promise<number> {
    const r = await auditRepo
      .filtered(db, f, scope)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /** A record's history: its newest audit rows. */
  history(db: Queryable, entityType: string, entityId: string, limit = 200) {
    return db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  },
};
