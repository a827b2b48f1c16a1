import type { VisitCampaign } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { defaultCampaign } from '../src/api/visits';

const campaign = (
  id: string,
  periodStart: string | null,
  periodEnd: string | null,
  status: VisitCampaign['status'] = 'issued',
): VisitCampaign => ({
  id,
  title: id,
  kind: 'other',
  status,
  orgName: '克拉玛依市退役军人事务局',
  issueDate: null,
  periodStart,
  periodEnd,
  createdAt: '2026-11-01T00:00:00.000Z',
});

describe('the campaign the visit pages open on', () => {
  // newest first, as the server lists them
  const items = [
    campaign('newest-next-year', '2027-06-01', '2027-08-10'),
    campaign('closed-running', '2026-11-01', '2026-12-10', 'closed'),
    campaign('spring-running', '2026-12-01', '2027-02-28'),
    campaign('winter-running-sooner', '2026-11-15', '2026-12-31'),
    campaign('old', '2025-12-01', '2026-02-28'),
  ];

  it('is the current one (issued, running today) with the nearest deadline, not the newest', () => {
    expect(defaultCampaign(items, null, '2026-12-02')?.id).toBe('winter-running-sooner');
    expect(defaultCampaign(items, null, '2027-01-05')?.id).toBe('spring-running');
  });

  it('is the next to start when none runs, the newest open one after that; a remembered choice wins', () => {
    expect(defaultCampaign(items, null, '2027-04-01')?.id).toBe('newest-next-year');
    expect(defaultCampaign(items, null, '2028-01-01')?.id).toBe('newest-next-year');
    expect(defaultCampaign(items, 'old', '2026-12-02')?.id).toBe('old');
    expect(defaultCampaign(items, 'gone', '2026-12-02')?.id).toBe('winter-running-sooner');
    expect(defaultCampaign([], null, '2026-12-02')).toBeNull();
  });
});
