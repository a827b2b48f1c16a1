import 'fake-indexeddb/auto';
import type { Me } from '@shuangyong/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_OFFLINE_DAYS, offlineCache, offlineMaxAgeMs, setOfflineMaxAgeDays } from '../src/lib/offline';

const DAY = 24 * 3600_000;
const me = (id: string, offlineCacheDays = 7) =>
  ({
    user: { id, username: id },
    csrfToken: 'secret-token',
    timeZone: 'Asia/Shanghai',
    offlineCacheDays,
  }) as unknown as Me;

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

  it('forgets what is older than the limit (7 days by default), and removes it', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    expect(DEFAULT_OFFLINE_DAYS).toBe(7);
    expect(offlineMaxAgeMs()).toBe(7 * DAY);
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

  it('serves nothing older than the days the server set (offline.cacheDays)', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    setOfflineMaxAgeDays(3);
    await offlineCache.remember('u1', 'visit-targets:c1', [{ name: '赵淑芬' }], t0);
    expect((await offlineCache.recall('u1', 'visit-targets:c1', t0 + 3 * DAY))?.value).toEqual([{ name: '赵淑芬' }]);
    expect(await offlineCache.recall('u1', 'visit-targets:c1', t0 + 3 * DAY + 1)).toBeNull();

    // kept under a longer limit, then the administrator shortens it: the shorter one wins
    setOfflineMaxAgeDays(10);
    await offlineCache.remember('u1', 'visit-campaigns', ['c1'], t0);
    expect((await offlineCache.recall('u1', 'visit-campaigns', t0 + 9 * DAY))?.value).toEqual(['c1']);
    setOfflineMaxAgeDays(2);
    expect(await offlineCache.recall('u1', 'visit-campaigns', t0 + 2 * DAY + 1)).toBeNull();
  });

  it('boots offline from a profile kept under its own limit, before any limit is known', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    setOfflineMaxAgeDays(20);
    await offlineCache.rememberProfile(me('u1', 20), t0);
    // a fresh start of the app: the server's limit is not known yet, the profile's own applies
    setOfflineMaxAgeDays(null);
    expect((await offlineCache.recallProfile(t0 + 15 * DAY))?.offlineCacheDays).toBe(20);
    expect(await offlineCache.recallProfile(t0 + 20 * DAY + 1)).toBeNull();
  });
});
