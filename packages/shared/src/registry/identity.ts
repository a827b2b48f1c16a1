import { type IsoDate, isValidYmd, parseDate, todayIso } from './dates.js';
import { foldFullWidth } from './names.js';
import { fail, type RegistryErrorKey, type Result } from './result.js';

export type Sex = 'male' | 'female';

/** What an 18-digit resident ID number (GB 11643-1999) tells about its holder. */
export interface IdNumberInfo {
  /** The 18-character number, upper-case X. */
  value: string;
  birthDate: IsoDate;
  sex: Sex;
  /** The first six digits: the GB/T 2260 code of the place of first registration. */
  regionCode: string;
  /** True when the input was a legacy 15-digit number converted to 18 digits. */
  converted15: boolean;
}

/** Options for `normalizeIdNumber`; `today` exists for tests and defaults to the local date. */
export interface IdNumberOptions {
  today?: IsoDate | Date;
}

/** Earliest accepted year of birth. */
export const ID_MIN_BIRTH_YEAR = 1890;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level prefixes of GB/T 2260 (mainland provinces, plus 71/81/82/83 used for the residence
 * permits of Taiwan, Hong Kong and Macao residents).
 */
const PROVINCE_PREFIXES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
);

/** Computes the GB 11643-1999 check character ('0'–'9' or 'X') of the first 17 digits. */
export function idChecksum(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Converts a legacy 15-digit number to 18 digits: '19' goes before the two-digit year, then the checksum. */
export function convert15to18(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + idChecksum(first17);
}

/** Removes what people and spreadsheets put around an ID number: spaces, hyphens, full-width forms. */
function cleanIdNumber(raw: string): string {
  return foldFullWidth(raw)
    .replace(/[\s\-\u2010-\u2015]/g, '')
    .toUpperCase();
}

/** Checks the birth date encoded as YYYYMMDD against the calendar, 1890 and today. */
function checkBirthDate(yyyymmdd: string, today: IsoDate): Result<{ value: IsoDate }> {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (!isValidYmd(year, month, day)) return fail('registry.id.birthDate');
  if (year < ID_MIN_BIRTH_YEAR) return fail('registry.id.birthDateTooEarly');
  const value = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return value > today ? fail('registry.id.birthDateFuture') : { ok: true, value };
}

/**
 * Normalises and validates a resident ID number (GB 11643-1999).
 *
 * Folds full-width digits and letters, strips spaces and hyphens, upper-cases x; accepts 18 digits
 * (the last may be X) with a correct checksum, and legacy 15-digit numbers, which are converted to
 * 18 digits (`converted15`). The birth date must be a real day, in or after 1890 and not after today;
 * the first two digits must be a province code. Checked in this order: format, checksum, province, birth date. Sex comes from the 17th digit (odd: male).
 * Numbers that Excel turned into scientific notation (6.50203E+17) get their own error.
 */
export function normalizeIdNumber(raw: string, options: IdNumberOptions = {}): Result<IdNumberInfo> {
  const s = cleanIdNumber(raw);
  if (s === '') return fail('registry.id.empty');
  if (/^\d+(?:\.\d+)?E\+?\d+$/.test(s)) return fail('registry.id.scientificNotation');
  let value: string;
  let converted15 = false;
  if (/^\d{15}$/.test(s)) {
    value = convert15to18(s);
    converted15 = true;
  } else if (/^\d{17}[\dX]$/.test(s)) {
    value = s;
  } else {
    return fail('registry.id.format');
  }
  if (!converted15 && idChecksum(value) !== value[17]) return fail('registry.id.checksum');
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2))) return fail('registry.id.region');
  const today = options.today instanceof Date ? todayIso(options.today) : (options.today ?? todayIso());
  const birth = checkBirthDate(value.slice(6, 14), today);
  if (!birth.ok) return birth;
  const sex: Sex = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value, birthDate: birth.value, sex, regionCode: value.slice(0, 6), converted15 };
}

/** Whether a string is a valid 18-digit ID number as stored (no cleaning, no 15-digit form). */
export function isValidIdNumber(s: string): boolean {
  return /^\d{17}[\dX]$/.test(s) && normalizeIdNumber(s).ok;
}

/**
 * Reads a sex column: 男/男性/M/male → 'male', 女/女性/F/female → 'female', anything else → null.
 */
export function parseSex(raw: string): Sex | null {
  const s = foldFullWidth(raw).trim().toLowerCase();
  if (['男', '男性', 'm', 'male', '1'].includes(s)) return 'male';
  if (['女', '女性', 'f', 'female', '2'].includes(s)) return 'female';
  return null;
}

/** The other columns of a row that the ID number also encodes. */
export interface IdCrossCheck {
  birthDate?: string | number | Date | null;
  sex?: string | null;
}

/**
 * Compares a row's birth-date and sex columns with what its ID number encodes and returns one message
 * key per disagreement ([] when they agree). A column that is empty or cannot be read is not compared:
 * the column's own validation reports it.
 */
export function checkAgainst(parsed: IdNumberInfo, columns: IdCrossCheck): RegistryErrorKey[] {
  const mismatches: RegistryErrorKey[] = [];
  const { birthDate, sex } = columns;
  if (birthDate !== undefined && birthDate !== null && birthDate !== '') {
    const date = parseDate(birthDate);
    if (date.ok && date.value !== parsed.birthDate) mismatches.push('registry.id.birthDateMismatch');
  }
  if (sex) {
    const given = parseSex(sex);
    if (given && given !== parsed.sex) mismatches.push('registry.id.sexMismatch');
  }
  return mismatches;
}
