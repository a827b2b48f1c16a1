import { maskAddress, maskIdNumber, maskPhone } from '@shuangyong/shared';
import type { CryptoProvider } from '../../platform/crypto/index.js';

/**
 * The one place personal data (ID number, phone, address) is sealed and opened: encrypted value,
 * blind index for exact lookup, masked copy for lists. Nothing else in the code base sees the clear
 * values except `open` (reveal, audited by the caller).
 */
export interface SealedPerson {
  id_enc: string;
  id_bi: string;
  id_masked: string;
}

export function idBlindIndex(crypto: CryptoProvider, idNumber: string): string {
  return crypto.mac('beneficiary.id_number', idNumber);
}

/** The sealed columns of an ID number; `bi`, its blind index when the caller has it already (the import's plan). */
export function sealId(crypto: CryptoProvider, idNumber: string, bi = idBlindIndex(crypto, idNumber)): SealedPerson {
  return idColumns(idNumber, crypto.encrypt(idNumber), bi);
}

export function sealPhone(crypto: CryptoProvider, phone: string | null) {
  return phoneColumns(phone, phone && crypto.encrypt(phone));
}

export function sealAddress(crypto: CryptoProvider, address: string | null) {
  return addressColumns(address, address && crypto.encrypt(address));
}

/**
 * `sealId`, `sealPhone` and `sealAddress` of many people at once, their values encrypted in one
 * batch (`encryptMany`): the bulk loads' rows.
 */
export function sealMany(
  crypto: CryptoProvider,
  people: readonly { idNumber: string; bi: string; phone: string | null; address: string | null }[],
) {
  const tokens = crypto.encryptMany(people.flatMap((p) => [p.idNumber, p.phone, p.address]));
  return people.map((p, i) => ({
    ...idColumns(p.idNumber, tokens[3 * i]!, p.bi),
    ...phoneColumns(p.phone, tokens[3 * i + 1]!),
    ...addressColumns(p.address, tokens[3 * i + 2]!),
  }));
}

const idColumns = (idNumber: string, enc: string, bi: string): SealedPerson => ({
  id_enc: enc,
  id_bi: bi,
  id_masked: maskIdNumber(idNumber),
});

const phoneColumns = (phone: string | null, enc: string | null) =>
  phone ? { phone_enc: enc, phone_masked: maskPhone(phone) } : { phone_enc: null, phone_masked: null };

const addressColumns = (address: string | null, enc: string | null) =>
  address ? { address_enc: enc, address_masked: maskAddress(address) } : { address_enc: null, address_masked: null };

export function open(crypto: CryptoProvider, enc: string | null): string | null {
  return enc ? crypto.decrypt(enc) : null;
}

/** Field names of encrypted columns: audit diffs show only that they changed. */
export const SEALED_FIELDS = new Set(['id_enc', 'id_bi', 'phone_enc', 'address_enc']);
