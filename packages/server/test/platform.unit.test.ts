import { checkPassword, DEFAULT_PASSWORD_POLICY, grantableRoles, permissionsOf, scopeKindOf } from '@shuangyong/shared';
import { describe, expect, it, vi } from 'vitest';
import { prefixEnd, resolveScope, scopeCovers } from '../src/platform/access/scope.js';
import { canonicalRow, chainHash, diffFields, GENESIS_HASH } from '../src/platform/audit/audit.js';
import { hashPassword, verifyPassword } from '../src/platform/auth/password.js';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from '../src/platform/auth/totp.js';
import { SmCryptoProvider } from '../src/platform/crypto/index.js';
import { uuidv7 } from '../src/platform/ids.js';

const crypto = new SmCryptoProvider({ current: 'k1', keys: { k1: Buffer.alloc(32, 7).toString('base64') } });

describe('password policy', () => {
  it('accepts a long password with three character classes', () => {
    expect(checkPassword('Shuangyong#2025', DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });
  it('rejects short passwords and too few classes, naming each rule', () => {
    expect(checkPassword('Ab1!', DEFAULT_PASSWORD_POLICY)).toEqual(['password.tooShort']);
    expect(checkPassword('abcdefghijkl', DEFAULT_PASSWORD_POLICY)).toEqual(['password.tooFewClasses']);
    expect(checkPassword('abcdefgh12', DEFAULT_PASSWORD_POLICY)).toEqual(['password.tooFewClasses']);
  });
  it('rejects a password containing the username', () => {
    expect(checkPassword('Klmy#2025abc', DEFAULT_PASSWORD_POLICY, 'klmy')).toContain('password.containsUsername');
  });
  it('counts characters, not bytes', () => {
    expect(checkPassword('双拥Ab1双拥双拥双', DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });
  it('honours a configured policy', () => {
    expect(checkPassword('Abcdef1!', { minLength: 8, minClasses: 4, maxAgeDays: 0 })).toEqual([]);
    expect(checkPassword('Abcdefg1', { minLength: 8, minClasses: 4, maxAgeDays: 0 })).toEqual([
      'password.tooFewClasses',
    ]);
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const h = await hashPassword('Shuangyong#2025');
    expect(h).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(await verifyPassword('Shuangyong#2025', h)).toBe(true);
    expect(await verifyPassword('Shuangyong#2026', h)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });
});

describe('TOTP (RFC 6238 / RFC 4226 vectors)', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  it('encodes base32 as authenticator apps expect', () => {
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret).toString()).toBe('12345678901234567890');
  });
  it('matches the RFC 4226 HOTP values', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((c) => hotp(key, c))).toEqual(['755224', '287082', '359152', '520489']);
  });
  it('matches the RFC 6238 SHA-1 values (last 6 digits)', () => {
    expect(totp(secret, 59_000)).toBe('287082');
    expect(totp(secret, 1_111_111_109_000)).toBe('081804');
    expect(totp(secret, 1_234_567_890_000)).toBe('005924');
  });
  it('accepts one step of drift and nothing beyond', () => {
    const t0 = 1_700_000_000_000;
    expect(verifyTotp(secret, totp(secret, t0 - 30_000), t0)).toBe(true);
    expect(verifyTotp(secret, totp(secret, t0 + 30_000), t0)).toBe(true);
    expect(verifyTotp(secret, totp(secret, t0 - 90_000), t0)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', t0)).toBe(false);
  });
});

describe('scope paths', () => {
  it('bounds a subtree by the byte after "/"', () => {
    expect(prefixEnd('650200/650203/')).toBe('650200/6502030');
    expect(
      '650200/650203/650203001/' >= '650200/650203/' && '650200/650203/650203001/' < prefixEnd('650200/650203/'),
    ).toBe(true);
    // a sibling whose code merely starts with the same digits is outside
    expect('650200/6502031/' < prefixEnd('650200/650203/')).toBe(false);
    expect(() => prefixEnd('650200')).toThrow();
  });
  it('covers records by scope kind', () => {
    const rec = { orgId: 'o-street', orgPath: '650200/650203/650203001/' };
    const user = { id: 'u1', orgId: 'o-district', orgPath: '650200/650203/' };
    expect(scopeCovers(resolveScope('all', user), rec)).toBe(true);
    expect(scopeCovers(resolveScope('subtree', user), rec)).toBe(true);
    expect(scopeCovers(resolveScope('subtree', user), { orgId: 'x', orgPath: '650200/650202/' })).toBe(false);
    expect(scopeCovers(resolveScope('org', user), rec)).toBe(false);
    expect(scopeCovers(resolveScope('org', user), { orgId: 'o-district', orgPath: '650200/650203/' })).toBe(true);
    expect(scopeCovers(resolveScope('own', user), { ...rec, ownerId: 'u1' })).toBe(true);
    expect(scopeCovers(resolveScope('own', user), { ...rec, ownerId: 'u2' })).toBe(false);
  });
  it('gives a user of several roles the widest scope and the union of permissions', () => {
    expect(scopeKindOf(['unit_liaison', 'district_staff'])).toBe('subtree');
    expect(scopeKindOf(['leader'])).toBe('all');
    expect(permissionsOf(['leader'])).not.toContain('org:manage');
    expect(permissionsOf(['auditor', 'leader'])).toEqual(expect.arrayContaining(['audit:read', 'dashboard:read']));
    expect(grantableRoles(['district_admin'])).not.toContain('city_admin');
    expect(grantableRoles(['city_admin'])).not.toContain('sys_admin');
  });
});

describe('audit chain hashing', () => {
  const row = {
    seq: 1,
    id: uuidv7(),
    at: '2026-01-01T00:00:00.000Z',
    actor_id: 'u',
    actor_name: 'admin',
    org_id: 'o',
    org_path: '650200/',
    request_id: 'r',
    ip: '127.0.0.1',
    action: 'org.create',
    entity_type: 'org',
    entity_id: 'e',
    changes: '{"name":[null,"x"]}',
    prev_hash: GENESIS_HASH,
  };
  it('is deterministic and changes with any field', () => {
    const h = chainHash(crypto, row);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(crypto, { ...row })).toBe(h);
    for (const k of Object.keys(row) as (keyof typeof row)[]) {
      const changed = { ...row, [k]: typeof row[k] === 'number' ? 2 : `${row[k]}x` };
      expect(chainHash(crypto, changed), k).not.toBe(h);
    }
  });
  it('depends on the key, so a database editor cannot re-chain', () => {
    const other = new SmCryptoProvider({ current: 'k1', keys: { k1: Buffer.alloc(32, 8).toString('base64') } });
    expect(chainHash(other, row)).not.toBe(chainHash(crypto, row));
  });
  it('keeps field order fixed in the canonical form', () => {
    expect(JSON.parse(canonicalRow(row))[0]).toBe(1);
    expect(JSON.parse(canonicalRow(row)).at(-1)).toBe(GENESIS_HASH);
  });
  it('diffs only changed fields and masks secrets', () => {
    expect(diffFields({ name: 'a', code: 'c', version: 1 }, { name: 'b', code: 'c', version: 2 })).toEqual({
      name: ['a', 'b'],
    });
    expect(diffFields({ password_hash: 'x' }, { password_hash: 'y' })).toEqual({ password_hash: ['***', '***'] });
  });
});

describe('field encryption (SM4-CTR + HMAC-SM3)', () => {
  it('round-trips and randomises the ciphertext', () => {
    const a = crypto.encrypt('65020319800101123X');
    expect(a).not.toContain('650203');
    expect(crypto.encrypt('65020319800101123X')).not.toBe(a);
    expect(crypto.decrypt(a)).toBe('65020319800101123X');
  });
  it('encrypts a batch as encrypt would: each value opens alone, null stays null, no IV twice', () => {
    const values = [
      '65020319800101123X',
      null,
      '',
      '新疆克拉玛依市白碱滩区中兴路十二号院三栋二单元',
      '13899990000',
      '65020319800101123X',
    ];
    const tokens = crypto.encryptMany(values);
    expect(tokens.map((t) => (t === null ? null : crypto.decrypt(t)))).toEqual(values);
    const ivs = tokens.flatMap((t) => (t ? [t.split('.')[2]] : []));
    expect(new Set(ivs).size).toBe(ivs.length);
    expect(tokens[5]).not.toBe(tokens[0]);
    expect(tokens[0]).not.toContain('650203');
  });
  it('carries a batch counter through all 16 bytes, as SM4-CTR steps it', () => {
    const batch = new SmCryptoProvider({ current: 'k1', keys: { k1: Buffer.alloc(32, 7).toString('base64') } });
    // a batch starting one block before the counter wraps: the second value's IV carries into every byte
    vi.spyOn(batch as unknown as { nextIv(): Buffer }, 'nextIv').mockReturnValue(Buffer.alloc(16, 0xff));
    const values = ['一二三四五六七八九十', '65020319800101123X', 'x'];
    const tokens = batch.encryptMany(values);
    // the first value takes two blocks: ff…ff + 2 wraps to 00…01
    expect(tokens[1]!.split('.')[2]).toBe(Buffer.from(`${'00'.repeat(15)}01`, 'hex').toString('base64url'));
    expect(tokens.map((t) => batch.decrypt(t!))).toEqual(values);
  });
  it('rejects a tampered ciphertext', () => {
    const parts = crypto.encrypt('secret').split('.');
    parts[3] = Buffer.from('SECRET').toString('base64url');
    expect(() => crypto.decrypt(parts.join('.'))).toThrow(/authentication/);
  });
  it('keeps blind indexes stable across key rotation', () => {
    const rotated = new SmCryptoProvider({
      current: 'k2',
      keys: { k1: Buffer.alloc(32, 7).toString('base64'), k2: Buffer.alloc(32, 9).toString('base64') },
    });
    expect(rotated.mac('id', 'x')).toBe(crypto.mac('id', 'x'));
    expect(rotated.decrypt(crypto.encrypt('old'))).toBe('old');
  });
});

describe('sealed files as a stream', () => {
  it('seals what streams through in the format encryptBytes writes', async () => {
    const { Readable } = await import('node:stream');
    const data = Buffer.alloc(300_000, 9);
    for (const pieces of [[data.subarray(0, 1), data.subarray(1, 70_000), data.subarray(70_000)], []]) {
      const out: Buffer[] = [];
      for await (const c of Readable.from(pieces).pipe(crypto.sealStream())) out.push(c as Buffer);
      const sealed = Buffer.concat(out);
      expect(crypto.decryptBytes(sealed)).toEqual(pieces.length ? data : Buffer.alloc(0));
      sealed[sealed.length - 40]! ^= 1;
      expect(() => crypto.decryptBytes(sealed)).toThrow('authentication');
    }
  });
  it('opens a sealed file as a stream: the same bytes, a changed file refused before any byte', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { SLICE } = await import('../src/platform/crypto/index.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-open-'));
    try {
      const file = path.join(dir, 'f');
      const read = async (stream: AsyncIterable<Buffer>) => {
        const out: Buffer[] = [];
        for await (const c of stream) out.push(c);
        return Buffer.concat(out);
      };
      const data = Buffer.from(Array.from({ length: 2 * SLICE + 1000 }, (_, i) => (i * 7) % 251));
      for (const clear of [data, Buffer.alloc(0)]) {
        fs.writeFileSync(file, crypto.encryptBytes(clear));
        const opened = await crypto.openFileStream(file);
        expect(opened.size).toBe(clear.length);
        expect(await read(opened.stream)).toEqual(clear);
      }
      const sealed = crypto.encryptBytes(data);
      sealed[sealed.length - 40]! ^= 1;
      fs.writeFileSync(file, sealed);
      await expect(crypto.openFileStream(file)).rejects.toThrow('authentication');
      // changed between the check and the reading: the stream ends with the error
      fs.writeFileSync(file, crypto.encryptBytes(data));
      const opened = await crypto.openFileStream(file);
      const fd = fs.openSync(file, 'r+');
      const byte = Buffer.alloc(1);
      fs.readSync(fd, byte, 0, 1, 100);
      byte[0]! ^= 1;
      fs.writeSync(fd, byte, 0, 1, 100);
      fs.closeSync(fd);
      await expect(read(opened.stream)).rejects.toThrow('authentication');
      // a clear file (from before sealing): refused, or with `clear` opened as it is
      fs.writeFileSync(file, data);
      await expect(crypto.openFileStream(file)).rejects.toThrow('not a sealed file');
      const asIs = await crypto.openFileStream(file, { clear: true });
      expect(asIs.size).toBe(data.length);
      expect(await read(asIs.stream)).toEqual(data);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('seals and opens a slice at a time, with turns between, in the format of encryptBytes', async () => {
    const { SLICE } = await import('../src/platform/crypto/index.js');
    const data = Buffer.from(Array.from({ length: 2 * SLICE + 1000 }, (_, i) => (i * 7) % 251));
    for (const clear of [data, data.subarray(0, SLICE), Buffer.alloc(0)]) {
      let turns = 0;
      const pause = async () => {
        turns++;
      };
      const sealed = await crypto.encryptBytesSliced(clear, pause);
      expect(turns).toBe(Math.max(0, Math.ceil(clear.length / SLICE) - 1));
      expect(crypto.decryptBytes(sealed)).toEqual(clear);
      turns = 0;
      expect(await crypto.decryptBytesSliced(crypto.encryptBytes(clear), pause)).toEqual(clear);
      // the MAC's slices, a turn, the deciphering's slices
      expect(turns).toBe(2 * Math.max(0, Math.ceil(clear.length / SLICE) - 1) + 1);
      const changed = Buffer.from(sealed);
      changed[changed.length - 40]! ^= 1;
      await expect(crypto.decryptBytesSliced(changed, pause)).rejects.toThrow('authentication');
    }
  });
});

describe('uuidv7', () => {
  it('is time-ordered and version 7', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(1000);
  });

  it('stays well-formed, ordered and unique across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => uuidv7());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // the first 48 bits are the time in ms
    const ms = Number.parseInt(ids.at(-1)!.replace('-', '').slice(0, 12), 16);
    expect(Math.abs(ms - Date.now())).toBeLessThan(60_000);
    // the random tail varies (not a stuck pool): many distinct last blocks
    expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(ids.length);
  });
});
