import type { Bool } from '../../platform/db/schema.js';

/** Exemplar tables of the atmosphere module (migration 0025_exemplars), merged into the Database interface. */
export interface AtmosphereExemplarsTable {
  id: string;
  org_id: string;
  org_path: string;
  created_by: string;
  concerned_org_id: string | null;
  concerned_path: string | null;
  year: number;
  type: string;
  type_label: string | null;
  subject: string;
  name: string;
  summary: string;
  /** JSON: ContentBlock[] (never HTML). */
  deeds: string;
  id_enc: string | null;
  id_masked: string | null;
  phone_enc: string | null;
  phone_masked: string | null;
  address_enc: string | null;
  address_masked: string | null;
  campaign_id: string | null;
  task_id: string | null;
  mentions_troops: Bool;
  /** draft, city_review, returned, approved (published is derived from the profile item). */
  status: string;
  /** SHA-256 of the nomination as it is now (type, name, summary, deeds). */
  content_hash: string;
  /** The content hash the city approved. */
  approved_hash: string | null;
  approved_at: string | null;
  /** The publicity item that is the exemplar's public profile. */
  profile_item_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AtmosphereExemplarReviewsTable {
  id: string;
  exemplar_id: string;
  org_path: string;
  decision: string;
  comment: string | null;
  content_hash: string;
  reviewer_id: string;
  reviewer_name: string;
  reviewer_org_name: string;
  at: string;
}

export interface AtmosphereExemplarItemsTable {
  exemplar_id: string;
  item_id: string;
  org_path: string;
  linked_by: string;
  linked_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    atmosphere_exemplars: AtmosphereExemplarsTable;
    atmosphere_exemplar_reviews: AtmosphereExemplarReviewsTable;
    atmosphere_exemplar_items: AtmosphereExemplarItemsTable;
  }
}
