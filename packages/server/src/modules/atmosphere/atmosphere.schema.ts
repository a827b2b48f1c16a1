import type { Bool } from '../../platform/db/schema.js';

/** Tables of the atmosphere module (migration 0015_atmosphere), merged into the Database interface below. */
export interface AtmosphereCheckRulesTable {
  id: string;
  code: string;
  category: string;
  kind: string;
  value: string;
  severity: string;
  label: string;
  /** Part of the military side's own list: its value is never shown to a civilian. */
  military_only: Bool;
  active: Bool;
  version: number;
  updated_at: string;
}

export interface AtmosphereItemsTable {
  id: string;
  org_id: string;
  org_path: string;
  created_by: string;
  kind: string;
  title: string;
  /** JSON: ContentBlock[] (never HTML). */
  body: string;
  video_url: string | null;
  campaign_id: string | null;
  task_id: string | null;
  /** JSON: PublicityOutlet[]. */
  outlets: string;
  mentions_troops: Bool;
  status: string;
  /** SHA-256 of the content as it is now (title, body, video link, photos). */
  content_hash: string;
  /** The content hash frozen at the final approval; what is published must equal it. */
  approved_hash: string | null;
  approved_at: string | null;
  published_outlet: string | null;
  published_ref: string | null;
  published_on: string | null;
  published_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AtmospherePhotosTable {
  id: string;
  item_id: string;
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

export interface AtmosphereReviewsTable {
  id: string;
  item_id: string;
  org_path: string;
  side: string;
  decision: string;
  comment: string | null;
  content_hash: string;
  reviewer_id: string;
  reviewer_name: string;
  reviewer_org_name: string;
  at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    atmosphere_check_rules: AtmosphereCheckRulesTable;
    atmosphere_items: AtmosphereItemsTable;
    atmosphere_photos: AtmospherePhotosTable;
    atmosphere_reviews: AtmosphereReviewsTable;
  }
}
