import { z } from 'zod';
import { t } from '../i18n/index.js';
import { foldFullWidth } from './names.js';
import { fail, type Result } from './result.js';

/** A calendar date as 'YYYY-MM-DD'. */
export type IsoDate = string;

/** The range of years any registry date may take; narrower rules (birth dates) apply on top. */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2199;

/** Excel serial numbers accepted as dates: 1 (1900-01-01) up to 80000 (2119-01-11). */
export const EXCEL_SERIAL_MAX = 80000;

/** Whether `year` is a leap year in the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether year/month/day name a real calendar day. */
export function isValidYmd(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Formats year/month/day as 'YYYY-MM-DD'. */
export function formatYmd(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Today's date as 'YYYY-MM-DD' in the local time zone of the process (the server runs in China time). */
export function todayIso(now: Date = new Date()): IsoDate {
  return formatYmd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** Checks year/month/day and returns the ISO date or the matching error. */
function fromParts(year: number, month: number, day: number): Result<{ value: IsoDate }> {
  if (year < MIN_YEAR || year > MAX_YEAR) return fail('registry.date.outOfRange');
  if (!isValidYmd(year, month, day)) return fail('registry.date.impossible');
  return { ok: true, value: formatYmd(year, month, day) };
}

const DAY_MS = 86_400_000;

/**
 * Converts an Excel serial number (1900 date system) to a date. Excel counts 1900-01-01 as day 1 and
 * believes 1900 was a leap year, so serial 60 is the non-existent 1900-02-29 and from serial 61 on
 * every date is one day earlier than a plain count suggests (day 0 is effectively 1899-12-30).
 * Serial 60 is refused as an impossible date rather than shifted to a neighbouring day, so a wrong
 * birth date is never stored silently. A time-of-day fraction is ignored.
 */
export function fromExcelSerial(serial: number): Result<{ value: IsoDate }> {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_SERIAL_MAX + 1) return fail('registry.date.outOfRange');
  const day = Math.floor(serial);
  if (day === 60) return fail('registry.date.impossible');
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + day * DAY_MS);
  return fromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Optional time of day after a date ("1950/3/5 0:00:00", "1950-03-05T00:00:00.000Z"); ignored. */
const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const SEPARATED = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME}$`);
const CHINESE = /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const YEAR_MONTH = /^(\d{4})(?:[-/.](\d{1,2})|年(\d{1,2})月?)$/;

/** Parses a date written as text; see `parseDate`. */
function parseDateText(raw: string): Result<{ value: IsoDate }> {
  const s = foldFullWidth(raw).trim();
  if (s === '') return fail('registry.date.empty');
  const sep = SEPARATED.exec(s);
  if (sep) return fromParts(Number(sep[1]), Number(sep[3]), Number(sep[4]));
  const m = CHINESE.exec(s.replace(/\s+/g, '')) ?? COMPACT.exec(s);
  if (m) return fromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  if (/^\d{5}(?:\.\d+)?$/.test(s)) return fromExcelSerial(Number(s));
  if (/^\d{4}$/.test(s)) return fail('registry.date.yearOnly');
  if (YEAR_MONTH.test(s.replace(/\s+/g, ''))) return fail('registry.date.incomplete');
  return fail('registry.date.format');
}

/**
 * Parses a date from a form field or a spreadsheet cell into 'YYYY-MM-DD'.
 *
 * Text: 1950-03-05, 1950/3/5, 1950.3.5 (one separator throughout, optional time of day),
 * 1950年3月5日, 19500305, full-width digits, and five-digit Excel serial numbers (10000–80000) that
 * CSV exports leave behind. Four digits alone are refused as a bare year, 1950-03 / 1950年3月 as an
 * incomplete date; two-digit years and day-first orders are refused as ambiguous.
 * Numbers: eight-digit integers are read as YYYYMMDD; 1–80000 as Excel serials (see `fromExcelSerial`).
 * Dates: the UTC calendar day (exceljs returns date cells as UTC midnight).
 * Impossible days such as 1950-02-30 are refused.
 */
export function parseDate(raw: string | number | Date): Result<{ value: IsoDate }> {
  if (raw instanceof Date) {
    if (Number.isNaN(raw.getTime())) return fail('registry.date.format');
    return fromParts(raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
  }
  if (typeof raw === 'number') {
    if (Number.isInteger(raw) && raw >= 10_000_000 && raw <= 99_999_999) return parseDateText(String(raw));
    return fromExcelSerial(raw);
  }
  return parseDateText(raw);
}

/** Whether a string is a real date in 'YYYY-MM-DD' form. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m !== null && isValidYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A real calendar date in 'YYYY-MM-DD' form. */
export const isoDateSchema = z.string().refine(isIsoDate, { error: () => t('registry.date.isoFormat') });
