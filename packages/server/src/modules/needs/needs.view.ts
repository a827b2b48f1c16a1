import type {
  NeedAction,
  NeedAttachment,
  NeedDetail,
  NeedEvent,
  NeedListItem,
  NeedPriority,
  NeedSource,
  NeedStatus,
  NeedTag,
} from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import { mayDecide } from '../../platform/access/approval-policy.js';
import type { Actor } from '../../platform/auth/actor.js';
import { bool } from '../../platform/db/index.js';
import { ACTION_PARTY, allowedActions, isOverdue, TERMINAL_STATUSES } from './needs.machine.js';
import type { NeedRow } from './needs.repo.js';
import type { NeedAttachmentsTable, NeedEventsTable } from './needs.schema.js';

/**
 * The two views of a case. The civilian view is built by leaving the military-only fields out
 * (never by blanking them), and the response schemas serialise only the fields they list.
 */
export function seesMilitary(actor: Pick<Actor, 'orgSide'>): boolean {
  return actor.orgSide === 'military';
}

function hasMilitaryContent(r: NeedRow): boolean {
  return r.military_detail !== null || r.military_contact !== null;
}

export function toListItem(r: NeedRow, tags: string[], today: string, military: boolean): NeedListItem {
  const item: NeedListItem = {
    id: r.id,
    title: r.title,
    category: r.category,
    priority: r.priority as NeedPriority,
    source: r.source as NeedSource,
    status: r.status as NeedStatus,
    orgId: r.org_id,
    orgName: r.org_name,
    requesterName: r.requester_name,
    leadOrgId: r.lead_org_id,
    leadOrgName: r.lead_org_name,
    deadline: r.deadline,
    overdue: isOverdue(r.status as NeedStatus, r.deadline, today),
    tags: tags as NeedTag[],
    rating: r.rating,
    redacted: !military && hasMilitaryContent(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
  return military ? { ...item, militaryDetail: r.military_detail } : item;
}

export function toEvent(e: Selectable<NeedEventsTable>, military: boolean): NeedEvent {
  const ev: NeedEvent = {
    id: e.id,
    at: e.at,
    kind: e.kind as NeedEvent['kind'],
    fromStatus: e.from_status as NeedStatus | null,
    toStatus: e.to_status as NeedStatus | null,
    actorName: e.actor_name,
    orgName: e.actor_org_name,
    note: e.note,
  };
  return military ? { ...ev, militaryOnly: bool(e.military_only) } : ev;
}

export function toAttachment(a: Selectable<NeedAttachmentsTable>, military: boolean): NeedAttachment {
  const out: NeedAttachment = {
    id: a.id,
    fileName: a.file_name,
    contentType: a.content_type,
    size: a.size,
    purpose: a.purpose as NeedAttachment['purpose'],
    createdAt: a.created_at,
  };
  return military ? { ...out, militaryOnly: bool(a.military_only) } : out;
}

type Party = 'triage' | 'lead' | 'requester';

/**
 * Triage decides who handles a case (accept, decline, assign, merge, close): the city, never the
 * organisation that raised it (APPROVAL_POLICY['need.handover'], decisions/0012).
 */
export function triageDecides(actor: Actor, r: Pick<NeedRow, 'org_id' | 'org_path' | 'created_by'>): boolean {
  return mayDecide('need.handover', actor, {
    requester: { orgId: r.org_id, orgPath: r.org_path, userId: r.created_by },
  });
}

/** Is the actor the party an action belongs to, for this case? (Status is the machine's business.) */
export function actsAs(actor: Actor, r: Pick<NeedRow, 'org_id' | 'created_by' | 'lead_org_id'>, party: Party): boolean {
  switch (party) {
    case 'triage':
      return actor.permissions.has('need:triage');
    case 'lead':
      return actor.permissions.has('need:handle') && r.lead_org_id !== null && actor.orgId === r.lead_org_id;
    case 'requester':
      return actor.permissions.has('need:create') && (actor.userId === r.created_by || actor.orgId === r.org_id);
  }
}

type DetailAction = NeedDetail['actions'][number];

/** Reading is not taking part: a read-only role (the leader) sees cases but adds nothing to them. */
export function mayWriteNeeds(actor: Pick<Actor, 'permissions'>): boolean {
  return ['need:create', 'need:triage', 'need:handle'].some((p) => actor.permissions.has(p as never));
}

/** What the actor may do now: the machine's allowed actions the actor is the party of, plus comments etc. */
export function actionsFor(actor: Actor, r: NeedRow, handlerOrgIds: readonly string[]): DetailAction[] {
  const status = r.status as NeedStatus;
  const out: DetailAction[] = allowedActions(status).filter(
    (a: NeedAction) =>
      actsAs(actor, r, ACTION_PARTY[a]) &&
      (ACTION_PARTY[a] !== 'triage' || triageDecides(actor, r)) &&
      !(a === 'reopen' && r.reopen_count > 0),
  );
  // whoever sees a case (its owner's side, a handler, the city) may add to it while it is open
  if (!TERMINAL_STATUSES.includes(status) && mayWriteNeeds(actor)) {
    out.push('comment');
    if (actsAs(actor, r, 'requester') || actsAs(actor, r, 'triage') || handlerOrgIds.includes(actor.orgId))
      out.push('attach');
    if (actsAs(actor, r, 'triage')) out.push('tag');
  }
  return out;
}

export function toDetail(
  r: NeedRow,
  parts: {
    tags: string[];
    today: string;
    military: boolean;
    handlers: { org_id: string; org_name: string; role: string }[];
    events: Selectable<NeedEventsTable>[];
    attachments: Selectable<NeedAttachmentsTable>[];
    duplicates: string[];
    actions: DetailAction[];
  },
): NeedDetail {
  const detail: NeedDetail = {
    ...toListItem(r, parts.tags, parts.today, parts.military),
    description: r.description,
    deadlineDays: r.deadline_days,
    handlers: parts.handlers.map((h) => ({ orgId: h.org_id, orgName: h.org_name, role: h.role as 'lead' | 'co' })),
    acceptedAt: r.accepted_at,
    assignedAt: r.assigned_at,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    confirmedAt: r.confirmed_at,
    closedAt: r.closed_at,
    resolution: r.resolution,
    resolvedOnTime: r.resolved_on_time === null ? null : bool(r.resolved_on_time),
    ratingComment: r.rating_comment,
    declineReason: r.decline_reason,
    mergedInto: r.merged_into,
    duplicates: parts.duplicates,
    reopenCount: r.reopen_count,
    reopenReason: r.reopen_reason,
    escalatedAt: r.escalated_at,
    attachments: parts.attachments.map((a) => toAttachment(a, parts.military)),
    events: parts.events.map((e) => toEvent(e, parts.military)),
    actions: parts.actions,
  };
  return parts.military ? { ...detail, militaryContact: r.military_contact } : detail;
}
