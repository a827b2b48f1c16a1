import type { assignmentListQuery } from '@shuangyong/shared';
import type { Insertable, Updateable } from 'kysely';
import type { z } from 'zod';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { assignmentVisible, OPEN_STATUSES } from './campaigns.repo.js';
import type { CampaignAssignmentsTable, CampaignReportsTable } from './campaigns.schema.js';

/** Queries of 填报 and 审核 (work.service.ts): assignments, their reports, files and reminders. */
export const workRepo = {
  /** The assignments the caller sees (issued campaigns), by deadline; `day` decides "overdue". */
  async page(db: Queryable, scope: Scope, q: z.infer<typeof assignmentListQuery>, day: string) {
    let qb = db
      .selectFrom('campaign_assignments as a')
      .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
      .innerJoin('campaign_tasks as tk', 'tk.id', 'a.task_id')
      .innerJoin('orgs as o', 'o.id', 'a.org_id')
      .where((eb) => assignmentVisible(eb, scope))
      .where('c.status', '!=', 'draft');
    if (q.campaignId) qb = qb.where('a.campaign_id', '=', q.campaignId);
    if (q.orgId) qb = qb.where('a.org_id', '=', q.orgId);
    if (q.status === 'overdue') qb = qb.where('a.status', 'in', [...OPEN_STATUSES]).where('a.deadline', '<', day);
    else if (q.status && OPEN_STATUSES.includes(q.status as 'returned'))
      qb = qb.where('a.status', '=', q.status).where('a.deadline', '>=', day);
    else if (q.status) qb = qb.where('a.status', '=', q.status);
    const [rows, total] = await Promise.all([
      qb
        .select([
          'a.id',
          'a.campaign_id',
          'a.task_id',
          'a.deadline',
          'a.org_id',
          'a.status',
          'a.submitted_at',
          'a.version',
          'c.title as campaign_title',
          'tk.title as task_title',
          'o.name as org_name',
        ])
        .orderBy('a.deadline')
        .orderBy('a.org_path')
        .orderBy('a.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: toNumber(total.n) };
  },

  /** What an assignment's page shows beyond the row (already checked in the caller's scope). */
  async detailRows(db: Queryable, scope: Scope, taskId: string, id: string) {
    const [task, reports, files, reminders] = await Promise.all([
      db
        .selectFrom('campaign_tasks as tk')
        .where((eb) => scopeWhere(eb, scope, { path: 'tk.org_path' }))
        .innerJoin('campaign_items as it', 'it.id', 'tk.item_id')
        .selectAll('tk')
        .select('it.title as item_title')
        .where('tk.id', '=', taskId)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('campaign_reports')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .selectAll()
        .where('assignment_id', '=', id)
        .orderBy('submitted_at')
        .execute(),
      db
        .selectFrom('campaign_files')
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .select(['id', 'file_name', 'mime', 'size', 'created_at'])
        .where('owner_id', '=', id)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('campaign_reminders as r')
        .where((eb) => scopeWhere(eb, scope, { path: 'r.org_path', orgId: 'r.org_id' }))
        .innerJoin('orgs as o', 'o.id', 'r.org_id')
        .selectAll('r')
        .select('o.name as org_name')
        .where('r.assignment_id', '=', id)
        .orderBy('r.created_at')
        .execute(),
    ]);
    return { task, reports, files, reminders };
  },

  async task(db: Queryable, scope: Scope, taskId: string) {
    return db
      .selectFrom('campaign_tasks')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
  },

  async updateAssignment(db: Queryable, id: string, set: Updateable<CampaignAssignmentsTable>): Promise<void> {
    await db.updateTable('campaign_assignments').set(set).where('id', '=', id).execute();
  },

  /** Of these file ids, the ones uploaded to this assignment. */
  async ownFiles(db: Queryable, scope: Scope, assignmentId: string, fileIds: readonly string[]) {
    if (!fileIds.length) return [];
    return db
      .selectFrom('campaign_files')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select('id')
      .where('owner_id', '=', assignmentId)
      .where('id', 'in', fileIds)
      .execute();
  },

  async insertReport(db: Queryable, row: Insertable<CampaignReportsTable>): Promise<void> {
    await db.insertInto('campaign_reports').values(row).execute();
  },

  /** The assignment's latest report (the one a review decides). */
  async lastReport(db: Queryable, scope: Scope, assignmentId: string) {
    return db
      .selectFrom('campaign_reports')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select('id')
      .where('assignment_id', '=', assignmentId)
      .orderBy('submitted_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
  },

  async updateReport(db: Queryable, id: string, set: Updateable<CampaignReportsTable>): Promise<void> {
    await db.updateTable('campaign_reports').set(set).where('id', '=', id).execute();
  },
};
