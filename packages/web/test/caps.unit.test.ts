import 'fake-indexeddb/auto';
import type { VisitCaps } from '@shuangyong/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { capWarnings } from '../src/lib/caps';
import { loadKept, offlineCache } from '../src/lib/offline';

const DAY = 24 * 3600_000;
const caps: VisitCaps = {
  campaignId: 'c1',
  cashPerVisitWarnFen: 50_000,
  cashPerVisitMaxFen: 100_000,
  goodsPerVisitWarnFen: null,
  goodsPerVisitMaxFen: 30_000,
  cashPerTargetMaxFen: 150_000,
  goodsPerTargetMaxFen: null,
  version: 1,
  inherited: false,
};
const fresh = { cashFen: 0, goodsFen: 0, visitCount: 0 };

beforeEach(() => offlineCache.wipe());

describe('the visit caps offline (lib/caps.ts, lib/offline.ts loadKept)', () => {
  it('keeps the caps when online and serves them, with their age, when the server cannot be reached', async () => {
    const t0 = Date.UTC(2026, 0, 10, 8);
    const online = await loadKept('u1', 'visit-caps:c1', async () => caps, t0);
    expect(online).toEqual({ value: caps, savedAt: null });
    const offline = () => Promise.reject(new Error('offline'));
    expect(await loadKept('u1', 'visit-caps:c1', offline, t0 + 2 * 3600_000)).toEqual({ value: caps, savedAt: t0 });
    // another user on the same phone gets nothing of it; nor anyone after the limit
    expect(await loadKept('u2', 'visit-caps:c1', offline, t0)).toBeNull();
    expect(await loadKept('u1', 'visit-caps:c1', offline, t0 + 7 * DAY + 1)).toBeNull();
  });

  it('warns as the server does: per visit, over the per-target total, repeat visits', () => {
    expect(capWarnings(caps, fresh, { cashFen: 50_000, goodsFen: 0 })).toEqual([]);
    expect(capWarnings(caps, fresh, { cashFen: 60_000, goodsFen: 0 })).toEqual([
      { code: 'cashVisitWarn', level: 'warning', message: '本次慰问金 600 元，超过提醒标准 500 元' },
    ]);
    expect(capWarnings(caps, fresh, { cashFen: 120_050, goodsFen: 40_000 }).map((w) => [w.code, w.level])).toEqual([
      ['cashVisitMax', 'approval'],
      ['goodsVisitMax', 'approval'],
    ]);
    const visited = { cashFen: 100_000, goodsFen: 0, visitCount: 1 };
    const second = capWarnings(caps, visited, { cashFen: 60_000, goodsFen: 0 });
    expect(second.map((w) => w.code)).toEqual(['cashVisitWarn', 'cashTargetMax', 'repeat']);
    expect(second[1]?.message).toBe('该对象本次工作部署累计慰问金 1600 元，超过上限 1500 元，需上级审批');
    // no caps kept: only the repeat warning, which needs none
    expect(capWarnings(null, visited, { cashFen: 999_999, goodsFen: 0 }).map((w) => w.code)).toEqual(['repeat']);
  });
});
