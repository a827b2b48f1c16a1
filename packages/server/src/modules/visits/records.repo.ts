import type { visitListQuery } from '@shuangyong/shared';
import type { Insertable } from 'kysely';
import type { z } from 'zod';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { VISIT_SCOPE } from './visits.repo.js';
import type { VisitsTable } from './visits.schema.js';

/**
 * Visit records and the totals they move (records.service.ts holds the rules). Reads by id here
 * follow a record the caller has already read in scope (its target, budget line, photos).
 */
export const recordsRepo = {
  /** A budget line by id, whatever its scope: the service checks it suits the target. */
  budgetLine(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_budget_lines')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  },

  /** Names of the targets and the photos of some visits read in scope. */
  async targetNamesAndPhotos(db: Queryable, scope: Scope, targetIds: readonly string[], visitIds: readonly string[]) {
    return Promise.all([
      db
        .selectFrom('visit_targets')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
        .select(['id', 'name'])
        .where('id', 'in', [...targetIds])
        .execute(),
      db
        .selectFrom('visit_photos')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
        .selectAll()
        .where('visit_id', 'in', [...visitIds])
        .orderBy('created_at')
        .execute(),
    ]);
  },

  /** The visit a client key made, whoever made it (idempotent create; the service checks the owner). */
  byClientKey(db: Queryable, scope: Scope, key: string) {
    return db
      .selectFrom('visits')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('client_key', '=', key)
      .executeTakeFirst();
  },

  async insert(db: Queryable, row: Insertable<VisitsTable>) {
    await db.insertInto('visits').values(row).execute();
  },

  /** Sets a visit's columns when its version is still `version`; false when it moved on. */
  async update(db: Queryable, id: string, version: number, set: Partial<Insertable<VisitsTable>>) {
    const res = await db
      .updateTable('visits')
      .set(set)
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** A decision on a visit over its caps (the caller read it in scope, in this transaction). */
  async setApproval(db: Queryable, id: string, set: Partial<Insertable<VisitsTable>>) {
    await db.updateTable('visits').set(set).where('id', '=', id).execute();
  },

  /** The target of a visit read in scope. */
  target(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  },

  /** Moves a target's totals by one visit's amounts (and its last visit when `at` is later). */
  async moveTarget(db: Queryable, id: string, d: { count: number; cash: number; goods: number; lastVisitAt?: string }) {
    await db
      .updateTable('visit_targets')
      .set((eb) => ({
        visit_count: eb('visit_count', '+', d.count),
        cash_fen: eb('cash_fen', '+', d.cash),
        goods_fen: eb('goods_fen', '+', d.goods),
        ...(d.lastVisitAt ? { last_visit_at: d.lastVisitAt } : {}),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
  },

  async spend(db: Queryable, lineId: string, fen: number) {
    await db
      .updateTable('visit_budget_lines')
      .set((eb) => ({ spent_fen: eb('spent_fen', '+', fen) }))
      .where('id', '=', lineId)
      .execute();
  },

  /** A page of visits in scope, latest first, and the total of the filter. */
  /** `visitedIn`: the UTC instants [from, to) of a local day (`q.day`, resolved by the service). */
  async page(db: Queryable, scope: Scope, q: z.infer<typeof visitListQuery>, visitedIn?: [string, string]) {
    let qb = db.selectFrom('visits as v').where((eb) => scopeWhere(eb, scope, VISIT_SCOPE));
    if (q.campaignId) qb = qb.where('v.campaign_id', '=', q.campaignId);
    if (q.planId) qb = qb.where('v.plan_id', '=', q.planId);
    if (q.targetId) qb = qb.where('v.target_id', '=', q.targetId);
    if (q.approval) qb = qb.where('v.approval_status', '=', q.approval);
    if (visitedIn) qb = qb.where('v.visited_at', '>=', visitedIn[0]).where('v.visited_at', '<', visitedIn[1]);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('v')
        .orderBy('v.visited_at', 'desc')
        .orderBy('v.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
};
