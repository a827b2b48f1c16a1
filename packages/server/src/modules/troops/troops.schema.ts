import type { Bool } from '../../platform/db/schema.js';

/** Tables of the troops module (migration 0020_troops), merged into the Database interface below. */
export interface TroopActivityTypesTable {
  code: string;
  label: string;
  sort: number;
  builtin: Bool;
  active: Bool;
  version: number;
  updated_at: string;
}

export interface TroopActivitiesTable {
  id: string;
  org_id: string;
  org_path: string;
  created_by: string;
  type: string;
  occurred_on: string;
  duration_minutes: number;
  place_kind: string;
  place_org_id: string;
  place_path: string;
  district_path: string;
  place_name: string | null;
  participants: number;
  /** Military-only: JSON string[]. */
  participant_names: string | null;
  /** Military-only. */
  military_note: string | null;
  reached_low_income: number;
  reached_disabled: number;
  reached_elderly: number;
  reached_children: number;
  reached_students: number;
  reached_public: number;
  service_minutes: number;
  items: string | null;
  items_value_fen: number | string;
  patients_seen: number;
  lessons_taught: number;
  counterpart_org: string | null;
  counterpart_contact: string | null;
  summary: string | null;
  partnership_id: string | null;
  campaign_id: string | null;
  emergency_id: string | null;
  household_id: string | null;
  client_key: string | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TroopActivityPhotosTable {
  id: string;
  activity_id: string;
  org_path: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  caption: string;
  /** JSON: { gps, camera } of the original, read before stripping. */
  metadata: string;
  shows_service_members: Bool;
  /** Military-only photo: left out of the civilian view. */
  military_only: Bool;
  uploaded_by: string;
  created_at: string;
}

export interface TroopActivityStatsTable {
  org_id: string;
  org_path: string;
  district_path: string;
  type: string;
  month: string;
  activities: number;
  minutes: number | string;
  service_minutes: number | string;
  participants: number | string;
  reached_low_income: number | string;
  reached_disabled: number | string;
  reached_elderly: number | string;
  reached_children: number | string;
  reached_students: number | string;
  reached_public: number | string;
  patients_seen: number | string;
  lessons_taught: number | string;
  items_value_fen: number | string;
}

/** The whole city's statistics by one dimension (type, unit 'org', district) and month (decisions/0051). */
export interface TroopActivityCityStatsTable
  extends Omit<TroopActivityStatsTable, 'org_id' | 'org_path' | 'district_path' | 'type' | 'month'> {
  dim: 'type' | 'org' | 'district';
  /** the type code, the unit's id or the district's path */
  key: string;
  month: string;
}

export interface TroopPartnershipsTable {
  id: string;
  org_id: string;
  org_path: string;
  place_org_id: string;
  place_path: string;
  partner_kind: string;
  partner_name: string;
  contact: string | null;
  starts_on: string;
  ends_on: string | null;
  note: string | null;
  status: string;
  end_reason: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TroopPartnershipPlansTable {
  id: string;
  partnership_id: string;
  org_path: string;
  year: number;
  type: string;
  planned: number;
  note: string | null;
  created_at: string;
}

export interface TroopEmergenciesTable {
  id: string;
  org_id: string;
  org_path: string;
  requested_by: string;
  title: string;
  situation: string;
  location: string;
  needs: string;
  people_needed: number;
  equipment: string | null;
  from_at: string;
  to_at: string | null;
  status: string;
  respond_by: string;
  decided_at: string | null;
  decided_by: string | null;
  decline_reason: string | null;
  people_helped: number | null;
  service_minutes: number | null;
  resources: string | null;
  summary: string | null;
  closed_at: string | null;
  letter: string | null;
  letter_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface TroopEmergencyDispatchesTable {
  id: string;
  emergency_id: string;
  org_id: string;
  org_path: string;
  status: string;
  people: number | null;
  dispatched_at: string;
  arrived_at: string | null;
  returned_at: string | null;
  work_done: string | null;
  service_minutes: number | null;
  people_helped: number | null;
  military_note: string | null;
  version: number;
}

export interface TroopEmergencyEventsTable {
  id: string;
  emergency_id: string;
  org_path: string;
  at: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  actor_name: string;
  actor_org_name: string;
  note: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    troop_activity_types: TroopActivityTypesTable;
    troop_activities: TroopActivitiesTable;
    troop_activity_photos: TroopActivityPhotosTable;
    troop_activity_stats: TroopActivityStatsTable;
    troop_activity_city_stats: TroopActivityCityStatsTable;
    troop_partnerships: TroopPartnershipsTable;
    troop_partnership_plans: TroopPartnershipPlansTable;
    troop_emergencies: TroopEmergenciesTable;
    troop_emergency_dispatches: TroopEmergencyDispatchesTable;
    troop_emergency_events: TroopEmergencyEventsTable;
  }
}
