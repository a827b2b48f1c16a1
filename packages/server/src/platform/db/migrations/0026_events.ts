import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * 双拥活动 (issue 19 item 4, decisions/0043): events with their invitations (attendance per invited
 * organisation) and photos. An event carries its organiser's path and, when the other side
 * co-organises, the partner's; an invitation carries the invitee's path, so each side sees it by
 * the platform's usual path scope.
 */
export function events0026(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('atmosphere_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('partner_org_id', 'text', (c) => c.references('orgs.id'))
        .addColumn('partner_path', pathType)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('event_date', 'text', (c) => c.notNull())
        .addColumn('start_time', 'text', (c) => c.notNull())
        .addColumn('end_time', 'text')
        .addColumn('place', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('budget_fen', big, (c) => c.notNull().defaultTo(0))
        .addColumn('budget_line_id', 'text')
        // an organiser or an invited org of the military side: the 军分区 sees it
        .addColumn('involves_troops', 'integer', (c) => c.notNull().defaultTo(0))
        // 'planned' | 'held' | 'closed' | 'cancelled'
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('notice', 'text')
        // SHA-256 of what the published notice said (title, date, time, place, notice text)
        .addColumn('notice_hash', 'text')
        .addColumn('notice_published_at', 'text')
        .addColumn('note', 'text')
        .addColumn('cancel_reason', 'text')
        .addColumn('held_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_events_path')
        .on('atmosphere_events')
        .columns(['org_path', 'event_date'])
        .execute();
      await db.schema
        .createIndex('atmosphere_events_partner')
        .on('atmosphere_events')
        .columns(['partner_path', 'event_date'])
        .execute();
      await db.schema
        .createIndex('atmosphere_events_campaign')
        .on('atmosphere_events')
        .columns(['campaign_id', 'event_date'])
        .execute();
      await db.schema
        .createIndex('atmosphere_events_troops')
        .on('atmosphere_events')
        .columns(['involves_troops', 'event_date'])
        .execute();
      await db.schema
        .createIndex('atmosphere_events_line')
        .on('atmosphere_events')
        .columns(['budget_line_id'])
        .execute();

      await db.schema
        .createTable('atmosphere_event_invitations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('atmosphere_events.id'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        // null: not recorded yet; 1 came; 0 did not
        .addColumn('attended', 'integer')
        .addColumn('headcount', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('atmosphere_event_invitations_once', ['event_id', 'org_id'])
        .execute();
      await db.schema
        .createIndex('atmosphere_event_invitations_path')
        .on('atmosphere_event_invitations')
        .columns(['org_path', 'event_id'])
        .execute();
      await db.schema
        .createIndex('atmosphere_event_invitations_org')
        .on('atmosphere_event_invitations')
        .columns(['org_id', 'event_id'])
        .execute();

      await db.schema
        .createTable('atmosphere_event_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().references('atmosphere_events.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('caption', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('shows_service_members', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('atmosphere_event_photos_event')
        .on('atmosphere_event_photos')
        .columns(['event_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('atmosphere_event_photos').execute();
      await db.schema.dropTable('atmosphere_event_invitations').execute();
      await db.schema.dropTable('atmosphere_events').execute();
    },
  };
}
