import type { Scope } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { HANDLING_STATUSES } from './needs.machine.js';
import { visibleWhere } from './needs.repo.js';

/** Aggregate reads of the needs the cockpit shows (counts and civil-side titles only, decisions/0036). */
export const needsCockpitRepo = {
  /** Counts per (status, lead department, deadline) of the cases the caller sees: a few hundred rows. */
  groups(db: Queryable, scope: Scope) {
    return db
      .selectFrom('needs as n')
      .leftJoin('orgs as lo', 'lo.id', 'n.lead_org_id')
      .where((eb) => visibleWhere(eb, scope))
      .where('n.status', '!=', 'merged')
      .select(['n.status', 'n.lead_org_id', 'lo.name as lead_org_name', 'n.deadline'])
      .select((eb) => eb.fn.countAll().as('n'))
      .groupBy(['n.status', 'n.lead_org_id', 'lo.name', 'n.deadline'])
      .execute();
  },

  /** Cases still being handled whose deadline has passed, oldest deadline first. */
  breached(db: Queryable, scope: Scope, today: string, limit: number) {
    return db
      .selectFrom('needs as n')
      .leftJoin('orgs as lo', 'lo.id', 'n.lead_org_id')
      .where((eb) => visibleWhere(eb, scope))
      .where('n.status', 'in', [...HANDLING_STATUSES])
      .where('n.deadline', '<', today)
      .select(['n.id', 'n.title', 'n.deadline', 'lo.name as lead_org_name'])
      .orderBy('n.deadline')
      .orderBy('n.id')
      .limit(limit)
      .execute();
  },
};
