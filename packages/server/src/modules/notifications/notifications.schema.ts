/** The in-app notifications table (migration 0004_needs), merged into the Database interface. */
export interface NotificationsTable {
  id: string;
  user_id: string;
  org_id: string;
  /** The recipient's org path (scope of the record-level check). */
  org_path: string;
  kind: string;
  title: string;
  body: string;
  entity_type: string | null;
  entity_id: string | null;
  read_at: string | null;
  /** When the outbound transport took it (the table is the outbox). */
  sent_at: string | null;
  created_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    notifications: NotificationsTable;
  }
}
