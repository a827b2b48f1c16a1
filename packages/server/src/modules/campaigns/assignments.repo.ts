import type { Insertable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import type { CampaignAssignmentsTable } from './campaigns.schema.js';

/** Queries on tasks' assignments (one row per task and recipient org) and the org picks they start from. */
export const assignmentsRepo = {
  /** Active orgs of a type (and depth), or with these ids, by path: the recipients a task can go to. */
  async activeOrgs(
    db: Queryable,
    f: { type?: string; depth?: number; ids?: readonly string[] },
  ): Promise<{ id: string; path: string; name: string }[]> {
    let q = db.selectFrom('orgs').select(['id', 'path', 'name']).where('active', '=', 1);
    if (f.type !== undefined) q = q.where('type', '=', f.type);
    if (f.depth !== undefined) q = q.where('depth', '=', f.depth);
    if (f.ids) return q.where('id', 'in', f.ids).execute();
    return q.orderBy('path').execute();
  },

  async orgIdsOfTask(db: Queryable, scope: Scope, taskId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('org_id')
      .where('task_id', '=', taskId)
      .execute();
    return rows.map((r) => r.org_id);
  },

  async insert(db: Queryable, rows: Insertable<CampaignAssignmentsTable>[]): Promise<void> {
    if (rows.length) await db.insertInto('campaign_assignments').values(rows).execute();
  },
};
