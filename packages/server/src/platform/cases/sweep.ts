import type { Platform } from '../context.js';
import type { Db, Tx } from '../db/index.js';
import { workingDaysLeft } from './deadlines.js';

/** What the sweep needs of an open case: its deadline and whether it was reminded already. */
export interface DueCase {
  id: string;
  deadline: string | null;
  reminded_at: string | null;
}

/** What is due on a case today: escalation (past its deadline) or a reminder (within the lead time). */
export interface Due {
  kind: 'escalated' | 'reminded';
  deadline: string;
  /** Working days left (negative: overdue). */
  left: number;
  /** The column the case is claimed by (set once per deadline). */
  column: 'escalated_at' | 'reminded_at';
}

export interface SweepResult {
  escalated: string[];
  reminded: string[];
}

/**
 * What is due on an open case on `today`: past the deadline day → escalation; within
 * `remindDays` working days of it and not reminded yet → a reminder; else nothing. (The caller's
 * candidates are the open cases not yet escalated.)
 */
export function dueOn(c: DueCase, today: string, remindDays: number): Due | null {
  if (!c.deadline) return null;
  const left = workingDaysLeft(today, c.deadline);
  if (c.deadline < today) return { kind: 'escalated', deadline: c.deadline, left, column: 'escalated_at' };
  if (c.reminded_at !== null || left > remindDays) return null;
  return { kind: 'reminded', deadline: c.deadline, left, column: 'reminded_at' };
}

/** The lead time of reminders from a setting (working days), or the default when unset or invalid. */
export async function remindDaysSetting(p: Platform, key: string, fallback: number): Promise<number> {
  const value = await p.settings.value<unknown>(p.handle.db, key);
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/**
 * The deadline sweep every case type runs (decisions/0006, 0055): for each candidate with
 * something due, one transaction in which `act` claims the case by a conditional update
 * (`escalated_at IS NULL` / `reminded_at IS NULL`, so several processes can sweep at once without
 * doubling anything), records, audits and notifies; `act` answers false when another process
 * claimed it first.
 */
export async function sweepDue<C extends DueCase>(
  db: Db,
  candidates: readonly C[],
  today: string,
  remindDays: number,
  act: (trx: Tx, c: C, due: Due) => Promise<boolean>,
): Promise<SweepResult> {
  const result: SweepResult = { escalated: [], reminded: [] };
  for (const c of candidates) {
    const due = dueOn(c, today, remindDays);
    if (!due) continue;
    const done = await db.transaction().execute((trx) => act(trx, c, due));
    if (done) (due.kind === 'escalated' ? result.escalated : result.reminded).push(c.id);
  }
  return result;
}
