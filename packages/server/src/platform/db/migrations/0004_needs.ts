import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** The categories the city starts with and their deadlines in working days (configurable afterwards). */
const CATEGORIES: [code: string, label: string, days: number][] = [
  ['schooling', '子女入学入托', 10],
  ['spouse_employment', '随军家属就业', 20],
  ['medical', '医疗', 5],
  ['housing', '住房', 30],
  ['transport', '交通出行', 10],
  ['training_ground', '训练场地保障', 15],
  ['barracks_surroundings', '营区周边环境', 20],
  ['legal_aid', '法律援助', 10],
  ['other', '其他', 15],
];

/**
 * 急难愁盼 needs: the case, its handling departments, its timeline, campaign tags, attachment
 * metadata, the configurable category list — and the generic in-app notifications table.
 * Every row carries an org path for scope filters (the owner's, or for handlers the handler's).
 */
export function needs0004(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('need_categories')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('deadline_days', 'integer', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      await db
        .insertInto('need_categories' as never)
        .values(
          CATEGORIES.map(([code, label, days], i) => ({
            code,
            label,
            deadline_days: days,
            sort_order: (i + 1) * 10,
            active: 1,
            version: 1,
            updated_at: now,
          })) as never,
        )
        .execute();

      await db.schema
        .createTable('needs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('requester_name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('military_detail', 'text')
        .addColumn('military_contact', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lead_org_id', 'text', (c) => c.references('orgs.id'))
        .addColumn('deadline_days', 'integer')
        .addColumn('deadline', 'text')
        .addColumn('accepted_at', 'text')
        .addColumn('assigned_at', 'text')
        .addColumn('started_at', 'text')
        .addColumn('resolved_at', 'text')
        .addColumn('resolved_on_time', 'integer')
        .addColumn('confirmed_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('resolution', 'text')
        .addColumn('rating', 'integer')
        .addColumn('rating_comment', 'text')
        .addColumn('decline_reason', 'text')
        .addColumn('merged_into', 'text')
        .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reopen_reason', 'text')
        .addColumn('escalated_at', 'text')
        .addColumn('reminded_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('needs_path').on('needs').columns(['org_path', 'created_at']).execute();
      // the escalation sweep and the overdue filter: open cases by deadline
      await db.schema.createIndex('needs_status_deadline').on('needs').columns(['status', 'deadline']).execute();
      await db.schema.createIndex('needs_lead').on('needs').columns(['lead_org_id', 'status']).execute();
      await db.schema.createIndex('needs_merged_into').on('needs').column('merged_into').execute();

      // lead and co-handling departments; a department sees the cases it is an active handler of
      await db.schema
        .createTable('need_handlers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('need_handlers_org')
        .on('need_handlers')
        .columns(['org_id', 'active', 'need_id'])
        .execute();
      await db.schema
        .createIndex('need_handlers_path')
        .on('need_handlers')
        .columns(['org_path', 'active', 'need_id'])
        .execute();
      await db.schema.createIndex('need_handlers_need').on('need_handlers').columns(['need_id', 'active']).execute();

      // the timeline: one row per transition, comment, escalation; military-only rows stay on that side
      await db.schema
        .createTable('need_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text')
        .addColumn('actor_org_name', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .addColumn('note', 'text')
        .addColumn('military_only', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('need_events_need').on('need_events').columns(['need_id', 'at']).execute();

      await db.schema
        .createTable('need_tags')
        .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addPrimaryKeyConstraint('need_tags_pk', ['need_id', 'tag'])
        .execute();
      await db.schema.createIndex('need_tags_tag').on('need_tags').columns(['tag', 'org_path']).execute();

      await db.schema
        .createTable('need_attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('need_id', 'text', (c) => c.notNull().references('needs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('military_only', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('need_attachments_need').on('need_attachments').column('need_id').execute();

      // in-app notifications (generic); `sent_at` makes the table the outbox of outbound messages too
      await db.schema
        .createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text')
        .addColumn('entity_id', 'text')
        .addColumn('read_at', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('notifications_user')
        .on('notifications')
        .columns(['user_id', 'read_at', 'created_at'])
        .execute();
      await db.schema.createIndex('notifications_outbox').on('notifications').columns(['sent_at', 'id']).execute();
    },
  };
}
