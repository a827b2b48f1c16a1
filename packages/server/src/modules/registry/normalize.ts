import {
  CATEGORY_BY_CODE,
  type CategoryAssignment,
  checkAgainst,
  normalizeIdNumber,
  normalizeName,
  normalizePhone,
  type RegistryErrorKey,
} from '@shuangyong/shared';
import { type SearchKeys, toSimplified } from '../../platform/text/chinese.js';
import { nameKeys } from '../../platform/text/name-keys.js';

export interface FieldError {
  field: string;
  key: RegistryErrorKey | string;
}

export interface PersonInput {
  name: string;
  idNumber: string;
  birthDate?: string | undefined;
  sex?: 'male' | 'female' | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  categories: CategoryAssignment[];
}

export interface NormalizedPerson {
  /** In simplified characters: one form for lists, search and duplicate checks. */
  name: string;
  /** The name as written when that differs (艾軍 → name 艾军, nameAsWritten 艾軍). */
  nameAsWritten: string | null;
  nameKeys: SearchKeys;
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
  phone: string | null;
  address: string | null;
  categories: CategoryAssignment[];
}

/** A person as checked, before the name's search keys are made (withNameKeys). */
export type CheckedPerson = Omit<NormalizedPerson, 'nameKeys'>;

/**
 * Validates and normalises a person the same way for the form and for every import row:
 * GB 11643 id (15→18, full-width, lower-case x), birth date and sex derived from it and checked
 * against given columns, phone, name (inner spaces, middle dots), categories without duplicates.
 * The name's search keys come after, from withNameKeys (off the event loop, a batch at a time).
 */
export function checkPerson(
  input: PersonInput,
): { ok: true; value: CheckedPerson } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = normalizeName(input.name);
  if (!name.ok) errors.push({ field: 'name', key: name.error });
  const id = normalizeIdNumber(input.idNumber);
  if (!id.ok) errors.push({ field: 'idNumber', key: id.error });
  else {
    for (const key of checkAgainst(id, { birthDate: input.birthDate, sex: input.sex }))
      errors.push({ field: key.includes('sex') ? 'sex' : 'birthDate', key });
  }
  let phone: string | null = null;
  if (input.phone) {
    const p = normalizePhone(input.phone);
    if (p.ok) phone = p.value;
    else errors.push({ field: 'phone', key: p.error });
  }
  const seen = new Set<string>();
  for (const c of input.categories) {
    if (seen.has(c.code)) errors.push({ field: 'categories', key: 'beneficiary.categoryDuplicate' });
    seen.add(c.code);
    if (!CATEGORY_BY_CODE[c.code]) errors.push({ field: 'categories', key: 'beneficiary.categoryUnknown' });
  }
  if (errors.length || !name.ok || !id.ok) return { ok: false, errors };
  const simplified = toSimplified(name.value);
  return {
    ok: true,
    value: {
      name: simplified,
      nameAsWritten: simplified === name.value ? null : name.value,
      idNumber: id.value,
      birthDate: id.birthDate,
      sex: id.sex,
      phone,
      address: input.address?.trim() || null,
      categories: input.categories,
    },
  };
}

/** The people with their names' search keys, read from the name as written (one batch). */
export async function withNameKeys(people: readonly CheckedPerson[]): Promise<NormalizedPerson[]> {
  const keys = await nameKeys(people.map((p) => p.nameAsWritten ?? p.name));
  return people.map((p, i) => ({ ...p, nameKeys: keys[i]! }));
}

/** The search keys of one name as a person's name is normalised; null when it is not a valid name. */
export async function nameKeysOf(raw: string): Promise<SearchKeys | null> {
  const name = normalizeName(raw);
  return name.ok ? ((await nameKeys([name.value]))[0] ?? null) : null;
}

/** Households of 三属, serving members (and their families) and veterans get a 光荣牌 (DOMAIN §4). */
const PLAQUE_CATEGORIES = new Set([
  'martyr_survivor',
  'duty_death_survivor',
  'illness_death_survivor',
  'serving_member',
  'serving_member_family',
  'veteran',
  'disabled_veteran',
  'demobilized_veteran',
  'three_survivors_pension',
]);

export function makesPlaqueEligible(codes: readonly string[]): boolean {
  return codes.some((c) => PLAQUE_CATEGORIES.has(c));
}
