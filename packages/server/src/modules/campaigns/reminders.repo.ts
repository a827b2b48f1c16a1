import type { Insertable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { OPEN_STATUSES } from './campaigns.repo.js';
import type { CampaignRemindersTable } from './campaigns.schema.js';

/** Queries of 催办 (reminders.ts): the sweep's candidates, the reminder log. */
export const remindersRepo = {
  /** Writes a reminder unless one with its dedupe key exists; true when written. */
  async insertOnce(db: Queryable, row: Insertable<CampaignRemindersTable>): Promise<boolean> {
    const res = await db
      .insertInto('campaign_reminders')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) !== 0;
  },

  /** Open assignments of issued campaigns due on or before `until`, every org's (the system's sweep). */
  async sweepCandidates(db: Queryable, scope: Scope, until: string) {
    return db
      .selectFrom('campaign_assignments as a')
      .where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' }))
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('campaign_tasks as tk', 'tk.id', 'a.task_id')
      .select([
        'a.id',
        'a.campaign_id',
        'a.org_id',
        'a.org_path',
        'a.deadline',
        'tk.title as task_title',
        'c.title as campaign_title',
        'c.remind_days_before',
      ])
      .where('a.status', 'in', [...OPEN_STATUSES])
      .where('a.deadline', '<=', until)
      .where('c.status', '=', 'issued')
      .orderBy('a.deadline')
      .orderBy('a.id')
      .execute();
  },

  /** These assignments (already checked by the caller) with their task's and campaign's titles. */
  async due(db: Queryable, scope: Scope, assignmentIds: string[]) {
    return db
      .selectFrom('campaign_assignments as a')
      .where((eb) => scopeWhere(eb, scope, { path: 'a.org_path', orgId: 'a.org_id' }))
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('campaign_tasks as tk', 'tk.id', 'a.task_id')
      .select([
        'a.id',
        'a.campaign_id',
        'a.org_id',
        'a.org_path',
        'a.deadline',
        'tk.title as task_title',
        'c.title as campaign_title',
      ])
      .where('a.id', 'in', assignmentIds)
      .orderBy('a.org_path')
      .execute();
  },

  /** Ids of a campaign's open assignments past their deadline (the issuer's nudge). */
  async overdueOpen(db: Queryable, scope: Scope, campaignId: string, today: string) {
    return db
      .selectFrom('campaign_assignments')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', [...OPEN_STATUSES])
      .where('deadline', '<', today)
      .execute();
  },

  /** A campaign's reminders: all for its issuer, the caller's own scope's otherwise; newest first, 500 at most. */
  async log(db: Queryable, scope: Scope, campaignId: string, issuer: boolean, assignmentId?: string) {
    return db
      .selectFrom('campaign_reminders as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .selectAll('r')
      .select('o.name as org_name')
      .where('r.campaign_id', '=', campaignId)
      .$if(!!assignmentId, (qb) => qb.where('r.assignment_id', '=', assignmentId!))
      .$if(!issuer, (qb) => qb.where((eb) => scopeWhere(eb, scope, { path: 'r.org_path', orgId: 'r.org_id' })))
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(500)
      .execute();
  },
};
