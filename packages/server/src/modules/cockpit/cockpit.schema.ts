import type { Bool } from '../../platform/db/schema.js';

/** The daily briefs (migration 0019): one row per (campaign, issuing org, day, public), files in the data dir. */
export interface CockpitBriefsTable {
  id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  day: string;
  public: Bool;
  figures: string;
  findings: string | null;
  docx_size: number;
  pdf_size: number;
  created_by: string | null;
  created_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    cockpit_briefs: CockpitBriefsTable;
  }
}
