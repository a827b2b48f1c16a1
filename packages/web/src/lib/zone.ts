import { wallParts, zoneOffsetMs } from '@shuangyong/shared';

/**
 * The display zone (the server's TZ_DISPLAY, sent with `/auth/me`): every time is entered and shown
 * in it, whatever zone the device is set to. Picker values are "wall clock" values — the digits the
 * person sees — and become instants only here, at the boundary.
 */
let zone = 'Asia/Shanghai';

export function setDisplayZone(next: string): void {
  if (next) zone = next;
}

export function displayZone(): string {
  return zone;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An instant as wall-clock time in the zone: `2025-01-20T10:05:00`; '' for null or invalid input. */
export function wallOf(instant: string | number | Date | null | undefined, timeZone = zone): string {
  if (instant === null || instant === undefined || instant === '') return '';
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (Number.isNaN(ms)) return '';
  const p = wallParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * Wall-clock time in the zone (`2025-01-20`, `2025-01-20T10:05`, `…:30.500`) → the ISO instant (UTC).
 * Null when the text is no such time.
 */
export function instantOfWall(wall: string, timeZone = zone): string | null {
  const m = WALL.exec(wall.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = m.slice(1);
  const asUtc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s),
    Number(frac.padEnd(3, '0')),
  );
  if (Number.isNaN(asUtc)) return null;
  // the zone's offset at the guessed instant, then once more at the corrected one (offset changes)
  let ms = asUtc - zoneOffsetMs(timeZone, asUtc);
  ms = asUtc - zoneOffsetMs(timeZone, ms);
  return new Date(ms).toISOString();
}

/** Today's date in the zone: `2025-01-20`. */
export function todayInZone(now: number | Date = Date.now(), timeZone = zone): string {
  return wallOf(now, timeZone).slice(0, 10);
}

/** Now as wall-clock minutes in the zone (`2025-01-20T10:05`), the default of a time field. */
export function nowWallMinutes(now: number | Date = Date.now(), timeZone = zone): string {
  return wallOf(now, timeZone).slice(0, 16);
}
