import calendar from './cn-holidays.json' with { type: 'json' };

/**
 * Working days on the Chinese calendar: Monday–Friday, minus public holidays, plus the swapped
 * working weekend days (调休). The calendar is data (cn-holidays.json), not code.
 */
const holidays = new Set<string>();
const workdays = new Set<string>();
for (const y of Object.values(calendar.years as Record<string, { holidays: string[]; workdays: string[] }>)) {
  for (const d of y.holidays) holidays.add(d);
  for (const d of y.workdays) workdays.add(d);
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function isWorkingDay(date: string): boolean {
  if (workdays.has(date)) return true;
  if (holidays.has(date)) return false;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The date `n` working days after `start` (the start day itself is not counted). */
export function addWorkingDays(start: string, n: number): string {
  const d = new Date(`${start}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(iso(d))) left--;
  }
  return iso(d);
}
