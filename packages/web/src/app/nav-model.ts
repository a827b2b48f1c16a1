import type { MessageKey, Permission } from '@shuangyong/shared';
import { matchPath } from 'react-router-dom';

/**
 * The menu and the breadcrumbs as data (no JSX): a module adds its pages by adding entries here —
 * a new group of the menu is one more entry of NAV, a new page one more entry of PAGES.
 */

/** Who may see an entry: any one of the permissions; `unless` hides it for people it would only frustrate. */
export interface Visibility {
  permission?: Permission | readonly Permission[];
  /** Data scopes the entry is hidden for (e.g. a unit's liaison has nothing to do in 走访慰问). */
  hiddenForScopes?: readonly ('all' | 'subtree' | 'org' | 'own')[];
}

export interface NavItem extends Visibility {
  path: string;
  label: MessageKey;
  /** Key of the icon (navigation.tsx maps it). */
  icon: string;
}

export interface NavGroup {
  group: string;
  label: MessageKey;
  icon: string;
  items: readonly NavItem[];
}

export type NavEntry = NavItem | NavGroup;

export const isGroup = (e: NavEntry): e is NavGroup => 'group' in e;

/** 走访慰问 is work of the civilian side's districts, streets and communities (and read by the city's leaders). */
const VISITS: Visibility = { permission: 'visit:read', hiddenForScopes: ['org', 'own'] };

/** The menu, grouped as Ant Design Pro layouts group it. */
export const NAV: readonly NavEntry[] = [
  { path: '/', label: 'nav.home', icon: 'home' },
  // 领导驾驶舱: the city-wide view (city staff, the 军分区, leaders); districts read their part through the API
  {
    path: '/cockpit',
    label: 'nav.cockpit',
    icon: 'chart',
    permission: 'dashboard:read',
    hiddenForScopes: ['subtree', 'org', 'own'],
  },
  {
    group: 'registry',
    label: 'nav.group.registry',
    icon: 'idcard',
    items: [
      { path: '/beneficiaries', label: 'nav.beneficiaries', icon: 'idcard', permission: 'beneficiary:read' },
      { path: '/transfers', label: 'nav.transfers', icon: 'swap', permission: 'beneficiary:read' },
      {
        path: '/households',
        label: 'nav.households',
        icon: 'trophy',
        permission: ['honor:manage', 'beneficiary:read'],
      },
      { path: '/citations', label: 'nav.citations', icon: 'notification', permission: 'beneficiary:read' },
    ],
  },
  {
    group: 'benefits',
    label: 'nav.group.benefits',
    icon: 'money',
    items: [
      { path: '/benefits', label: 'nav.benefits', icon: 'money', permission: 'benefit:read' },
      { path: '/benefit-confirmations', label: 'nav.benefitConfirmations', icon: 'check', permission: 'benefit:read' },
    ],
  },
  {
    group: 'campaigns',
    label: 'nav.group.campaigns',
    icon: 'flag',
    items: [
      { path: '/campaigns', label: 'nav.campaigns', icon: 'flag', permission: 'campaign:read' },
      {
        path: '/campaign-tasks',
        label: 'nav.campaignTasks',
        icon: 'check',
        permission: ['campaign:report', 'campaign:manage'],
      },
    ],
  },
  {
    group: 'visits',
    label: 'nav.group.visits',
    icon: 'gift',
    items: [
      { path: '/visits', label: 'web.visits.plans', icon: 'gift', ...VISITS },
      {
        path: '/visits/record',
        label: 'web.visits.record',
        icon: 'form',
        permission: 'visit:write',
        hiddenForScopes: VISITS.hiddenForScopes,
      },
      { path: '/visits/coverage', label: 'web.visits.coverage', icon: 'chart', ...VISITS },
      { path: '/visit-money', label: 'web.visits.money.menu', icon: 'money', ...VISITS },
    ],
  },
  {
    group: 'needs',
    label: 'nav.group.needs',
    icon: 'service',
    items: [
      { path: '/needs', label: 'nav.needs', icon: 'service', permission: 'need:read' },
      { path: '/needs-inbox', label: 'nav.needsInbox', icon: 'inbox', permission: 'need:handle' },
      { path: '/need-stats', label: 'nav.needStats', icon: 'chart', permission: 'need:read' },
    ],
  },
  {
    group: 'atmosphere',
    label: 'nav.group.atmosphere',
    icon: 'flag',
    items: [
      { path: '/publicity', label: 'nav.publicity', icon: 'form', permission: 'publicity:read' },
      { path: '/events', label: 'nav.events', icon: 'flag', permission: 'publicity:read' },
      { path: '/exemplars', label: 'nav.exemplars', icon: 'trophy', permission: 'publicity:read' },
      { path: '/model-city', label: 'nav.modelcity', icon: 'trophy', permission: 'modelcity:read' },
    ],
  },
  {
    group: 'troops',
    label: 'nav.group.troops',
    icon: 'team',
    // recording (/troops/new) is the military side's: the list offers it to them only
    items: [
      { path: '/troops', label: 'nav.troopActivities', icon: 'flag', permission: 'troops:read' },
      { path: '/troop-partnerships', label: 'nav.troopPartnerships', icon: 'team', permission: 'troops:read' },
      { path: '/troop-emergencies', label: 'nav.troopEmergencies', icon: 'service', permission: 'troops:read' },
      { path: '/troop-stats', label: 'nav.troopStats', icon: 'chart', permission: 'troops:read' },
    ],
  },
  {
    group: 'system',
    label: 'nav.group.system',
    icon: 'setting',
    items: [
      { path: '/orgs', label: 'nav.orgs', icon: 'apartment', permission: 'org:read' },
      { path: '/users', label: 'nav.users', icon: 'team', permission: 'user:read' },
      { path: '/audit', label: 'nav.audit', icon: 'audit', permission: 'audit:read' },
    ],
  },
  { path: '/notifications', label: 'nav.notifications', icon: 'bell' },
  { path: '/account', label: 'nav.account', icon: 'user' },
];

/** Pages below the menu's entries: their breadcrumb label and the page they belong to. */
export const PAGES: readonly { pattern: string; label: MessageKey; parent: string }[] = [
  { pattern: '/beneficiaries/new', label: 'crumb.new', parent: '/beneficiaries' },
  { pattern: '/beneficiaries/import', label: 'crumb.import', parent: '/beneficiaries' },
  { pattern: '/beneficiaries/:id', label: 'crumb.detail', parent: '/beneficiaries' },
  { pattern: '/beneficiaries/:id/edit', label: 'crumb.edit', parent: '/beneficiaries/:id' },
  { pattern: '/households/:id', label: 'crumb.household', parent: '/households' },
  { pattern: '/campaigns/new', label: 'crumb.newCampaign', parent: '/campaigns' },
  { pattern: '/campaigns/:id', label: 'crumb.detail', parent: '/campaigns' },
  { pattern: '/campaigns/:id/dashboard', label: 'crumb.dashboard', parent: '/campaigns/:id' },
  { pattern: '/assignments/:id', label: 'crumb.assignment', parent: '/campaign-tasks' },
  { pattern: '/visits/plans/:id', label: 'crumb.plan', parent: '/visits' },
  { pattern: '/needs/new', label: 'crumb.newNeed', parent: '/needs' },
  { pattern: '/needs/:id', label: 'crumb.detail', parent: '/needs' },
  { pattern: '/publicity/new', label: 'crumb.newPublicity', parent: '/publicity' },
  { pattern: '/exemplars/new', label: 'crumb.newExemplar', parent: '/exemplars' },
  { pattern: '/exemplars/:id', label: 'crumb.detail', parent: '/exemplars' },
  { pattern: '/publicity/:id', label: 'crumb.detail', parent: '/publicity' },
  { pattern: '/events/new', label: 'crumb.newEvent', parent: '/events' },
  { pattern: '/events/:id', label: 'crumb.detail', parent: '/events' },
  { pattern: '/troops/new', label: 'nav.troopRecord', parent: '/troops' },
  { pattern: '/troops/:id', label: 'crumb.troopActivity', parent: '/troops' },
  { pattern: '/troop-emergencies/new', label: 'crumb.troopEmergencyNew', parent: '/troop-emergencies' },
  { pattern: '/troop-emergencies/:id', label: 'crumb.troopEmergency', parent: '/troop-emergencies' },
  { pattern: '/troop-partnerships/:id', label: 'crumb.troopPartnership', parent: '/troop-partnerships' },
];

export interface Viewer {
  permissions: readonly Permission[];
  scope: 'all' | 'subtree' | 'org' | 'own';
}

export function visible(v: Visibility, viewer: Viewer): boolean {
  const p = v.permission;
  const allowed =
    !p || (typeof p === 'string' ? viewer.permissions.includes(p) : p.some((x) => viewer.permissions.includes(x)));
  return allowed && !v.hiddenForScopes?.includes(viewer.scope);
}

/** The menu as this viewer sees it: hidden items dropped, empty groups dropped. */
export function visibleNav(viewer: Viewer): NavEntry[] {
  const out: NavEntry[] = [];
  for (const e of NAV) {
    if (!isGroup(e)) {
      if (visible(e, viewer)) out.push(e);
      continue;
    }
    const items = e.items.filter((i) => visible(i, viewer));
    if (items.length) out.push({ ...e, items });
  }
  return out;
}

/** Every menu item with its group (null at the top level). */
function menuItems(): { item: NavItem; group: NavGroup | null }[] {
  return NAV.flatMap((e): { item: NavItem; group: NavGroup | null }[] =>
    isGroup(e) ? e.items.map((item) => ({ item, group: e })) : [{ item: e, group: null }],
  );
}

export interface Crumb {
  label: MessageKey;
  /** Where the crumb leads; none for a group and for the page itself. */
  to?: string;
}

/** Fills `:param` segments of a pattern from the params of the current page. */
function fill(pattern: string, params: Record<string, string | undefined>): string {
  return pattern.replace(/:(\w+)/g, (m, name: string) => params[name] ?? m);
}

/**
 * Where a location sits: the menu item it belongs to (for the menu's selection) and the
 * breadcrumbs from the menu group down to the page.
 */
export function locate(pathname: string): { menuKey: string | null; crumbs: Crumb[] } {
  const items = menuItems();
  const chain: { label: MessageKey; path: string }[] = [];
  let params: Record<string, string | undefined> = {};
  let current: string | null = null;
  const page = PAGES.find((p) => matchPath(p.pattern, pathname));
  if (page) {
    params = matchPath(page.pattern, pathname)?.params ?? {};
    chain.unshift({ label: page.label, path: fill(page.pattern, params) });
    current = page.parent;
    for (let guard = 0; current && guard < 10; guard++) {
      const parentPage = PAGES.find((p) => p.pattern === current);
      if (!parentPage) break;
      chain.unshift({ label: parentPage.label, path: fill(parentPage.pattern, params) });
      current = parentPage.parent;
    }
  } else {
    current = pathname.replace(/\/+$/, '') || '/';
  }
  const hit = items.find((x) => x.item.path === current);
  if (!hit) return { menuKey: null, crumbs: chain.map((c) => ({ label: c.label })) };
  chain.unshift({ label: hit.item.label, path: hit.item.path });
  const crumbs: Crumb[] = chain.map((c, i) =>
    i < chain.length - 1 ? { label: c.label, to: c.path } : { label: c.label },
  );
  if (hit.group) crumbs.unshift({ label: hit.group.label });
  return { menuKey: hit.item.path, crumbs };
}
