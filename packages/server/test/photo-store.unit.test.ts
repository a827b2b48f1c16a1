/**
 * storeCheckedPhoto and removeStoredPhoto (platform/files/upload.ts), the steps every photo upload shares: which
 * callbacks run in which order, when the file is written, and that the files are gone whenever
 * nothing was stored. The database is a stand-in whose transaction runs the callback once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../src/platform/db/index.js';
import { type CheckedPhoto, removeStoredPhoto, sha256Hex, storeCheckedPhoto } from '../src/platform/files/upload.js';

const db = { transaction: () => ({ execute: (fn: (trx: Tx) => Promise<unknown>) => fn({} as Tx) }) } as unknown as Db;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'photo-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function photo(over: Partial<CheckedPhoto<string, { id: string }>> = {}) {
  const steps: string[] = [];
  const data = Buffer.from('stripped bytes');
  const file = path.join(dir, 'sub', 'p1.img');
  const p: CheckedPhoto<string, { id: string }> = {
    sha256: sha256Hex(data),
    data,
    files: [file, path.join(dir, 'sub', 'p1.thumb')],
    max: 2,
    tooMany: () => new Error('too many'),
    parent: async () => {
      steps.push('parent');
      return 'visit-1';
    },
    kept: async (_trx, parent) => {
      steps.push(`kept ${parent}`);
      return undefined;
    },
    count: async () => {
      steps.push('count');
      return 1;
    },
    insert: async (_trx, parent) => {
      steps.push(`insert ${parent}`);
      expect(fs.existsSync(file)).toBe(false); // the file follows the row and its audit entry
    },
    ...over,
  };
  return { p, steps, file, data };
}

describe('storeCheckedPhoto', () => {
  it('reads the parent, checks for the same bytes and the count, inserts, then writes the file', async () => {
    const { p, steps, file, data } = photo();
    expect(await storeCheckedPhoto(db, p)).toEqual({ created: true });
    expect(steps).toEqual(['parent', 'kept visit-1', 'count', 'insert visit-1']);
    expect(fs.readFileSync(file)).toEqual(data);
  });

  it('answers the photo already kept and stores nothing, removing files the caller wrote', async () => {
    const { p, steps, file } = photo({ data: undefined, kept: async () => ({ id: 'old' }) });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'written before');
    fs.writeFileSync(p.files[1]!, 'thumbnail');
    expect(await storeCheckedPhoto(db, p)).toEqual({ created: false, kept: { id: 'old' } });
    expect(steps).toEqual(['parent']);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(p.files[1]!)).toBe(false);
  });

  it('refuses a photo over the limit before inserting', async () => {
    const { p, steps, file } = photo({ count: async () => 2 });
    await expect(storeCheckedPhoto(db, p)).rejects.toThrow('too many');
    expect(steps).toEqual(['parent', 'kept visit-1']);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('removes the files when the transaction fails after the file was written', async () => {
    const failing = {
      transaction: () => ({
        execute: async (fn: (trx: Tx) => Promise<unknown>) => {
          await fn({} as Tx);
          throw new Error('commit failed');
        },
      }),
    } as unknown as Db;
    const { p, file } = photo();
    await expect(storeCheckedPhoto(failing, p)).rejects.toThrow('commit failed');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('stores every upload when the module keeps no retry check', async () => {
    const { p, steps } = photo({ kept: undefined });
    expect(await storeCheckedPhoto(db, p)).toEqual({ created: true });
    expect(steps).toEqual(['parent', 'count', 'insert visit-1']);
  });
});

describe('removeStoredPhoto', () => {
  function stored(has: boolean) {
    const steps: string[] = [];
    const file = path.join(dir, 'p2.img');
    fs.writeFileSync(file, 'kept');
    const p = {
      files: [file],
      parent: async () => {
        steps.push('parent');
        return 'item-1';
      },
      has: async (_trx: Tx, parent: string) => {
        steps.push(`has ${parent}`);
        return has;
      },
      notFound: () => new Error('photo not found'),
      remove: async (_trx: Tx, parent: string) => {
        steps.push(`remove ${parent}`);
        expect(fs.existsSync(file)).toBe(true); // the file goes after the commit
      },
    };
    return { p, steps, file };
  }

  it("deletes the row in the parent's transaction, then the file", async () => {
    const { p, steps, file } = stored(true);
    await removeStoredPhoto(db, p);
    expect(steps).toEqual(['parent', 'has item-1', 'remove item-1']);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('answers not found for a photo of another parent and keeps every file', async () => {
    const { p, steps, file } = stored(false);
    await expect(removeStoredPhoto(db, p)).rejects.toThrow('photo not found');
    expect(steps).toEqual(['parent', 'has item-1']);
    expect(fs.existsSync(file)).toBe(true);
  });
});
