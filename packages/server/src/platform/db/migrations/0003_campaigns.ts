import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * 工作部署 (campaigns): the notice, its work items and tasks, one assignment per (task, recipient
 * org), the reports handed in, reminders sent, files, and supervision (inspections with their
 * rectification items). Every row carries an org path for scope filters: the issuer's for the
 * campaign, its items and tasks; the assignee's for assignments, reports, reminders and report
 * files; the inspected org's for inspections and rectifications. Lists (issuers, figures …) are
 * JSON text; booleans 0/1; times ISO text (docs/decisions/0002).
 */
export function campaigns0003(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('doc_number', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('issuers', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('issue_date', 'text')
        .addColumn('period_start', 'text')
        .addColumn('period_end', 'text')
        .addColumn('full_text', 'text')
        .addColumn('requirements', 'text', (c) => c.notNull())
        .addColumn('remind_days_before', 'integer', (c) => c.notNull().defaultTo(2))
        .addColumn('source_id', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaigns_path').on('campaigns').columns(['org_path', 'created_at']).execute();
      await db.schema.createIndex('campaigns_kind').on('campaigns').columns(['kind', 'created_at']).execute();

      await db.schema
        .createTable('campaign_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_items_campaign')
        .on('campaign_items')
        .columns(['campaign_id', 'ordinal'])
        .execute();

      await db.schema
        .createTable('campaign_tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('item_id', 'text', (c) => c.notNull().references('campaign_items.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('require_narrative', 'integer', (c) => c.notNull())
        .addColumn('require_attachment', 'integer', (c) => c.notNull())
        .addColumn('metric_key', 'text')
        .addColumn('assign_groups', 'text', (c) => c.notNull())
        .addColumn('assign_org_ids', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaign_tasks_campaign').on('campaign_tasks').columns(['campaign_id']).execute();

      // One row per (task, assignee org). The task's deadline is copied here so that the overdue list
      // and the reminder sweep are index ranges on (status, deadline).
      await db.schema
        .createTable('campaign_assignments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('task_id', 'text', (c) => c.notNull().references('campaign_tasks.id'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('deadline', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('draft', 'text')
        .addColumn('return_reason', 'text')
        .addColumn('submitted_at', 'text')
        .addColumn('accepted_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('campaign_assignments_task_org', ['task_id', 'org_id'])
        .execute();
      await db.schema
        .createIndex('campaign_assignments_path')
        .on('campaign_assignments')
        .columns(['org_path', 'campaign_id'])
        .execute();
      await db.schema
        .createIndex('campaign_assignments_org')
        .on('campaign_assignments')
        .columns(['org_id', 'campaign_id'])
        .execute();
      await db.schema
        .createIndex('campaign_assignments_campaign')
        .on('campaign_assignments')
        .columns(['campaign_id', 'status'])
        .execute();
      await db.schema
        .createIndex('campaign_assignments_due')
        .on('campaign_assignments')
        .columns(['status', 'deadline'])
        .execute();

      await db.schema
        .createTable('campaign_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('assignment_id', 'text', (c) => c.notNull().references('campaign_assignments.id'))
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('narrative', 'text', (c) => c.notNull())
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('file_ids', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_by_name', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('late', 'integer', (c) => c.notNull())
        .addColumn('review', 'text')
        .addColumn('review_reason', 'text')
        .addColumn('reviewed_by', 'text')
        .addColumn('reviewed_at', 'text')
        .execute();
      await db.schema
        .createIndex('campaign_reports_assignment')
        .on('campaign_reports')
        .columns(['assignment_id', 'submitted_at'])
        .execute();
      await db.schema
        .createIndex('campaign_reports_campaign')
        .on('campaign_reports')
        .columns(['campaign_id', 'review'])
        .execute();

      await db.schema
        .createTable('campaign_files')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('owner_type', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('campaign_files_owner').on('campaign_files').columns(['owner_id']).execute();

      // 催办: automatic ones carry a dedupe key (one "due soon" per assignment and deadline).
      await db.schema
        .createTable('campaign_reminders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('assignment_id', 'text', (c) => c.notNull().references('campaign_assignments.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .addColumn('created_by', 'text')
        .addColumn('created_by_name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_reminders_assignment')
        .on('campaign_reminders')
        .columns(['assignment_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('campaign_reminders_campaign')
        .on('campaign_reminders')
        .columns(['campaign_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('campaign_inspections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('inspected_on', 'text', (c) => c.notNull())
        .addColumn('inspectors', 'text', (c) => c.notNull())
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_inspections_campaign')
        .on('campaign_inspections')
        .columns(['campaign_id', 'org_path'])
        .execute();

      await db.schema
        .createTable('campaign_rectifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('inspection_id', 'text', (c) => c.notNull().references('campaign_inspections.id'))
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('deadline', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('responded_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('reopen_reason', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_rectifications_inspection')
        .on('campaign_rectifications')
        .columns(['inspection_id'])
        .execute();
      await db.schema
        .createIndex('campaign_rectifications_campaign')
        .on('campaign_rectifications')
        .columns(['campaign_id', 'status'])
        .execute();
    },
  };
}
