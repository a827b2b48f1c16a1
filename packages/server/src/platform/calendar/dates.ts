/** One formatter per time zone: making one loads the zone's data (tens of ms, decisions/0054). */
const formats = new Map<string, Intl.DateTimeFormat>();

const clocks = new Map<string, Intl.DateTimeFormat>();

/** A zone's wall clock to the second (year … second as parts, 24-hour), one formatter per zone. */
export function wallClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

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

/**
 * How far a zone's wall clock is ahead of UTC at an instant, in ms (China keeps one offset all
 * year; the instant matters for zones that change).
 */
export function zoneOffsetMs(timeZone: string, at: Date | number = new Date()): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  const p = Object.fromEntries(
    wallClock(timeZone)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}
