import { instantOfWall, wallOf } from './zone';

/** `2025-03-01 14:05:09` in the display zone (TZ_DISPLAY); '' for null/invalid input. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const wall = wallOf(iso);
  return wall ? wall.replace('T', ' ') : iso;
}

/** `2025-03-01 14:05` in the display zone: the time a person entered, to the minute. */
export function formatDateTimeMinutes(iso: string | null | undefined): string {
  return formatDateTime(iso).slice(0, 16);
}

/** A calendar day (YYYY-MM-DD) in the display zone → the ISO instant at its start / end. */
export function dayStartIso(day: string): string {
  return instantOfWall(`${day}T00:00:00`) ?? day;
}
export function dayEndIso(day: string): string {
  return instantOfWall(`${day}T23:59:59.999`) ?? day;
}

/** A TOTP secret in groups of four, for reading aloud or typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
