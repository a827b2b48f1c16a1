import type { AuditEntry } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema.js';

/** An audit row as the API shows it (the audit page and a record's history), with its record's name if known. */
export function toAuditEntry(r: Selectable<AuditLogTable>, entityLabel: string | null = null): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    orgId: r.org_id,
    requestId: r.request_id,
    ip: r.ip,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    entityLabel,
    changes: r.changes ? (JSON.parse(r.changes) as Record<string, unknown>) : null,
  };
}
