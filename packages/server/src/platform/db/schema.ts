/** Booleans are stored as 0/1 integers and times as ISO-8601 UTC text on both dialects (docs/decisions/0002). */
export type Bool = number;

export interface OrgsTable {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  type: string;
  side: string;
  region_code: string | null;
  path: string;
  depth: number;
  active: Bool;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  org_id: string;
  org_path: string;
  password_hash: string;
  password_changed_at: string;
  must_change_password: Bool;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: Bool;
  active: Bool;
  last_login_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthFailuresTable {
  key: string;
  count: number;
  first_at: string;
  locked_until: string | null;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  org_id: string | null;
  org_path: string | null;
  request_id: string | null;
  ip: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  changes: string | null;
  prev_hash: string;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ServiceMembersTable {
  id: string;
  org_id: string;
  org_path: string;
  name: string;
  kind: string;
  event_date: string | null;
  unit_code_name: string | null;
  certificate_no: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HouseholdsTable {
  id: string;
  org_id: string;
  org_path: string;
  address_enc: string | null;
  address_masked: string | null;
  plaque_status: string;
  plaque_eligible: Bool;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BeneficiariesTable {
  id: string;
  org_id: string;
  org_path: string;
  district_path: string;
  household_id: string | null;
  service_member_id: string | null;
  relation: string | null;
  /** Simplified characters (what lists and letters print). */
  name: string;
  /** What was written, when it differs from `name` (traditional characters). */
  name_as_written: string | null;
  name_simplified: string;
  name_pinyin: string;
  name_initials: string;
  id_enc: string;
  id_bi: string;
  id_masked: string;
  birth_date: string;
  sex: string;
  phone_enc: string | null;
  phone_masked: string | null;
  address_enc: string | null;
  address_masked: string | null;
  categories: string;
  status: string;
  status_date: string | null;
  note: string | null;
  merged_into: string | null;
  created_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BeneficiaryCategoriesTable {
  id: string;
  beneficiary_id: string;
  code: string;
  start_date: string | null;
  end_date: string | null;
  disability_grade: number | null;
  /** 性质 of a disability (migration 0028): war / duty / illness; null when not recorded. */
  disability_cause?: string | null;
  relation: string | null;
  certificate_no: string | null;
  status: string;
  org_path: string;
  district_path: string;
  sort_name: string;
  created_at: string;
}

/** A disability grade (and 性质) changed with its date (migration 0038, decisions/0056). */
export interface BeneficiaryGradeChangesTable {
  id: string;
  beneficiary_id: string;
  code: string;
  /** The date of the 评残/调残 decision. */
  effective_date: string;
  /** The first month paid by the new grade: the month after `effective_date`. */
  from_month: string;
  grade_from: number;
  grade_to: number;
  cause_from: string | null;
  cause_to: string | null;
  document_no: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

/** Maintained totals (migration 0016): persons (code '*') and category rows per org and status. */
export interface BeneficiaryCountsTable {
  org_id: string;
  org_path: string;
  code: string;
  status: string;
  n: number;
}

export interface TransfersTable {
  id: string;
  beneficiary_id: string;
  from_org_id: string;
  from_path: string;
  to_org_id: string;
  to_path: string;
  status: string;
  reason: string | null;
  requested_by: string;
  decided_by: string | null;
  decision_note: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface MergesTable {
  id: string;
  survivor_id: string;
  merged_id: string;
  org_path: string;
  snapshot: string;
  created_by: string;
  created_at: string;
  undone_at: string | null;
}

export interface PlaqueEventsTable {
  id: string;
  household_id: string;
  org_path: string;
  kind: string;
  event_date: string;
  reason: string | null;
  note: string | null;
  hung_by: string | null;
  created_by: string;
  created_at: string;
}

export interface MeritCitationsTable {
  id: string;
  household_id: string;
  org_path: string;
  member_name: string;
  unit_code_name: string | null;
  award_level: string;
  award_year: number;
  status: string;
  received_at: string;
  register_deadline: string;
  registered_at: string | null;
  address_verified_at: string | null;
  delivered_at: string | null;
  deliverers: string | null;
  reward_fen: number | null;
  reported_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface CoupletDeliveriesTable {
  id: string;
  household_id: string;
  org_path: string;
  year: number;
  delivered_at: string;
  delivered_by: string | null;
  created_by: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  status: string;
  org_id: string;
  org_path: string;
  created_by: string;
  total: number;
  processed: number;
  params: string | null;
  result: string | null;
  error: string | null;
  file_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  auth_failures: AuthFailuresTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  service_members: ServiceMembersTable;
  households: HouseholdsTable;
  beneficiaries: BeneficiariesTable;
  beneficiary_categories: BeneficiaryCategoriesTable;
  beneficiary_grade_changes: BeneficiaryGradeChangesTable;
  beneficiary_counts: BeneficiaryCountsTable;
  transfers: TransfersTable;
  merges: MergesTable;
  plaque_events: PlaqueEventsTable;
  merit_citations: MeritCitationsTable;
  couplet_deliveries: CoupletDeliveriesTable;
  jobs: JobsTable;
}
