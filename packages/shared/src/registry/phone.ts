import { foldFullWidth } from './names.js';
import { fail, type Result } from './result.js';

export type PhoneKind = 'mobile' | 'landline';

/** A normalised phone number: mobiles as 11 digits, landlines as 'AREA-LOCAL' (0990-6231234). */
export interface PhoneInfo {
  value: string;
  kind: PhoneKind;
}

/** Karamay's telephone area code; a 7–8 digit number without area code is taken as local. */
export const KARAMAY_AREA_CODE = '0990';

/** Removes the separators people type in phone numbers: spaces, hyphens, dashes, parentheses. */
function cleanPhone(raw: string): string {
  return foldFullWidth(raw).replace(/[\s\-\u2010-\u2015()]/g, '');
}

/**
 * Strips an international prefix for China (+86 or 0086). After it a landline has lost its trunk
 * '0' (+86 990 6231234), which is put back.
 */
function stripCountryCode(s: string): string {
  const m = /^(?:\+86|0086)(\d+)$/.exec(s);
  if (!m) return s;
  const national = m[1]!;
  return national.startsWith('1') || national.startsWith('0') ? national : `0${national}`;
}

/**
 * Splits a landline dialled with its area code. Area codes are '0' plus two digits for 010 and 02x
 * (Beijing, Shanghai, Guangzhou…) and '0' plus three digits elsewhere; local numbers have 7–8 digits
 * and never start with 0 or 1.
 */
function splitLandline(s: string): [string, string] | null {
  const m = /^(0[12]\d|0[3-9]\d{2})([2-9]\d{6,7})$/.exec(s);
  return m ? [m[1]!, m[2]!] : null;
}

/**
 * Normalises a phone number from a form or spreadsheet cell. Folds full-width digits, strips spaces,
 * hyphens and parentheses and a +86/0086 prefix. Mobile: 11 digits starting 13–19. Landline: area
 * code + 7–8 digit local number, written 'AREA-LOCAL'; a bare 7–8 digit number is a Karamay number
 * and gets 0990.
 */
export function normalizePhone(raw: string): Result<PhoneInfo> {
  const cleaned = cleanPhone(raw);
  if (cleaned === '') return fail('registry.phone.empty');
  const s = stripCountryCode(cleaned);
  if (!/^\d+$/.test(s)) return fail('registry.phone.invalid');
  if (/^1[3-9]\d{9}$/.test(s)) return { ok: true, value: s, kind: 'mobile' };
  if (/^1\d*$/.test(s)) return fail('registry.phone.mobileInvalid');
  if (/^[2-9]\d{6,7}$/.test(s)) return { ok: true, value: `${KARAMAY_AREA_CODE}-${s}`, kind: 'landline' };
  const landline = splitLandline(s);
  if (landline) return { ok: true, value: `${landline[0]}-${landline[1]}`, kind: 'landline' };
  return fail('registry.phone.invalid');
}
