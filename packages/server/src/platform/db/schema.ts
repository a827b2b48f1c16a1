import type { Generated } from 'kysely';

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

export interface MigrationMarker {
  id: Generated<number>;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  auth_failures: AuthFailuresTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}
