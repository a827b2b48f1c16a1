/**
 * Wall-clock time in a time zone, for the server and the browser alike: the digits a person in the
 * zone reads, and how far the zone is ahead of UTC. No dependency (the server's export worker
 * imports it alone: `@shuangyong/shared/wall-clock`).
 */

/** One formatter per zone: making one loads the zone's data (tens of ms, decisions/0054). */
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

export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** An instant's wall clock in the zone, as numbers. */
export function wallParts(at: Date | number, timeZone: string): WallParts {
  const p: Record<string, string> = {};
  for (const x of wallClock(timeZone).formatToParts(typeof at === 'number' ? new Date(at) : at)) p[x.type] = x.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/**
 * How far a zone's wall clock is ahead of UTC at an instant, in ms (China keeps one offset all
 * year; the instant matters for zones that change).
 */
export function zoneOffsetMs(timeZone: string, at: Date | number = new Date()): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  const p = wallParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}
