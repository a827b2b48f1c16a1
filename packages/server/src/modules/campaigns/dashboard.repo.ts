import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';

/** The dashboard's reads: one campaign's rows, scoped to the caller unless it issued the campaign. */
export const dashboardRepo = {
  async rows(db: Queryable, scope: Scope, id: string, issuer: boolean) {
    const [items, tasks, assignments, inspections, reports] = await Promise.all([
      db.selectFrom('campaign_items').select(['id', 'ordinal', 'title']).where('campaign_id', '=', id).execute(),
      db.selectFrom('campaign_tasks').selectAll().where('campaign_id', '=', id).execute(),
      db
        .selectFrom('campaign_assignments as a')
        .innerJoin('orgs as o', 'o.id', 'a.org_id')
        .select([
          'a.id',
          'a.task_id',
          'a.org_id',
          'a.org_path',
          'a.status',
          'a.deadline',
          'o.name',
          'o.type',
          'o.depth',
        ])
        .where('a.campaign_id', '=', id)
        .$if(!issuer, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' })))
        .orderBy('a.org_path')
        .execute(),
      db
        .selectFrom('campaign_inspections as i')
        .innerJoin('orgs as o', 'o.id', 'i.org_id')
        .select(['i.id', 'i.inspected_on', 'i.findings', 'o.name'])
        .select((eb) => [
          eb
            .selectFrom('campaign_rectifications as r')
            .select((e) => e.fn.countAll().as('n'))
            .whereRef('r.inspection_id', '=', 'i.id')
            .as('rects'),
          eb
            .selectFrom('campaign_rectifications as r')
            .select((e) => e.fn.countAll().as('n'))
            .whereRef('r.inspection_id', '=', 'i.id')
            .where('r.status', '=', 'closed')
            .as('closed'),
        ])
        .where('i.campaign_id', '=', id)
        .$if(!issuer, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'i.org_path', orgId: 'i.org_id' })))
        .orderBy('i.inspected_on')
        .execute(),
      db
        .selectFrom('campaign_reports as r')
        .innerJoin('campaign_assignments as a', 'a.id', 'r.assignment_id')
        .select(['a.task_id', 'r.figures'])
        .where('r.campaign_id', '=', id)
        .where('r.review', '=', 'accepted')
        .$if(!issuer, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' })))
        .execute(),
    ]);
    return { items, tasks, assignments, inspections, reports };
  },
};
