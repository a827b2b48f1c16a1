import type { Bool } from '../../platform/db/schema.js';

/** Tables of the needs module (migration 0004_needs), merged into the Database interface below. */
export interface NeedCategoriesTable {
  code: string;
  label: string;
  deadline_days: number;
  sort_order: number;
  active: Bool;
  version: number;
  updated_at: string;
}

export interface NeedsTable {
  id: string;
  org_id: string;
  org_path: string;
  created_by: string;
  requester_name: string;
  source: string;
  category: string;
  priority: string;
  title: string;
  description: string;
  /** Military side only: never serialised for a civilian caller, never copied into audit or notifications. */
  military_detail: string | null;
  military_contact: string | null;
  status: string;
  lead_org_id: string | null;
  deadline_days: number | null;
  /** Local date (YYYY-MM-DD) by which the case must be resolved. */
  deadline: string | null;
  accepted_at: string | null;
  assigned_at: string | null;
  started_at: string | null;
  resolved_at: string | null;
  resolved_on_time: Bool | null;
  confirmed_at: string | null;
  closed_at: string | null;
  resolution: string | null;
  rating: number | null;
  rating_comment: string | null;
  decline_reason: string | null;
  merged_into: string | null;
  reopen_count: number;
  reopen_reason: string | null;
  escalated_at: string | null;
  reminded_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface NeedHandlersTable {
  id: string;
  need_id: string;
  org_id: string;
  org_path: string;
  role: string;
  active: Bool;
  assigned_at: string;
  assigned_by: string;
}

export interface NeedEventsTable {
  id: string;
  need_id: string;
  org_path: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_org_name: string | null;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  military_only: Bool;
}

export interface NeedTagsTable {
  need_id: string;
  tag: string;
  org_path: string;
}

export interface NeedAttachmentsTable {
  id: string;
  need_id: string;
  org_path: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  purpose: string;
  military_only: Bool;
  uploaded_by: string;
  created_at: string;
}

/** The maintained counter of the cockpit's needs widget (migration 0031, decisions/0050). */
export interface NeedCountsTable {
  /** 's': a subtree scope at `scope_path` ('' = the whole city); 'o': an org scope of that org's path. */
  reach: string;
  scope_path: string;
  status: string;
  /** The lead department, '' when none. */
  lead_org_id: string;
  /** The deadline while it decides a colour (a handling status), '' otherwise. */
  deadline: string;
  n: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    need_counts: NeedCountsTable;
    need_categories: NeedCategoriesTable;
    needs: NeedsTable;
    need_handlers: NeedHandlersTable;
    need_events: NeedEventsTable;
    need_tags: NeedTagsTable;
    need_attachments: NeedAttachmentsTable;
  }
}
