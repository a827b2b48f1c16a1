import 'fake-indexeddb/auto';
import type { Me } from '@shuangyong/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_MAX_AGE_MS, offlineCache } from '../src/lib/offline';

const DAY = 24 * 3600_000;
const me = (id: string) =>
  ({ user: { id, username: id }, csrfToken: 'secret-token', timeZone: 'Asia/Shanghai' }) as unknown as Me;

beforeEach(() => offlineCache.wipe());

describe('what the field app keeps on the phone (lib/offline.ts)', () => {
  it('keeps each user’s lists apart, with the time they were fetched', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    await offlineCache.remember('u1', 'visit-targets:c1', [{ name: '赵淑芬' }], t0);
    await offlineCache.remember('u2', 'visit-targets:c1', [{ name: '王秀兰' }], t0 + 1000);
    expect(await offlineCache.recall('u1', 'visit-targets:c1', t0 + 2 * 3600_000)).toEqual({
      value: [{ name: '赵淑芬' }],
      savedAt: t0,
    });
    expect((await offlineCache.recall('u2', 'visit-targets:c1', t0))?.value).toEqual([{ name: '王秀兰' }]);
    expect(await offlineCache.recall('u1', 'visit-targets:c2', t0)).toBeNull();
  });

  it('forgets what is older than the limit (7 days), and removes it', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    expect(OFFLINE_MAX_AGE_MS).toBe(7 * DAY);
    await offlineCache.remember('u1', 'visit-campaigns', ['c1'], t0);
    expect((await offlineCache.recall('u1', 'visit-campaigns', t0 + 7 * DAY))?.value).toEqual(['c1']);
    expect(await offlineCache.recall('u1', 'visit-campaigns', t0 + 7 * DAY + 1)).toBeNull();
    // gone for good, even if the clock is set back
    expect(await offlineCache.recall('u1', 'visit-campaigns', t0)).toBeNull();
  });

  it('keeps the profile to boot from without the CSRF token, and wipes everything at once', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    await offlineCache.rememberProfile(me('u1'), t0);
    await offlineCache.remember('u1', 'visit-campaigns', ['c1'], t0);
    const kept = await offlineCache.recallProfile(t0 + DAY);
    expect(kept?.user.id).toBe('u1');
    expect(kept?.csrfToken).toBe('');
    expect(await offlineCache.recallProfile(t0 + 8 * DAY)).toBeNull();

    await offlineCache.rememberProfile(me('u1'), t0);
    await offlineCache.wipe();
    expect(await offlineCache.recallProfile(t0)).toBeNull();
    expect(await offlineCache.recall('u1', 'visit-campaigns', t0)).toBeNull();
  });
});
