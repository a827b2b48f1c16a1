/** Display zone of the platform (the server stores UTC). */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';

const formatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: DISPLAY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2025-03-01 14:05:09` in Asia/Shanghai; '' for null/invalid input. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(date)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A calendar day (YYYY-MM-DD) in the display zone → the ISO instant at its start / end. */
export function dayStartIso(day: string): string {
  return `${day}T00:00:00.000${OFFSET}`;
}
export function dayEndIso(day: string): string {
  return `${day}T23:59:59.999${OFFSET}`;
}

/** A TOTP secret in groups of four, for reading aloud or typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
