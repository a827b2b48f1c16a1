import type { Bool } from '../../platform/db/schema.js';

/** Tables of the atmosphere module's events (migration 0026_events), merged into the Database interface below. */
export interface AtmosphereEventsTable {
  id: string;
  org_id: string;
  org_path: string;
  partner_org_id: string | null;
  partner_path: string | null;
  created_by: string;
  type: string;
  title: string;
  event_date: string;
  start_time: string;
  end_time: string | null;
  place: string;
  campaign_id: string | null;
  task_id: string | null;
  budget_fen: number;
  budget_line_id: string | null;
  involves_troops: Bool;
  status: string;
  notice: string | null;
  notice_hash: string | null;
  notice_published_at: string | null;
  note: string | null;
  cancel_reason: string | null;
  held_at: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AtmosphereEventInvitationsTable {
  id: string;
  event_id: string;
  org_id: string;
  org_path: string;
  side: string;
  attended: Bool | null;
  headcount: number | null;
  created_at: string;
  updated_at: string;
}

export interface AtmosphereEventPhotosTable {
  id: string;
  event_id: string;
  org_path: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  caption: string;
  /** JSON: what the original carried before it was stripped ({ gps, camera }). */
  metadata: string;
  shows_service_members: Bool;
  uploaded_by: string;
  created_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    atmosphere_events: AtmosphereEventsTable;
    atmosphere_event_invitations: AtmosphereEventInvitationsTable;
    atmosphere_event_photos: AtmosphereEventPhotosTable;
  }
}
