/**
 * The signed-in user's key for what the field form queues on the phone (decisions/0017): the
 * server hands it out with the session (`Me.draftKey`, the same at every login of this user); it
 * is held here, in memory, as a non-extractable AES-GCM key, and forgotten at logout. Drafts sealed
 * under it cannot be read on the phone until the same user logs in again.
 */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

let current: { userId: string; key: Promise<CryptoKey> } | null = null;

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Holds this user's key (after login, or booting offline from the kept profile); null forgets it. */
export function setSealKey(userId: string | null, hex?: string): void {
  if (!userId || !hex || !/^[0-9a-f]{64}$/.test(hex)) {
    current = null;
    return;
  }
  if (current?.userId === userId) return;
  current = {
    userId,
    key: crypto.subtle.importKey('raw', hexBytes(hex), 'AES-GCM', false, ['encrypt', 'decrypt']),
  };
}

/** The key of `userId`, if that user is the one signed in. */
function keyOf(userId: string): Promise<CryptoKey> | null {
  return current && current.userId === userId ? current.key : null;
}

export function canSeal(userId: string): boolean {
  return keyOf(userId) !== null;
}

export async function seal(userId: string, plain: BufferSource): Promise<Sealed> {
  const key = keyOf(userId);
  if (!key) throw new Error('no key for this user');
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key, plain) };
}

/** Opens what `seal` made for `userId`; null without that user's key or when it does not open. */
export async function unseal(userId: string, sealed: Sealed): Promise<ArrayBuffer | null> {
  const key = keyOf(userId);
  if (!key) return null;
  try {
    return await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, await key, sealed.data);
  } catch {
    return null;
  }
}

export const sealJson = (userId: string, value: unknown) =>
  seal(userId, new TextEncoder().encode(JSON.stringify(value)));

export async function unsealJson<T>(userId: string, sealed: Sealed): Promise<T | null> {
  const plain = await unseal(userId, sealed);
  return plain ? (JSON.parse(new TextDecoder().decode(plain)) as T) : null;
}
