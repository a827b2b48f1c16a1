import { normalizePhone } from './phone.js';

/** Replaces every character of a value that cannot be masked structurally. */
function maskAll(s: string): string {
  return '*'.repeat([...s].length);
}

/**
 * Masks an ID number for display: first 6 digits (the region), asterisks, last 4 digits
 * ('65020319800101123X' → '650203********123X'). Values shorter than 11 characters are masked whole.
 */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length < 11) return maskAll(s);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

/**
 * Masks a phone number for display. Mobile: first 3 and last 4 digits ('13912348896' → '139****8896').
 * Landline: area code, the first and the last two digits of the local number ('0990-6231288' →
 * '0990-6****88'). Anything that is not a phone number keeps only its last 2 characters (and nothing when
 * shorter than 6 characters).
 */
export function maskPhone(phone: string): string {
  const p = normalizePhone(phone);
  if (!p.ok) {
    const s = phone.trim();
    return s.length < 6 ? maskAll(s) : `${'*'.repeat(s.length - 2)}${s.slice(-2)}`;
  }
  if (p.kind === 'mobile') return `${p.value.slice(0, 3)}****${p.value.slice(-4)}`;
  const [area, local] = p.value.split('-') as [string, string];
  return `${area}-${local[0]}${'*'.repeat(local.length - 3)}${local.slice(-2)}`;
}

/** 王秀英 → 王＊＊: the surname and one mark per further character (at least one). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '＊'.repeat(Math.max(chars.length - 1, 1));
}

/** Characters that end the street part of an address: 路 街 道 巷 号. */
const STREET_END = /[路街道巷号]/;

/** Number of leading characters kept when an address has no street boundary. */
const ADDRESS_FALLBACK_KEEP = 6;

/**
 * Masks an address for display: keeps the district/street part up to and including the first
 * 路/街/道/巷/号 ('克拉玛依区准噶尔路12号3栋2单元' → '克拉玛依区准噶尔路****'); without such a boundary
 * keeps the first 6 characters, but never more than half of the address, so a short address is not
 * shown whole. Empty input stays empty.
 */
export function maskAddress(addr: string): string {
  const chars = [...addr.trim()];
  if (chars.length === 0) return '';
  const end = chars.findIndex((c) => STREET_END.test(c));
  const keep = end >= 0 ? end + 1 : Math.min(ADDRESS_FALLBACK_KEEP, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}****`;
}
