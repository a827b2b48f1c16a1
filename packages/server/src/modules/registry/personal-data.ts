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
  return { id_enc: crypto.encrypt(idNumber), id_bi: bi, id_masked: maskIdNumber(idNumber) };
}

export function sealPhone(crypto: CryptoProvider, phone: string | null) {
  return phone
    ? { phone_enc: crypto.encrypt(phone), phone_masked: maskPhone(phone) }
    : { phone_enc: null, phone_masked: null };
}

export function sealAddress(crypto: CryptoProvider, address: string | null) {
  return address
    ? { address_enc: crypto.encrypt(address), address_masked: maskAddress(address) }
    : { address_enc: null, address_masked: null };
}

export function open(crypto: CryptoProvider, enc: string | null): string | null {
  return enc ? crypto.decrypt(enc) : null;
}

/** Field names of encrypted columns: audit diffs show only that they changed. */
export const SEALED_FIELDS = new Set(['id_enc', 'id_bi', 'phone_enc', 'address_enc']);
