import { normalizeIdNumber } from './identity.js';
import { maskIdNumber, maskPhone } from './masking.js';
import { foldFullWidth } from './names.js';
import { normalizePhone } from './phone.js';

/**
 * Personal data found in free text: candidates by a loose pattern, confirmed by the registry's
 * normalisers (a checksummed ID number, a real mobile or landline number). The atmosphere
 * confidentiality checks run them as their `detector` rules; exports mask what they find.
 */
export const PERSONAL_DATA_DETECTORS: Record<
  'id_number' | 'phone',
  { candidates: RegExp; confirm: (s: string) => boolean; mask: (s: string) => string }
> = {
  id_number: {
    candidates: /(?<![0-9A-Za-z])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])/g,
    confirm: (s) => normalizeIdNumber(s).ok,
    mask: maskIdNumber,
  },
  phone: {
    candidates:
      /(?<![0-9])(?:(?:\+86|0086)[\s-]?)?(?:1[3-9][0-9](?:[\s-]?[0-9]{4}){2}|0[0-9]{2,3}[\s-]?[2-9][0-9]{6,7})(?![0-9])/g,
    confirm: (s) => normalizePhone(s).ok,
    mask: maskPhone,
  },
};

/**
 * The text with every ID number and phone number the detectors confirm replaced by its masked
 * form (650203********123X, 139****5678). Full-width digits are found too (positions are those
 * of the original: folding keeps one character for one).
 */
export function maskPersonalData(text: string): string {
  const folded = foldFullWidth(text);
  const spans: { start: number; end: number; masked: string }[] = [];
  for (const d of Object.values(PERSONAL_DATA_DETECTORS)) {
    const re = new RegExp(d.candidates.source, 'g');
    for (let m = re.exec(folded); m; m = re.exec(folded)) {
      const end = m.index + m[0].length;
      if (!d.confirm(m[0]) || spans.some((s) => s.start < end && m!.index < s.end)) continue;
      spans.push({ start: m.index, end, masked: d.mask(m[0]) });
    }
  }
  if (!spans.length) return text;
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.masked;
    at = s.end;
  }
  return out + text.slice(at);
}
