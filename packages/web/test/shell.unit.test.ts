import { PERMISSIONS, permissionsOf, scopeKindOf } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { isGroup, locate, NAV, PAGES, visibleNav } from '../src/app/nav-model';
import { ageOn } from '../src/lib/age';
import { tiedRanks } from '../src/lib/rank';

const viewer = (role: Parameters<typeof permissionsOf>[0][number]) => ({
  permissions: permissionsOf([role]),
  scope: scopeKindOf([role]),
});
const labels = (v: ReturnType<typeof viewer>) =>
  visibleNav(v).map((e) => (isGroup(e) ? `${e.group}:${e.items.map((i) => i.path).join(',')}` : e.path));

describe('the grouped menu', () => {
  it('groups the pages as the admin systems people know, and hides what a role cannot use', () => {
    expect(labels({ permissions: [...PERMISSIONS], scope: 'all' })).toEqual([
      '/',
      '/cockpit',
      'registry:/beneficiaries,/transfers,/households,/citations',
      'benefits:/benefits,/benefit-confirmations',
      'campaigns:/campaigns,/campaign-tasks',
      'visits:/visits,/visits/record,/visits/coverage,/visit-money',
      'needs:/needs,/needs-inbox,/need-stats',
      'atmosphere:/publicity,/events,/exemplars,/model-city',
      'troops:/troops,/troop-partnerships,/troop-emergencies,/troop-stats',
      'system:/orgs,/users,/audit',
      '/notifications',
      '/account',
    ]);
    // a leader reads: no 登记走访, no registry; the needs and their statistics (issue 18)
    expect(labels(viewer('leader'))).toEqual([
      '/',
      '/cockpit',
      'campaigns:/campaigns',
      'visits:/visits,/visits/coverage,/visit-money',
      'needs:/needs,/need-stats',
      'atmosphere:/publicity,/events,/exemplars,/model-city',
      'troops:/troops,/troop-partnerships,/troop-emergencies,/troop-stats',
      'system:/orgs',
      '/notifications',
      '/account',
    ]);
    // a unit's liaison has no 走访慰问 to do (no dead end), its needs and tasks instead
    expect(labels(viewer('unit_liaison'))).toEqual([
      '/',
      'campaigns:/campaigns,/campaign-tasks',
      'needs:/needs,/need-stats',
      'atmosphere:/publicity,/events,/exemplars,/model-city',
      'troops:/troops,/troop-partnerships,/troop-emergencies,/troop-stats',
      'system:/orgs',
      '/notifications',
      '/account',
    ]);
  });

  it('names every menu entry and page once', () => {
    const paths = NAV.flatMap((e) => (isGroup(e) ? e.items.map((i) => i.path) : [e.path]));
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of PAGES) expect(paths.includes(p.parent) || PAGES.some((q) => q.pattern === p.parent)).toBe(true);
  });
});

describe('breadcrumbs and the selected menu item', () => {
  it('leads from the group down to the page, with links above it', () => {
    expect(locate('/beneficiaries/0190/edit')).toEqual({
      menuKey: '/beneficiaries',
      crumbs: [
        { label: 'nav.group.registry' },
        { label: 'nav.beneficiaries', to: '/beneficiaries' },
        { label: 'crumb.detail', to: '/beneficiaries/0190' },
        { label: 'crumb.edit' },
      ],
    });
    expect(locate('/visits/plans/abc')).toEqual({
      menuKey: '/visits',
      crumbs: [{ label: 'nav.group.visits' }, { label: 'web.visits.plans', to: '/visits' }, { label: 'crumb.plan' }],
    });
    expect(locate('/assignments/x').menuKey).toBe('/campaign-tasks');
    expect(locate('/benefit-confirmations')).toEqual({
      menuKey: '/benefit-confirmations',
      crumbs: [{ label: 'nav.group.benefits' }, { label: 'nav.benefitConfirmations' }],
    });
    expect(locate('/visits/record')).toEqual({
      menuKey: '/visits/record',
      crumbs: [{ label: 'nav.group.visits' }, { label: 'web.visits.record' }],
    });
    expect(locate('/beneficiaries/new').crumbs.at(-1)).toEqual({ label: 'crumb.new' });
    expect(locate('/')).toEqual({ menuKey: '/', crumbs: [{ label: 'nav.home' }] });
    expect(locate('/nowhere')).toEqual({ menuKey: null, crumbs: [] });
  });
});

describe('ranks and ages as tables show them', () => {
  it('finds tied ranks (competition ranking 1, 1, 3)', () => {
    expect([...tiedRanks([{ rank: 1 }, { rank: 1 }, { rank: 3 }, { rank: 4 }, { rank: 4 }])]).toEqual([1, 4]);
    expect(tiedRanks([{ rank: 1 }, { rank: 2 }]).size).toBe(0);
  });

  it('counts full years of age, not birth dates', () => {
    expect(ageOn('1940-02-02', '2025-02-01')).toBe(84);
    expect(ageOn('1940-02-02', '2025-02-02')).toBe(85);
    expect(ageOn('1944-02-29', '2025-03-01')).toBe(81);
    expect(ageOn(null, '2025-02-02')).toBeNull();
  });
});
