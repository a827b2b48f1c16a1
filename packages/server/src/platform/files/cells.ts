/** Cell values as the user typed or saw them, converted to strings. */

/** Numbers at or above this cannot hold every digit of an 18-digit ID number (Excel keeps 15 digits). */
export const BIG_NUMBER = 1e15;

/** A number as plain text: no exponent, Excel's 15 significant digits, integers in full. */
export function numberToText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  const r = Number(n.toPrecision(15));
  const s = String(r);
  return s.includes('e') ? expandExponent(s) : s;
}

/** '1.5e-7' → '0.00000015' (non-integers only reach here when tiny). */
function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = int! + frac;
  const point = int!.length + exp;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/0+$/, '');
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A date cell as 'YYYY-MM-DD' (or with ' HH:mm:ss' when it carries a time; a bare time as 'HH:mm:ss'). */
export function dateToText(d: Date): string {
  const t = Math.round(d.getTime() / 1000) * 1000;
  if (!Number.isFinite(t)) return '';
  const x = new Date(t);
  const date = `${pad(x.getUTCFullYear(), 4)}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
  const hasTime = t % 86_400_000 !== 0;
  const time = `${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}:${pad(x.getUTCSeconds())}`;
  if (t < Date.UTC(1900, 0, 1)) return time; // a time-of-day cell (serial < 1)
  return hasTime ? `${date} ${time}` : date;
}

/** Excel serial day number → Date (the 1900 system's fake leap day is before any real data). */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** exceljs's own test: a number format with date/time letters outside quotes and brackets. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhsb]/i.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** A CSV field Excel wrote from a number cell in scientific notation with 15+ integer digits ('6.50203E+17'). */
export function isScientificBigNumber(s: string): boolean {
  const m = /^\s*[+-]?\d(?:\.\d+)?[eE]\+?(\d+)\s*$/.exec(s);
  return m !== null && Number(m[1]) >= 15;
}

interface RichText {
  richText: { text?: string | null }[];
}

/** Converts one exceljs cell value; `big` is set when a number may have lost digits. */
export function cellToText(
  value: unknown,
  numFmt: string | undefined,
  date1904: boolean,
): { text: string; big: boolean } {
  if (value === null || value === undefined) return { text: '', big: false };
  switch (typeof value) {
    case 'string':
      return { text: value, big: false };
    case 'number':
      return { text: numberToText(value), big: Math.abs(value) >= BIG_NUMBER };
    case 'boolean':
      return { text: value ? 'TRUE' : 'FALSE', big: false };
    case 'object':
      break;
    default:
      return { text: String(value), big: false };
  }
  if (value instanceof Date) return { text: dateToText(value), big: false };
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText))
    return { text: (v as unknown as RichText).richText.map((r) => r.text ?? '').join(''), big: false };
  if ('formula' in v || 'sharedFormula' in v) {
    const r = v.result;
    if (typeof r === 'number') {
      if (Number.isNaN(r)) return { text: '', big: false };
      if (isDateFormat(numFmt)) return { text: dateToText(excelSerialToDate(r, date1904)), big: false };
    }
    return cellToText(r, undefined, date1904);
  }
  if (typeof v.error === 'string') return { text: v.error, big: false };
  if (typeof v.text === 'string') return { text: v.text, big: false }; // hyperlink
  return { text: '', big: false };
}
