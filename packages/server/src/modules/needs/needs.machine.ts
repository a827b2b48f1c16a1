import type { NeedAction, NeedStatus } from '@shuangyong/shared';
import { pastDeadline } from '../../platform/cases/deadlines.js';
import { caseMachine } from '../../platform/cases/machine.js';

export { deadlineFrom, workingDaysLeft } from '../../platform/cases/deadlines.js';

/**
 * The life cycle of a need: which action each status allows and where it leads.
 * submitted → accepted → assigned → in_progress → resolved → confirmed → closed;
 * triage may decline or merge a duplicate; a lead may be re-assigned before resolution;
 * the requester may reopen a resolved or confirmed case (once — checked by the service).
 */
export const NEED_TRANSITIONS: Readonly<Record<NeedStatus, Partial<Record<NeedAction, NeedStatus>>>> = {
  submitted: { accept: 'accepted', decline: 'declined', merge: 'merged' },
  accepted: { assign: 'assigned', merge: 'merged' },
  assigned: { assign: 'assigned', start: 'in_progress' },
  in_progress: { assign: 'assigned', resolve: 'resolved' },
  resolved: { confirm: 'confirmed', reopen: 'in_progress' },
  confirmed: { close: 'closed', reopen: 'in_progress' },
  closed: {},
  declined: {},
  merged: {},
};

/** Statuses in which the case is with the city or a department and the deadline runs. */
export const HANDLING_STATUSES: readonly NeedStatus[] = ['accepted', 'assigned', 'in_progress'];
/** Statuses that end the case: nothing can be added any more. */
export const TERMINAL_STATUSES: readonly NeedStatus[] = ['closed', 'declined', 'merged'];

/** The machine read the way every case type reads its own (platform/cases, decisions/0055). */
const machine = caseMachine(NEED_TRANSITIONS);

export function allowedActions(status: NeedStatus): NeedAction[] {
  return machine.allowed(status);
}

/** The status `action` leads to from `status`, or null when the machine does not allow it. */
export function nextStatus(status: NeedStatus, action: NeedAction): NeedStatus | null {
  return machine.next(status, action);
}

/** Which party may take an action (the route's permission and the service's org checks enforce it). */
export const ACTION_PARTY: Readonly<Record<NeedAction, 'triage' | 'lead' | 'requester'>> = {
  accept: 'triage',
  decline: 'triage',
  merge: 'triage',
  assign: 'triage',
  close: 'triage',
  start: 'lead',
  resolve: 'lead',
  confirm: 'requester',
  reopen: 'requester',
};

/** Overdue: still being handled and the deadline day has passed. */
export function isOverdue(status: NeedStatus, deadline: string | null, today: string): boolean {
  return HANDLING_STATUSES.includes(status) && pastDeadline(deadline, today);
}
