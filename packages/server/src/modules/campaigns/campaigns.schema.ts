import type { Bool } from '../../platform/db/schema.js';

/** Tables of migration 0003_campaigns, merged into the Database interface. JSON lists are text. */
export interface CampaignsTable {
  id: string;
  /** The issuing org (the creator's); its path is the issuer side's scope. */
  org_id: string;
  org_path: string;
  title: string;
  doc_number: string | null;
  kind: string;
  status: string;
  issuers: string;
  recipients: string;
  issue_date: string | null;
  period_start: string | null;
  period_end: string | null;
  full_text: string | null;
  requirements: string;
  remind_days_before: number;
  source_id: string | null;
  created_by: string;
  issued_at: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignItemsTable {
  id: string;
  campaign_id: string;
  org_path: string;
  ordinal: number;
  title: string;
  body: string;
  created_at: string;
}

export interface CampaignTasksTable {
  id: string;
  campaign_id: string;
  item_id: string;
  org_path: string;
  ordinal: number;
  title: string;
  description: string | null;
  deadline: string;
  figures: string;
  require_narrative: Bool;
  require_attachment: Bool;
  metric_key: string | null;
  assign_groups: string;
  assign_org_ids: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignAssignmentsTable {
  id: string;
  campaign_id: string;
  task_id: string;
  /** The assignee org; its path is the assignee side's scope. */
  org_id: string;
  org_path: string;
  deadline: string;
  status: string;
  draft: string | null;
  return_reason: string | null;
  submitted_at: string | null;
  accepted_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CampaignReportsTable {
  id: string;
  assignment_id: string;
  campaign_id: string;
  org_path: string;
  narrative: string;
  figures: string;
  file_ids: string;
  submitted_by: string;
  submitted_by_name: string;
  submitted_at: string;
  late: Bool;
  review: string | null;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface CampaignFilesTable {
  id: string;
  campaign_id: string;
  owner_type: string;
  owner_id: string;
  org_path: string;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  created_at: string;
}

export interface CampaignRemindersTable {
  id: string;
  campaign_id: string;
  assignment_id: string;
  org_id: string;
  org_path: string;
  kind: string;
  message: string;
  dedupe_key: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string;
}

export interface CampaignInspectionsTable {
  id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  inspected_on: string;
  inspectors: string;
  findings: string;
  created_by: string;
  created_at: string;
}

export interface CampaignRectificationsTable {
  id: string;
  inspection_id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  description: string;
  deadline: string | null;
  status: string;
  response: string | null;
  responded_at: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopen_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    campaigns: CampaignsTable;
    campaign_items: CampaignItemsTable;
    campaign_tasks: CampaignTasksTable;
    campaign_assignments: CampaignAssignmentsTable;
    campaign_reports: CampaignReportsTable;
    campaign_files: CampaignFilesTable;
    campaign_reminders: CampaignRemindersTable;
    campaign_inspections: CampaignInspectionsTable;
    campaign_rectifications: CampaignRectificationsTable;
  }
}
