import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import type { DbHandle } from '../db/index.js';
import { type KeyFile, SmCryptoProvider } from './index.js';

/** Every encrypted column: re-encrypted under the current key by `keys rotate`. */
export const ENCRYPTED_COLUMNS: readonly { table: string; columns: readonly string[] }[] = [
  { table: 'users', columns: ['totp_secret', 'totp_pending_secret'] },
  { table: 'households', columns: ['address_enc'] },
  { table: 'beneficiaries', columns: ['id_enc', 'phone_enc', 'address_enc'] },
  { table: 'benefit_accounts', columns: ['account_enc'] },
  { table: 'benefit_returns', columns: ['account_enc'] },
];

/** Adds a fresh master key and makes it current; the old keys stay for reading. */
export function addKey(file: string): KeyFile {
  const keyFile = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  let id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  for (let n = 2; keyFile.keys[id]; n++) id = `${id.replace(/_\d+$/, '')}_${n}`;
  keyFile.keys[id] = randomBytes(32).toString('base64');
  keyFile.current = id;
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(keyFile, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return keyFile;
}

/**
 * Re-encrypts every value not yet under the current key, in batches of one transaction each.
 * Safe to interrupt and run again: values under any known key stay readable throughout.
 */
export async function reencryptAll(
  handle: DbHandle,
  keyFile: KeyFile,
  onProgress?: (n: number) => void,
): Promise<number> {
  const crypto = new SmCryptoProvider(keyFile);
  const prefix = `v1.${keyFile.current}.`;
  let total = 0;
  for (const { table, columns } of ENCRYPTED_COLUMNS) {
    for (const column of columns) {
      for (;;) {
        const rows = await sql<{ id: string; v: string }>`SELECT id, ${sql.ref(column)} AS v FROM ${sql.table(table)}
          WHERE ${sql.ref(column)} IS NOT NULL AND ${sql.ref(column)} NOT LIKE ${`${prefix}%`} LIMIT 2000`.execute(
          handle.db,
        );
        if (!rows.rows.length) break;
        await handle.db.transaction().execute(async (trx) => {
          for (const r of rows.rows)
            await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${crypto.encrypt(crypto.decrypt(r.v))} WHERE id = ${r.id}`.execute(
              trx,
            );
        });
        total += rows.rows.length;
        onProgress?.(total);
      }
    }
  }
  return total;
}
