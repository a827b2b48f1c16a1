import { addWorkingDays, isWorkingDay } from '../calendar/working-days.js';

/** The deadline of a case opened (or reopened) on `start`: `days` working days later. */
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

/** Past its deadline day (an open case only — the caller knows which statuses are open). */
export function pastDeadline(deadline: string | null, today: string): boolean {
  return deadline !== null && deadline < today;
}
