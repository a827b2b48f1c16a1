import type { DataScopeKind } from '@shuangyong/shared';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';

/** The caller's data scope, resolved from their roles and org (never from the browser). */
export type Scope =
  | { kind: 'all' }
  | { kind: 'subtree'; path: string }
  | { kind: 'org'; orgId: string; path: string }
  | { kind: 'own'; userId: string; orgId: string; path: string };

/**
 * Every row, for a read that is not a request's own view: a job or the CLI, a row re-read after
 * the caller's scope was checked or it was just written, rows reached through a parent read in
 * scope. Naming it makes each such read greppable; a request's reads take `ctx.actor.scope`.
 */
export const SYSTEM_SCOPE: Scope = Object.freeze({ kind: 'all' });

export function resolveScope(kind: DataScopeKind, user: { id: string; orgId: string; orgPath: string }): Scope {
  switch (kind) {
    case 'all':
      return { kind: 'all' };
    case 'subtree':
      return { kind: 'subtree', path: user.orgPath };
    case 'org':
      return { kind: 'org', orgId: user.orgId, path: user.orgPath };
    case 'own':
      return { kind: 'own', userId: user.id, orgId: user.orgId, path: user.orgPath };
  }
}

/**
 * Upper bound of the paths below `prefix`: every path ends with '/', and '0' is the byte after '/',
 * so `path >= prefix AND path < prefixEnd(prefix)` selects the subtree by an index range
 * (both dialects compare these columns bytewise).
 */
export function prefixEnd(prefix: string): string {
  if (!prefix.endsWith('/')) throw new Error(`scope path must end with '/': ${prefix}`);
  return `${prefix.slice(0, -1)}0`;
}

export function pathInSubtree(path: string, root: string): boolean {
  return path.startsWith(root);
}

/** Does the scope cover a record owned by (orgId, orgPath[, ownerId])? Same rule as `scopeWhere`. */
export function scopeCovers(scope: Scope, rec: { orgId: string; orgPath: string; ownerId?: string | null }): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'subtree':
      return pathInSubtree(rec.orgPath, scope.path);
    case 'org':
      return rec.orgId === scope.orgId;
    case 'own':
      return rec.ownerId != null ? rec.ownerId === scope.userId : rec.orgId === scope.orgId;
  }
}

export interface ScopeColumns {
  /** Column holding the owner's org path. */
  path: string;
  /**
   * Column holding the owner's org id; a table without one (a child row of a checked parent)
   * matches the `org` scope by its path, which is the org's own path for the org's rows.
   */
  orgId?: string;
  /** Column holding the creating user's id (for the `own` scope); falls back to `orgId`. */
  owner?: string;
}

/**
 * The one place a scope becomes SQL. Every scoped repository method takes a Scope and calls this.
 */
// biome-ignore lint/suspicious/noExplicitAny: works for every table of the schema
export function scopeWhere(eb: ExpressionBuilder<any, any>, scope: Scope, cols: ScopeColumns): Expression<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`1 = 1`;
    case 'subtree':
      return eb.and([eb(sql.ref(cols.path), '>=', scope.path), eb(sql.ref(cols.path), '<', prefixEnd(scope.path))]);
    case 'org':
      return cols.orgId ? eb(sql.ref(cols.orgId), '=', scope.orgId) : eb(sql.ref(cols.path), '=', scope.path);
    case 'own':
      if (cols.owner) return eb(sql.ref(cols.owner), '=', scope.userId);
      return cols.orgId ? eb(sql.ref(cols.orgId), '=', scope.orgId) : eb(sql.ref(cols.path), '=', scope.path);
  }
}

/** The district an org path belongs to: its first two segments ('650200/650203/'); the root for shorter paths. */
export function districtOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 3 ? `${parts[0]}/${parts[1]}/` : path;
}
