import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { setSealKey } from '../src/lib/seal';
import { type Draft, drafts } from '../src/modules/visits/drafts';

const draft = (clientKey: string, userId: string | undefined, savedAt: string): Draft => ({
  clientKey,
  userId,
  kind: 'create',
  targetName: '赵淑芬',
  body: {},
  photos: [{ id: `${clientKey}-p`, name: '慰问.jpg', type: 'image/jpeg', size: 3 }],
  savedAt,
  state: 'pending',
});

describe('visit drafts on a shared phone (drafts.ts)', () => {
  it('each user sees only their own drafts, oldest first; drafts of before users were recorded count for whoever opens the form', async () => {
    await drafts.put(draft('b', 'u1', '2026-01-10T09:00:00.000Z'), new Map([['b-p', new Blob(['jpg'])]]));
    await drafts.put(draft('a', 'u1', '2026-01-10T08:00:00.000Z'));
    await drafts.put(draft('c', 'u2', '2026-01-10T07:00:00.000Z'));
    await drafts.put(draft('old', undefined, '2026-01-09T07:00:00.000Z'));
    expect((await drafts.mine('u1')).map((d) => d.clientKey)).toEqual(['old', 'a', 'b']);
    expect((await drafts.mine('u2')).map((d) => d.clientKey)).toEqual(['old', 'c']);
    expect(await drafts.mine('u3')).toHaveLength(1);

    // discarding one removes its photos' Blobs with it, and nobody else's
    expect(await drafts.photo('b-p')).toBeDefined();
    await drafts.remove('b');
    expect(await drafts.photo('b-p')).toBeUndefined();
    expect((await drafts.mine('u2')).map((d) => d.clientKey)).toEqual(['old', 'c']);
  });
});

/** The raw record as IndexedDB holds it (what anyone with the phone could read). */
const raw = (store: 'drafts' | 'photos', key: string) =>
  new Promise<Record<string, unknown> | undefined>((resolve, reject) => {
    const req = indexedDB.open('sy-visits');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const get = req.result.transaction(store).objectStore(store).get(key);
      get.onsuccess = () => {
        req.result.close();
        resolve(get.result);
      };
    };
  });

describe('drafts sealed under their user’s key (lib/seal.ts, decisions/0017)', () => {
  const KEY_A = 'a1'.repeat(32);
  const KEY_B = 'b2'.repeat(32);
  afterEach(() => setSealKey(null));

  it('keeps the name and the visit only as ciphertext, opens them for the same user again after a logout, never for another', async () => {
    setSealKey('ua', KEY_A);
    const d = { ...draft('s1', 'ua', '2026-01-11T08:00:00.000Z'), body: { staff: ['张科长'], needs: '屋顶漏水' } };
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await drafts.put(d, new Map([['s1-p', new Blob([jpeg], { type: 'image/jpeg' })]]));

    const stored = await raw('drafts', 's1');
    expect(stored).toMatchObject({ clientKey: 's1', userId: 'ua', state: 'pending' });
    expect(stored).not.toHaveProperty('targetName');
    expect(stored).not.toHaveProperty('body');
    expect(JSON.stringify(stored)).not.toContain('屋顶漏水');
    const photo = await raw('photos', 's1-p');
    expect(photo).not.toHaveProperty('blob');
    const sealed = photo?.sealed as { data: ArrayBuffer } | undefined;
    expect(sealed?.data.byteLength).toBeGreaterThan(jpeg.length);
    expect(new Uint8Array(sealed?.data ?? new ArrayBuffer(0))).not.toEqual(jpeg);

    expect((await drafts.get('s1'))?.body).toEqual({ staff: ['张科长'], needs: '屋顶漏水' });
    expect(new Uint8Array(await (await drafts.photo('s1-p'))!.arrayBuffer())).toEqual(jpeg);

    // logged out: still on the phone, unreadable
    setSealKey(null);
    expect(await drafts.get('s1')).toBeUndefined();
    expect((await drafts.mine('ua')).map((x) => x.clientKey)).not.toContain('s1');
    expect(await drafts.photo('s1-p')).toBeUndefined();
    expect(await drafts.count()).toBeGreaterThanOrEqual(1);

    // another user (with another key) cannot open it either
    setSealKey('ub', KEY_B);
    expect((await drafts.all()).map((x) => x.clientKey)).not.toContain('s1');

    // the same user again: everything back, and sent as it was entered
    setSealKey('ua', KEY_A);
    const back = (await drafts.mine('ua')).find((x) => x.clientKey === 's1');
    expect(back).toMatchObject({ targetName: '赵淑芬', body: { staff: ['张科长'], needs: '屋顶漏水' } });
    expect((await drafts.photo('s1-p'))?.type).toBe('image/jpeg');
  });
});
