import { type Kysely, type Migration, sql } from 'kysely';
import type { Dialect } from '../index.js';

/** The built-in activity types (拥政爱民, DOMAIN §1 line 3, §7); the 军分区 edits the list afterwards. */
export const TROOP_ACTIVITY_TYPES_0020: [code: string, label: string][] = [
  ['vulnerable_visit', '走访帮扶困难群众'],
  ['organisation_building', '组织帮建'],
  ['free_clinic', '义务巡诊'],
  ['education_aid', '助学兴教'],
  ['customs_reform', '移风易俗'],
  ['disaster_relief', '抢险救灾'],
  ['emergency_rescue', '应急救援'],
  ['other', '其他'],
];

/**
 * 拥政爱民 (troops serving the people, issue 20): activities recorded by units with their photos,
 * the editable list of types, partnerships (军民共建) with annual plans, emergency support requests
 * (抢险救灾) with dispatches and their timeline, and the maintained statistics of activities.
 * Military-only content (participants' names, notes, photos so marked) lives in its own columns.
 */
export function troops0020(dialect: Dialect): Migration {
  const pathType = dialect === 'postgres' ? sql`text COLLATE "C"` : sql`text`;
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('troop_activity_types')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      const now = new Date().toISOString();
      await db
        .insertInto('troop_activity_types' as never)
        .values(
          TROOP_ACTIVITY_TYPES_0020.map(([code, label], i) => ({
            code,
            label,
            sort: (i + 1) * 10,
            builtin: 1,
            active: 1,
            version: 1,
            updated_at: now,
          })) as never,
        )
        .execute();

      await db.schema
        .createTable('troop_partnerships')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        // the civilian area of the partner (community, street or district): its district sees the pair
        .addColumn('place_org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('place_path', pathType, (c) => c.notNull())
        .addColumn('partner_kind', 'text', (c) => c.notNull())
        .addColumn('partner_name', 'text', (c) => c.notNull())
        .addColumn('contact', 'text')
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text')
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('troop_partnerships_org').on('troop_partnerships').columns(['org_path']).execute();
      await db.schema
        .createIndex('troop_partnerships_place')
        .on('troop_partnerships')
        .columns(['place_path'])
        .execute();

      await db.schema
        .createTable('troop_partnership_plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partnership_id', 'text', (c) => c.notNull().references('troop_partnerships.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('planned', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('troop_partnership_plans_unique', ['partnership_id', 'year', 'type'])
        .execute();

      await db.schema
        .createTable('troop_emergencies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // the requesting (civilian) org: a district or the city
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('situation', 'text', (c) => c.notNull())
        .addColumn('location', 'text', (c) => c.notNull())
        .addColumn('needs', 'text', (c) => c.notNull())
        .addColumn('people_needed', 'integer', (c) => c.notNull())
        .addColumn('equipment', 'text')
        .addColumn('from_at', 'text', (c) => c.notNull())
        .addColumn('to_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        // the clock in hours: a decision is due by respond_by
        .addColumn('respond_by', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decline_reason', 'text')
        .addColumn('people_helped', 'integer')
        .addColumn('service_minutes', 'integer')
        .addColumn('resources', 'text')
        .addColumn('summary', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('letter', 'text')
        .addColumn('letter_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('troop_emergencies_org')
        .on('troop_emergencies')
        .columns(['org_path', 'status'])
        .execute();
      await db.schema.createIndex('troop_emergencies_status').on('troop_emergencies').columns(['status']).execute();

      await db.schema
        .createTable('troop_emergency_dispatches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('emergency_id', 'text', (c) => c.notNull().references('troop_emergencies.id'))
        // the dispatched unit: it sees the request through this row
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('people', 'integer')
        .addColumn('dispatched_at', 'text', (c) => c.notNull())
        .addColumn('arrived_at', 'text')
        .addColumn('returned_at', 'text')
        .addColumn('work_done', 'text')
        .addColumn('service_minutes', 'integer')
        .addColumn('people_helped', 'integer')
        .addColumn('military_note', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('troop_emergency_dispatches_unique', ['emergency_id', 'org_id'])
        .execute();
      await db.schema
        .createIndex('troop_emergency_dispatches_org')
        .on('troop_emergency_dispatches')
        .columns(['org_path', 'emergency_id'])
        .execute();

      await db.schema
        .createTable('troop_emergency_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('emergency_id', 'text', (c) => c.notNull().references('troop_emergencies.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('actor_org_name', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .execute();
      await db.schema
        .createIndex('troop_emergency_events_emergency')
        .on('troop_emergency_events')
        .columns(['emergency_id', 'at'])
        .execute();

      await db.schema
        .createTable('troop_activities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // the unit (or 人武部) that did it
        .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('occurred_on', 'text', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        // where: a civilian area of the tree (its district sees the activity) and the place's name
        .addColumn('place_kind', 'text', (c) => c.notNull())
        .addColumn('place_org_id', 'text', (c) => c.notNull().references('orgs.id'))
        .addColumn('place_path', pathType, (c) => c.notNull())
        .addColumn('district_path', pathType, (c) => c.notNull())
        .addColumn('place_name', 'text')
        .addColumn('participants', 'integer', (c) => c.notNull())
        // military-only: JSON string[] of names, and a note; left out of the civilian view
        .addColumn('participant_names', 'text')
        .addColumn('military_note', 'text')
        .addColumn('reached_low_income', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reached_disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reached_elderly', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reached_children', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reached_students', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('reached_public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('service_minutes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('items', 'text')
        .addColumn('items_value_fen', big, (c) => c.notNull().defaultTo(0))
        .addColumn('patients_seen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lessons_taught', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('counterpart_org', 'text')
        .addColumn('counterpart_contact', 'text')
        .addColumn('summary', 'text')
        .addColumn('partnership_id', 'text', (c) => c.references('troop_partnerships.id'))
        .addColumn('campaign_id', 'text')
        .addColumn('emergency_id', 'text', (c) => c.references('troop_emergencies.id'))
        // a visit to a household already in the registry links to it (never copies the person)
        .addColumn('household_id', 'text')
        .addColumn('client_key', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('troop_activities_client_key', ['created_by', 'client_key'])
        .execute();
      await db.schema
        .createIndex('troop_activities_org')
        .on('troop_activities')
        .columns(['org_path', 'occurred_on'])
        .execute();
      await db.schema
        .createIndex('troop_activities_place')
        .on('troop_activities')
        .columns(['place_path', 'occurred_on'])
        .execute();
      await db.schema
        .createIndex('troop_activities_partnership')
        .on('troop_activities')
        .columns(['partnership_id', 'occurred_on'])
        .execute();
      await db.schema
        .createIndex('troop_activities_campaign')
        .on('troop_activities')
        .columns(['campaign_id', 'org_path'])
        .execute();
      await db.schema
        .createIndex('troop_activities_household')
        .on('troop_activities')
        .columns(['household_id'])
        .execute();

      await db.schema
        .createTable('troop_activity_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('activity_id', 'text', (c) => c.notNull().references('troop_activities.id'))
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('caption', 'text', (c) => c.notNull())
        // what the original carried before it was stripped: GPS, camera (JSON), for the checks
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('shows_service_members', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('military_only', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('troop_activity_photos_activity')
        .on('troop_activity_photos')
        .columns(['activity_id'])
        .execute();

      // maintained in the transaction of every activity change; statistics read only these rows
      await db.schema
        .createTable('troop_activity_stats')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('org_path', pathType, (c) => c.notNull())
        .addColumn('district_path', pathType, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('activities', 'integer', (c) => c.notNull())
        .addColumn('minutes', big, (c) => c.notNull())
        .addColumn('service_minutes', big, (c) => c.notNull())
        .addColumn('participants', big, (c) => c.notNull())
        .addColumn('reached_low_income', big, (c) => c.notNull())
        .addColumn('reached_disabled', big, (c) => c.notNull())
        .addColumn('reached_elderly', big, (c) => c.notNull())
        .addColumn('reached_children', big, (c) => c.notNull())
        .addColumn('reached_students', big, (c) => c.notNull())
        .addColumn('reached_public', big, (c) => c.notNull())
        .addColumn('patients_seen', big, (c) => c.notNull())
        .addColumn('lessons_taught', big, (c) => c.notNull())
        .addColumn('items_value_fen', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('troop_activity_stats_pk', ['org_id', 'district_path', 'type', 'month'])
        .execute();
      await db.schema
        .createIndex('troop_activity_stats_org')
        .on('troop_activity_stats')
        .columns(['org_path', 'month'])
        .execute();
      await db.schema
        .createIndex('troop_activity_stats_district')
        .on('troop_activity_stats')
        .columns(['district_path', 'month'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'troop_activity_stats',
        'troop_activity_photos',
        'troop_activities',
        'troop_emergency_events',
        'troop_emergency_dispatches',
        'troop_emergencies',
        'troop_partnership_plans',
        'troop_partnerships',
        'troop_activity_types',
      ])
        await db.schema.dropTable(t).execute();
    },
  };
}
