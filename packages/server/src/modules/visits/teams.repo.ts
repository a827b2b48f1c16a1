import type { Insertable, Updateable } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { VisitTargetsTable, VisitTeamsTable } from './visits.schema.js';

/** Queries of a plan's visit teams (teams.service.ts); the plan was read in the caller's scope first. */
export const teamsRepo = {
  teamsOf(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_teams')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('plan_id', '=', planId)
      .orderBy('created_at')
      .execute();
  },

  /** Targets per team (excluded ones not counted). */
  targetCounts(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['team_id'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .where('status', '<>', 'excluded')
      .groupBy('team_id')
      .execute();
  },

  async insert(db: Queryable, row: Insertable<VisitTeamsTable>): Promise<void> {
    await db.insertInto('visit_teams').values(row).execute();
  },

  team(db: Queryable, scope: Scope, planId: string, teamId: string) {
    return db
      .selectFrom('visit_teams')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'planned_date'])
      .where('id', '=', teamId)
      .where('plan_id', '=', planId)
      .executeTakeFirst();
  },

  /** The plan's targets (not excluded) by id and/or below a street's path. */
  targetsToAssign(
    db: Queryable,
    scope: Scope,
    planId: string,
    targetIds: readonly string[] | undefined,
    street: string | null,
  ) {
    let qb = db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .where('plan_id', '=', planId)
      .where('status', '<>', 'excluded');
    if (targetIds?.length) qb = qb.where('id', 'in', targetIds);
    if (street) qb = qb.where('org_path', '>=', street).where('org_path', '<', prefixEnd(street));
    return qb.selectAll().execute();
  },

  async assignTarget(db: Queryable, id: string, set: Updateable<VisitTargetsTable>): Promise<void> {
    await db.updateTable('visit_targets').set(set).where('id', '=', id).execute();
  },

  /** Targets per (owner org path, team), excluded ones not counted. */
  streetCounts(db: Queryable, scope: Scope, planId: string) {
    return db
      .selectFrom('visit_targets')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['org_path', 'team_id'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('plan_id', '=', planId)
      .where('status', '<>', 'excluded')
      .groupBy(['org_path', 'team_id'])
      .execute();
  },
};
