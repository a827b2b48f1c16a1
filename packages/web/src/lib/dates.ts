import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import { instantOfWall, nowWallMinutes, todayInZone, wallOf } from './zone';

dayjs.extend(customParseFormat);

/**
 * antd pickers hold wall-clock values: the digits shown are the display zone's (lib/zone.ts), so a
 * device set to another zone neither shifts what is shown nor what is saved.
 */

/** A DatePicker value → 'YYYY-MM-DD' (undefined when empty). */
export function toIsoDate(value: Dayjs | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}

/** 'YYYY-MM-DD' → a DatePicker value. */
export function fromIsoDate(value: string | null | undefined): Dayjs | undefined {
  if (!value) return undefined;
  const d = dayjs(value);
  return d.isValid() ? d : undefined;
}

/** Today in the display zone as 'YYYY-MM-DD'. */
export function todayIsoDate(): string {
  return todayInZone();
}

/** Today in the display zone, as a DatePicker value. */
export function pickerToday(): Dayjs {
  return dayjs(todayInZone());
}

/** Now in the display zone (to the minute), as a date-time picker value. */
export function pickerNow(): Dayjs {
  return dayjs(nowWallMinutes());
}

/** For `disabledDate`: a day after today in the display zone. */
export function isFutureDay(d: Dayjs): boolean {
  return d.format('YYYY-MM-DD') > todayInZone();
}

/** An ISO instant → a date-time picker value showing its display-zone time. */
export function pickerOfInstant(iso: string | null | undefined): Dayjs | undefined {
  const wall = wallOf(iso);
  return wall ? dayjs(wall) : undefined;
}

/** A date-time picker value (display-zone digits) → the ISO instant it means. */
export function instantOfPicker(value: Dayjs | null | undefined): string | undefined {
  return value ? (instantOfWall(value.format('YYYY-MM-DDTHH:mm:ss')) ?? undefined) : undefined;
}

/** How date-time pickers show a value, and the wall-clock value they hold. */
export const DATE_TIME_SHOWN = 'YYYY-MM-DD HH:mm';
const DATE_TIME_VALUE = 'YYYY-MM-DDTHH:mm';

/** A DatePicker value → the wall-clock value a date-time field holds. */
export function toWallMinutes(d: Dayjs): string {
  return d.format(DATE_TIME_VALUE);
}

/**
 * The value a date-time text typed into a picker stands for (`2025-01-20 10:05` →
 * `2025-01-20T10:05`), or undefined when it is no complete time or a day after today is not allowed.
 */
export function typedDateTime(text: string, allowFuture: boolean): string | undefined {
  const d = dayjs(text.trim(), DATE_TIME_SHOWN, true);
  if (!d.isValid() || (!allowFuture && isFutureDay(d))) return undefined;
  return toWallMinutes(d);
}
