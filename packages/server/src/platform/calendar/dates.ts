/**
 * Calendar dates (`YYYY-MM-DD`) in the display zone (`config.tzDisplay`): times are stored in UTC,
 * but deadlines, "today" and working days are local dates.
 */
export function localDate(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in the zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return localDate(now, timeZone);
}
