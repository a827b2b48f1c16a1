import type { Bool } from '../../platform/db/schema.js';

/** Tables of the visits module (migration 0005_visits), merged into the Database interface below. */
export interface VisitPlansTable {
  id: string;
  campaign_id: string;
  title: string;
  org_id: string;
  org_path: string;
  /** 'draft' | 'confirmed' */
  status: string;
  /** JSON array of VisitRule */
  rules: string;
  letter_template: string | null;
  target_count: number;
  created_by: string;
  confirmed_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface VisitTeamsTable {
  id: string;
  plan_id: string;
  org_id: string;
  org_path: string;
  name: string;
  /** JSON array of names */
  staff: string;
  /** JSON array of names */
  leaders: string;
  planned_date: string | null;
  version: number;
  created_at: string;
}

export interface VisitTargetsTable {
  id: string;
  plan_id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  kind: string;
  target_key: string;
  household_id: string | null;
  unit_org_id: string | null;
  name: string;
  category: string;
  /** JSON array of { ruleId, label, detail } */
  reasons: string;
  manual: Bool;
  note: string | null;
  oldest_birth: string;
  priority_rank: number;
  team_id: string;
  planned_date: string | null;
  status: string;
  owner_key: string | null;
  excluded_by: string | null;
  visit_count: number;
  cash_fen: number;
  goods_fen: number;
  last_visit_at: string | null;
  version: number;
  created_at: string;
}

export interface VisitCapsTable {
  campaign_id: string;
  cash_per_visit_warn_fen: number | null;
  cash_per_visit_max_fen: number | null;
  goods_per_visit_warn_fen: number | null;
  goods_per_visit_max_fen: number | null;
  cash_per_target_max_fen: number | null;
  goods_per_target_max_fen: number | null;
  version: number;
  updated_by: string;
  updated_at: string;
}

export interface VisitBudgetLinesTable {
  id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  name: string;
  budget_fen: number;
  spent_fen: number;
  version: number;
  created_at: string;
}

export interface VisitsTable {
  id: string;
  client_key: string;
  target_id: string;
  target_key: string;
  plan_id: string;
  campaign_id: string;
  org_id: string;
  org_path: string;
  visited_at: string;
  /** JSON { staff: string[], leaders: string[] } */
  visitors: string;
  cash_fen: number;
  /** JSON array of { item, quantity, valueFen } */
  goods: string;
  goods_fen: number;
  budget_line_id: string | null;
  needs_text: string | null;
  notes: string | null;
  acknowledged: Bool;
  acknowledged_by: string | null;
  repeat_visit: Bool;
  approval_status: string;
  approval_reasons: string | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_note: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface VisitPhotosTable {
  id: string;
  visit_id: string;
  org_id: string;
  org_path: string;
  content_type: string;
  size: number;
  sha256: string;
  has_thumbnail: Bool;
  uploaded_by: string;
  created_at: string;
}

export interface VisitCoverageTable {
  campaign_id: string;
  plan_id: string;
  team_id: string;
  category: string;
  org_id: string;
  org_path: string;
  planned: number;
  visited: number;
  visits: number;
  cash_fen: number;
  goods_fen: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    visit_plans: VisitPlansTable;
    visit_teams: VisitTeamsTable;
    visit_targets: VisitTargetsTable;
    visit_caps: VisitCapsTable;
    visit_budget_lines: VisitBudgetLinesTable;
    visits: VisitsTable;
    visit_photos: VisitPhotosTable;
    visit_coverage: VisitCoverageTable;
  }
}

/** Visits per (campaign, owner org, local day) — migration 0019, maintained like visit_coverage. */
export interface VisitDailyTable {
  campaign_id: string;
  org_id: string;
  org_path: string;
  day: string;
  visits: number;
  cash_fen: number;
  goods_fen: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    visit_daily: VisitDailyTable;
  }
}
