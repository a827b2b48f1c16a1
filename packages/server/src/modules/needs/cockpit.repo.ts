import { sql } from 'kysely';
import type { Scope } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { counterScope } from './counts.repo.js';
import { HANDLING_STATUSES } from './needs.machine.js';
import { type SlaBounds, slaLevelSql, visibleWhere } from './needs.repo.js';

/** Aggregate reads of the needs the cockpit shows (counts and civil-side titles only, decisions/0036). */
export const needsCockpitRepo = {
  /**
   * Counts per (status, lead department, SLA colour) of the cases the caller sees, the colour
   * worked out in SQL (`slaLevelSql`): at most statuses × departments × 4 rows, whatever the
   * number of cases or of distinct deadlines.
   */
  groups(db: Queryable, scope: Scope, bounds: SlaBounds) {
    const at = counterScope(scope);
    if (!at) return this.groupsOfCases(db, scope, bounds);
    // the maintained counter of the scope (decisions/0050): a few rows per (status, department,
    // deadline), whatever the number of cases; the deadline '' of untimed rows reads as NULL
    const rows = db
      .selectFrom('need_counts as c')
      .where('c.reach', '=', at.reach)
      .where('c.scope_path', '=', at.path)
      .where('c.n', '!=', 0)
      .select([
        'c.status',
        sql<string | null>`nullif(c.lead_org_id, '')`.as('lead_org_id'),
        sql<string | null>`nullif(c.deadline, '')`.as('deadline'),
        'c.n',
      ])
      .as('n');
    const groups = db
      .selectFrom(rows)
      .select(['n.status', 'n.lead_org_id', slaLevelSql(bounds).as('level')])
      .select((eb) => eb.fn.sum<number>('n.n').as('n'))
      .groupBy(['n.status', 'n.lead_org_id', 'level'])
      .as('g');
    return db
      .selectFrom(groups)
      .leftJoin('orgs as lo', 'lo.id', 'g.lead_org_id')
      .select(['g.status', 'g.lead_org_id', 'g.level', 'g.n', 'lo.name as lead_org_name'])
      .execute();
  },

  /**
   * The same counts from the cases themselves: one pass over the visible cases (the `own` scope,
   * whose cases are few; and the test's oracle for the counter).
   */
  groupsOfCases(db: Queryable, scope: Scope, bounds: SlaBounds) {
    const cases = db
      .selectFrom('needs as n')
      .where((eb) => visibleWhere(eb, scope))
      .where('n.status', '!=', 'merged')
      .select(['n.status', 'n.lead_org_id', slaLevelSql(bounds).as('level')])
      .as('c');
    const groups = db
      .selectFrom(cases)
      .select(['c.status', 'c.lead_org_id', 'c.level'])
      .select((eb) => eb.fn.countAll().as('n'))
      .groupBy(['c.status', 'c.lead_org_id', 'c.level'])
      .as('g');
    // the department names join the few groups, not the cases
    return db
      .selectFrom(groups)
      .leftJoin('orgs as lo', 'lo.id', 'g.lead_org_id')
      .select(['g.status', 'g.lead_org_id', 'g.level', 'g.n', 'lo.name as lead_org_name'])
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
