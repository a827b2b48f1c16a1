import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
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
