/**
 * Permission codes — the one enum every route and menu item refers to.
 * Later modules add their codes here.
 */
export const PERMISSIONS = [
  'org:read',
  'org:manage',
  'user:read',
  'user:manage',
  'audit:read',
  'dashboard:read',
  'settings:manage',
  'beneficiary:read',
  'beneficiary:write',
  'beneficiary:reveal',
  'beneficiary:import',
  'beneficiary:export',
  'honor:manage',
  'need:read',
  'need:create',
  'need:triage',
  'need:handle',
  'campaign:read',
  'campaign:manage',
  'campaign:report',
  'visit:read',
  'visit:write',
  'visit:approve',
  'publicity:read',
  'publicity:write',
  'publicity:review',
  'publicity:rules',
  'modelcity:read',
  'modelcity:write',
  'benefit:read',
  'benefit:pay',
  'benefit:approve',
  'benefit:standards',
  'troops:read',
  'troops:write',
  'troops:manage',
  'troops:request',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Data scope of a role:
 * - all: every record;
 * - subtree: records owned by the user's org and the orgs below it;
 * - org: records owned by the user's own org only;
 * - own: records the user created.
 */
export const DATA_SCOPES = ['all', 'subtree', 'org', 'own'] as const;
export type DataScopeKind = (typeof DATA_SCOPES)[number];

export const ROLES = [
  'sys_admin',
  'city_admin',
  'city_staff',
  'district_admin',
  'district_staff',
  'station_worker',
  'unit_liaison',
  'department_handler',
  'auditor',
  'leader',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleDefinition {
  permissions: readonly Permission[];
  scope: DataScopeKind;
  /** Roles a holder of this role may grant to others (within their own scope). */
  grants: readonly Role[];
  /** Administrators must use a second factor outside demo mode. */
  requiresTotp: boolean;
}

const LOCAL_ROLES: readonly Role[] = ['district_admin', 'district_staff', 'station_worker'];
const REGISTRY_FULL: readonly Permission[] = [
  'beneficiary:read',
  'beneficiary:write',
  'beneficiary:reveal',
  'beneficiary:import',
  'beneficiary:export',
  'honor:manage',
];

export const ROLE_DEFINITIONS: Record<Role, RoleDefinition> = {
  sys_admin: { permissions: PERMISSIONS, scope: 'all', grants: ROLES, requiresTotp: true },
  city_admin: {
    permissions: [
      'org:read',
      'org:manage',
      'user:read',
      'user:manage',
      'dashboard:read',
      ...REGISTRY_FULL,
      'need:read',
      'need:create',
      'need:triage',
      'campaign:read',
      'campaign:manage',
      'visit:read',
      'visit:write',
      'visit:approve',
      'publicity:read',
      'publicity:write',
      'publicity:review',
      'publicity:rules',
      'modelcity:read',
      'modelcity:write',
      'benefit:read',
      'benefit:pay',
      'benefit:approve',
      'benefit:standards',
      'troops:read',
      'troops:request',
    ],
    scope: 'all',
    grants: ROLES.filter((r) => r !== 'sys_admin'),
    requiresTotp: true,
  },
  city_staff: {
    permissions: [
      'org:read',
      'user:read',
      'dashboard:read',
      'beneficiary:read',
      'beneficiary:export',
      'need:read',
      'need:create',
      'need:triage',
      'campaign:read',
      'campaign:manage',
      'visit:read',
      'visit:write',
      'visit:approve',
      'publicity:read',
      'publicity:write',
      'publicity:review',
      'publicity:rules',
      'modelcity:read',
      'modelcity:write',
      'benefit:read',
      'benefit:pay',
      'benefit:approve',
      'benefit:standards',
      'troops:read',
      'troops:write',
      'troops:manage',
      'troops:request',
    ],
    scope: 'all',
    grants: [],
    requiresTotp: false,
  },
  district_admin: {
    permissions: [
      'org:read',
      'org:manage',
      'user:read',
      'user:manage',
      'dashboard:read',
      ...REGISTRY_FULL,
      'need:read',
      'need:create',
      'campaign:read',
      'campaign:report',
      'visit:read',
      'visit:write',
      'visit:approve',
      'publicity:read',
      'publicity:write',
      'publicity:review',
      'modelcity:read',
      'modelcity:write',
      'benefit:read',
      'benefit:pay',
      'benefit:approve',
      'troops:read',
      'troops:request',
    ],
    scope: 'subtree',
    grants: LOCAL_ROLES,
    requiresTotp: false,
  },
  district_staff: {
    permissions: [
      'org:read',
      'user:read',
      'dashboard:read',
      ...REGISTRY_FULL,
      'need:read',
      'need:create',
      'campaign:read',
      'campaign:report',
      'visit:read',
      'visit:write',
      'publicity:read',
      'publicity:write',
      'modelcity:read',
      'modelcity:write',
      'benefit:read',
      'benefit:pay',
      'troops:read',
      'troops:request',
    ],
    scope: 'subtree',
    grants: [],
    requiresTotp: false,
  },
  station_worker: {
    permissions: [
      'org:read',
      'beneficiary:read',
      'beneficiary:write',
      'honor:manage',
      'need:read',
      'need:create',
      'visit:read',
      'visit:write',
      'troops:read',
    ],
    scope: 'subtree',
    grants: [],
    requiresTotp: false,
  },
  unit_liaison: {
    permissions: [
      'org:read',
      'need:read',
      'need:create',
      'campaign:read',
      'campaign:report',
      'visit:read',
      'publicity:read',
      'publicity:write',
      'modelcity:read',
      'modelcity:write',
      'troops:read',
      'troops:write',
    ],
    scope: 'org',
    grants: [],
    requiresTotp: false,
  },
  department_handler: {
    permissions: [
      'org:read',
      'need:read',
      'need:handle',
      'campaign:read',
      'campaign:report',
      'modelcity:read',
      'modelcity:write',
    ],
    scope: 'org',
    grants: [],
    requiresTotp: false,
  },
  auditor: { permissions: ['audit:read', 'org:read', 'user:read'], scope: 'all', grants: [], requiresTotp: false },
  leader: {
    permissions: [
      'dashboard:read',
      'org:read',
      'campaign:read',
      'visit:read',
      // need:read: the civil side's view of the cases and their statistics (issue 18); no registry data
      'need:read',
      'publicity:read',
      'modelcity:read',
      'troops:read',
    ],
    scope: 'all',
    grants: [],
    requiresTotp: false,
  },
};

const SCOPE_RANK: Record<DataScopeKind, number> = { own: 0, org: 1, subtree: 2, all: 3 };

/** Union of the permissions of several roles. */
export function permissionsOf(roles: readonly Role[]): Permission[] {
  const set = new Set<Permission>();
  for (const r of roles) for (const p of ROLE_DEFINITIONS[r].permissions) set.add(p);
  return PERMISSIONS.filter((p) => set.has(p));
}

/** The widest data scope among several roles. */
export function scopeKindOf(roles: readonly Role[]): DataScopeKind {
  let best: DataScopeKind = 'own';
  for (const r of roles) if (SCOPE_RANK[ROLE_DEFINITIONS[r].scope] > SCOPE_RANK[best]) best = ROLE_DEFINITIONS[r].scope;
  return best;
}

export function grantableRoles(roles: readonly Role[]): Role[] {
  const set = new Set<Role>();
  for (const r of roles) for (const g of ROLE_DEFINITIONS[r].grants) set.add(g);
  return ROLES.filter((r) => set.has(r));
}
