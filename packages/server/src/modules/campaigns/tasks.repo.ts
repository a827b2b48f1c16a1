import type { Insertable, Updateable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { nowIso } from '../../platform/ids.js';
import type { CampaignTasksTable } from './campaigns.schema.js';

/** Queries of a campaign's tasks (tasks.service.ts); the campaign itself was checked in the caller's scope. */
export const tasksRepo = {
  async insert(db: Queryable, row: Insertable<CampaignTasksTable>): Promise<void> {
    await db.insertInto('campaign_tasks').values(row).execute();
  },

  async itemOf(db: Queryable, scope: Scope, campaignId: string, itemId: string) {
    return db
      .selectFrom('campaign_items')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select('id')
      .where('id', '=', itemId)
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
  },

  /** The highest task ordinal of the campaign, 0 when it has none. */
  async lastOrdinal(db: Queryable, scope: Scope, campaignId: string): Promise<number> {
    const last = await db
      .selectFrom('campaign_tasks')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select((eb) => eb.fn.max('ordinal').as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst();
    return Number(last?.n ?? 0);
  },

  async touchCampaign(db: Queryable, campaignId: string): Promise<void> {
    await db.updateTable('campaigns').set({ updated_at: nowIso() }).where('id', '=', campaignId).execute();
  },

  async assignmentsOf(db: Queryable, scope: Scope, taskId: string) {
    return db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'org_id'])
      .where('task_id', '=', taskId)
      .execute();
  },

  async deleteAssignments(db: Queryable, ids: string[]): Promise<void> {
    await db.deleteFrom('campaign_assignments').where('id', 'in', ids).execute();
  },

  async update(db: Queryable, taskId: string, set: Updateable<CampaignTasksTable>): Promise<void> {
    await db.updateTable('campaign_tasks').set(set).where('id', '=', taskId).execute();
  },

  /** A task's new deadline moves every assignment's. */
  async moveDeadline(db: Queryable, taskId: string, deadline: string): Promise<void> {
    await db
      .updateTable('campaign_assignments')
      .set({ deadline, updated_at: nowIso() })
      .where('task_id', '=', taskId)
      .execute();
  },
};
