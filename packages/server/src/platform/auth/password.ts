import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt (RFC 7914) from Node's OpenSSL: no native add-on to build, runs on the libuv thread pool
 * so it never blocks the event loop. Format: `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url).
 * SCRYPT_LOG2N lowers the cost for tests only; the default (2^15, ≈60 ms) is the production cost.
 */
const LOG2N = Number(process.env.SCRYPT_LOG2N ?? 15);
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, log2n: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** log2n;
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, LOG2N, R, P);
  return `scrypt$${LOG2N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, saltS, keyS] = stored.split('$');
  if (alg !== 'scrypt' || !saltS || !keyS) return false;
  const expected = Buffer.from(keyS, 'base64url');
  const key = await derive(password, Buffer.from(saltS, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist, so timing does not reveal usernames. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(12).toString('hex'));
  return dummy;
}
