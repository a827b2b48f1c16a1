/** Tables of the benefits module (migration 0021_benefits), merged into the Database interface below. */
export interface BenefitStandardsTable {
  id: string;
  benefit_type: string;
  category: string;
  grade_min: number | null;
  grade_max: number | null;
  /** war / duty / illness (migration 0028); null: every 性质. */
  disability_cause: string | null;
  layer: string;
  region_path: string;
  amount_fen: number;
  valid_from: string;
  valid_to: string | null;
  doc_no: string;
  note: string | null;
  created_by: string;
  created_at: string;
  withdrawn_at: string | null;
}

export interface BenefitRostersTable {
  id: string;
  org_id: string;
  org_path: string;
  period: string;
  /** The months the roster pays (migration 0028): equal for a monthly roster, a quarter's three otherwise. */
  period_from: string;
  period_to: string;
  status: string;
  line_count: number;
  total_fen: number;
  paid_fen: number | null;
  return_file_name: string | null;
  created_by: string;
  requested_by: string | null;
  requested_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  reconciled_at: string | null;
  /** The batch of `benefit_returns` in force (migration 0033): the last completed reconciliation's. */
  returns_batch: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BenefitRosterLinesTable {
  id: string;
  roster_id: string;
  org_path: string;
  beneficiary_id: string;
  id_bi: string;
  name: string;
  id_masked: string;
  month: string;
  benefit_type: string;
  kind: string;
  amount_fen: number;
}

export interface BenefitBackpayTable {
  id: string;
  org_path: string;
  beneficiary_id: string;
  month: string;
  benefit_type: string;
  standard_id: string | null;
  /** A late annual confirmation that made the months owed again (migration 0028). */
  confirmation_id: string | null;
  /** A disability grade change recorded late (migration 0038, decisions/0056). */
  grade_change_id?: string | null;
  due_fen: number;
  paid_fen: number;
  owed_fen: number;
  roster_id: string | null;
  created_at: string;
}

export interface BenefitReturnsTable {
  id: string;
  roster_id: string;
  org_path: string;
  period: string;
  row_number: number;
  id_bi: string;
  id_masked: string;
  name: string;
  amount_fen: number;
  paid: number;
  account_masked: string | null;
  account_enc: string | null;
  /** One import of a return file (migration 0033); the roster's `returns_batch` says which is in force. */
  batch_id: string | null;
}

/** 年度确认 of one person for one year (migration 0028). */
export interface BenefitConfirmationsTable {
  id: string;
  beneficiary_id: string;
  org_id: string;
  org_path: string;
  year: number;
  confirmed_on: string;
  method: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

/** The bank account a person is paid into: sealed, masked for lists (migration 0028). */
export interface BenefitAccountsTable {
  id: string;
  beneficiary_id: string;
  org_id: string;
  org_path: string;
  bank_name: string;
  account_enc: string;
  account_masked: string;
  updated_by: string;
  updated_at: string;
}

export interface BenefitDiscrepanciesTable {
  id: string;
  roster_id: string;
  org_id: string;
  org_path: string;
  period: string;
  kind: string;
  beneficiary_id: string | null;
  name: string;
  id_masked: string;
  expected_fen: number;
  paid_fen: number;
  row_number: number | null;
  status: string;
  deadline: string;
  resolution: string | null;
  resolution_note: string | null;
  closed_by: string | null;
  closed_at: string | null;
  version: number;
  created_at: string;
  /** The case's owner (decisions/0055): an org, and optionally one of its users. */
  owner_org_id: string;
  owner_user_id: string | null;
  assigned_at: string | null;
  /** The deadline sweep's claims (once per deadline). */
  escalated_at: string | null;
  reminded_at: string | null;
  /** A late grade change's overpayment (decisions/0065): the month overpaid and the change; null for reconciliation's. */
  month: string | null;
  grade_change_id: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    benefit_standards: BenefitStandardsTable;
    benefit_rosters: BenefitRostersTable;
    benefit_roster_lines: BenefitRosterLinesTable;
    benefit_backpay: BenefitBackpayTable;
    benefit_returns: BenefitReturnsTable;
    benefit_discrepancies: BenefitDiscrepanciesTable;
    benefit_confirmations: BenefitConfirmationsTable;
    benefit_accounts: BenefitAccountsTable;
  }
}
