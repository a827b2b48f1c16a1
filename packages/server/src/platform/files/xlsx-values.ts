/**
 * Cell values of an xlsx as written (formula escaping, XML cleaning, dates as text), with no
 * package dependency: the export worker's sheet writer (xlsx-stream.ts) and exceljs' (export.ts) share them.
 */
import { wallClock } from '../calendar/dates.js';

/** Excel's limit on the characters in one cell. */
const MAX_CELL_CHARS = 32_767;
/** Characters XML 1.0 cannot carry: exceljs would write them and Excel would call the file damaged. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping exactly these characters is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a string starting with
 * `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, so neither Excel nor WPS evaluates it
 * when the cell is edited or the sheet is saved as CSV. Plain numbers written as text ('-12.5',
 * '+86') cannot run anything and are left alone. Other values are returned unchanged.
 */
export function escapeCell<T>(value: T): T | string {
  if (typeof value !== 'string' || !FORMULA_START.test(value) || PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/**
 * The inverse of `escapeCell` for text read back from a sheet: `'=1+1` (as our export wrote it)
 * is `=1+1` again, so a formula-like remark survives export → edit → import unchanged.
 */
export function unescapeCell(value: string): string {
  return value.startsWith("'") && escapeCell(value.slice(1)) === value ? value.slice(1) : value;
}

/** An Excel sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export function safeSheetName(name: string): string {
  const s = name
    .replace(/[:\\/?*[\]]/g, '_')
    .replace(/^'+|'+$/g, '')
    .slice(0, 31);
  return s || 'Sheet1';
}

export function dateFormatter(timeZone: string): (d: Date) => string {
  const f = wallClock(timeZone);
  return (d) => {
    if (Number.isNaN(d.getTime())) return '';
    const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  };
}

/** A value as an Excel cell: text escaped and cleaned, numbers and booleans kept, the rest as text. */
export function toCellValue(value: unknown, formatDate: (d: Date) => string): string | number | boolean | null {
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    default:
      if (value === null) return null;
      if (value instanceof Date) return formatDate(value);
      return cleanText(String(value));
  }
}

export function cleanText(s: string): string {
  const clean = s.replace(INVALID_XML, '');
  return escapeCell(clean.length > MAX_CELL_CHARS ? clean.slice(0, MAX_CELL_CHARS) : clean);
}
