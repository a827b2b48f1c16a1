import type { Insertable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { TARGET_SCOPE } from './visits.repo.js';
import type { VisitBudgetLinesTable, VisitCapsTable } from './visits.schema.js';

const LINE_SCOPE = { path: 'b.org_path', orgId: 'b.org_id' } as const;

/** Caps, budget lines and the priority list of unvisited targets (money.service.ts holds the rules). */
export const moneyRepo = {
  async updateCaps(db: Queryable, campaignId: string, values: Partial<Insertable<VisitCapsTable>>) {
    await db.updateTable('visit_caps').set(values).where('campaign_id', '=', campaignId).execute();
  },

  async insertCaps(db: Queryable, row: Insertable<VisitCapsTable>) {
    await db.insertInto('visit_caps').values(row).execute();
  },

  /** A campaign's budget lines in scope, with their org's name. */
  budgetLines(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('visit_budget_lines as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.campaign_id', '=', campaignId)
      .where((eb) => scopeWhere(eb, scope, LINE_SCOPE))
      .orderBy('b.org_path')
      .orderBy('b.name')
      .execute();
  },

  /**
   * Budget lines in scope that have spent something, with their org's name: by id, or those
   * created in a period (UTC instants) newest first — what evidence of 经费列入预算 reads.
   */
  spentLines(db: Queryable, scope: Scope, f: { id?: string; from?: string; to?: string }, limit: number) {
    let qb = db
      .selectFrom('visit_budget_lines as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .select(['b.id', 'b.org_id', 'b.org_path', 'b.name', 'b.budget_fen', 'b.spent_fen', 'b.created_at'])
      .select('o.name as org_name')
      .where('b.spent_fen', '>', 0)
      .where((eb) => scopeWhere(eb, scope, LINE_SCOPE));
    if (f.id) qb = qb.where('b.id', '=', f.id);
    if (f.from) qb = qb.where('b.created_at', '>=', f.from);
    if (f.to) qb = qb.where('b.created_at', '<', f.to);
    return qb.orderBy('b.created_at', 'desc').orderBy('b.id').limit(limit).execute();
  },

  async insertBudgetLine(db: Queryable, row: Insertable<VisitBudgetLinesTable>) {
    await db.insertInto('visit_budget_lines').values(row).execute();
  },

  async updateBudgetLine(db: Queryable, id: string, set: { name: string; budget_fen: number; version: number }) {
    await db.updateTable('visit_budget_lines').set(set).where('id', '=', id).execute();
  },

  /** Planned targets of a campaign in scope not yet visited: those living alone first, then the oldest. */
  async unvisited(db: Queryable, scope: Scope, campaignId: string, page: number, pageSize: number) {
    const base = db
      .selectFrom('visit_targets as t')
      .where('t.campaign_id', '=', campaignId)
      .where('t.status', '=', 'planned')
      .where('t.visit_count', '=', 0)
      .where((eb) => scopeWhere(eb, scope, TARGET_SCOPE));
    const [rows, total] = await Promise.all([
      base
        .innerJoin('orgs as o', 'o.id', 't.org_id')
        .selectAll('t')
        .select('o.name as org_name')
        .orderBy('t.priority_rank')
        .orderBy('t.oldest_birth')
        .orderBy('t.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },
};
