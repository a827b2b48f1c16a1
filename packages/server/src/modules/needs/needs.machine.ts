import type { NeedAction, NeedStatus } from '@shuangyong/shared';
import { addWorkingDays, isWorkingDay } from '../../platform/calendar/working-days.js';

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

export function allowedActions(status: NeedStatus): NeedAction[] {
  return Object.keys(NEED_TRANSITIONS[status] ?? {}) as NeedAction[];
}

/** The status `action` leads to from `status`, or null when the machine does not allow it. */
export function nextStatus(status: NeedStatus, action: NeedAction): NeedStatus | null {
  return NEED_TRANSITIONS[status]?.[action] ?? null;
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

/** The deadline of a case accepted (or reopened) on `start`: `days` working days later. */
export function deadlineFrom(start: string, days: number): string {
  return addWorkingDays(start, days);
}

/**
 * Working days left from `today` until `deadline`: 0 when the deadline is today, negative when
 * past (the working days overdue, counting the days after the deadline up to today).
 */
export function workingDaysLeft(today: string, deadline: string): number {
  if (today === deadline) return 0;
  const forward = today < deadline;
  const [from, to] = forward ? [today, deadline] : [deadline, today];
  const d = new Date(`${from}T00:00:00Z`);
  let n = 0;
  for (;;) {
    d.setUTCDate(d.getUTCDate() + 1);
    const iso = d.toISOString().slice(0, 10);
    if (iso > to) break;
    if (isWorkingDay(iso)) n++;
  }
  return forward ? n : -n;
}

/** Overdue: still being handled and the deadline day has passed. */
export function isOverdue(status: NeedStatus, deadline: string | null, today: string): boolean {
  return deadline !== null && HANDLING_STATUSES.includes(status) && deadline < today;
}
