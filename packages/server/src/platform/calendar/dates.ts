import { wallClock, zoneOffsetMs } from '@shuangyong/shared/wall-clock';

/** The zone's wall clock and offset (one formatter per zone), shared with the web app. */
export { wallClock, zoneOffsetMs };

/** One formatter per time zone: making one loads the zone's data (tens of ms, decisions/0054). */
const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * Calendar dates (`YYYY-MM-DD`) in the display zone (`config.tzDisplay`): times are stored in UTC,
 * but deadlines, "today" and working days are local dates.
 */
export function localDate(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in the zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return localDate(now, timeZone);
}
