import type { Insertable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { CockpitBriefsTable } from './cockpit.schema.js';

const BRIEF_SCOPE = { path: 'b.org_path', orgId: 'b.org_id' } as const;

/** The daily briefs, scoped by the org that made them. */
export const cockpitRepo = {
  list(db: Queryable, scope: Scope, campaignId: string) {
    return db
      .selectFrom('cockpit_briefs as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.campaign_id', '=', campaignId)
      .where((eb) => scopeWhere(eb, scope, BRIEF_SCOPE))
      .orderBy('b.day', 'desc')
      .orderBy('b.created_at', 'desc')
      .limit(200)
      .execute();
  },

  get(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('cockpit_briefs as b')
      .innerJoin('orgs as o', 'o.id', 'b.org_id')
      .selectAll('b')
      .select('o.name as org_name')
      .where('b.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, BRIEF_SCOPE))
      .executeTakeFirst();
  },

  /** The brief of that day, kind and org, if one was made already. */
  sameDay(db: Queryable, scope: Scope, key: { campaignId: string; orgId: string; day: string; public: boolean }) {
    return db
      .selectFrom('cockpit_briefs')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id'])
      .where('campaign_id', '=', key.campaignId)
      .where('org_id', '=', key.orgId)
      .where('day', '=', key.day)
      .where('public', '=', key.public ? 1 : 0)
      .executeTakeFirst();
  },

  insert(db: Queryable, row: Insertable<CockpitBriefsTable>) {
    return db.insertInto('cockpit_briefs').values(row).execute();
  },

  replace(db: Queryable, id: string, row: Partial<Insertable<CockpitBriefsTable>>) {
    return db.updateTable('cockpit_briefs').set(row).where('id', '=', id).execute();
  },
};
