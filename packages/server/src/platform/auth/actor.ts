import {
  type DataScopeKind,
  type OrgSide,
  type OrgType,
  PERMISSIONS,
  type Permission,
  type Role,
} from '@shuangyong/shared';
import { type Scope, SYSTEM_SCOPE } from '../access/scope.js';
import type { AuditActor } from '../audit/audit.js';

/** The authenticated caller, rebuilt from the database on every request. */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  orgId: string;
  orgPath: string;
  orgName: string;
  orgType: OrgType;
  /** civilian or military: the military side sees fields marked military-only. */
  orgSide: OrgSide;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
  scopeKind: DataScopeKind;
  scope: Scope;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpRequired: boolean;
}

/** What a service needs to know about a request: the actor and where it came from. */
export interface RequestCtx {
  actor: Actor;
  requestId: string;
  ip: string;
}

export function auditActorOf(ctx: { actor: Actor | null; requestId: string; ip: string }): AuditActor {
  return {
    userId: ctx.actor?.userId ?? null,
    username: ctx.actor?.username ?? null,
    orgId: ctx.actor?.orgId ?? null,
    orgPath: ctx.actor?.orgPath ?? null,
    requestId: ctx.requestId,
    ip: ctx.ip,
  };
}

/** The actor of CLI commands and system jobs: all permissions, whole-city scope, audited as `system`. */
export function systemActor(org: { id: string; path: string; name: string }, username = 'system'): Actor {
  return {
    userId: 'system',
    username,
    displayName: username,
    orgId: org.id,
    orgPath: org.path,
    orgName: org.name,
    orgType: 'veterans_bureau',
    orgSide: 'civilian',
    roles: ['sys_admin'],
    permissions: new Set(PERMISSIONS),
    scopeKind: 'all',
    scope: SYSTEM_SCOPE,
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
    totpEnabled: true,
    totpRequired: false,
  };
}
