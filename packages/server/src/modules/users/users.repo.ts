import { ROLES, type Role, type User } from '@shuangyong/shared';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { Lockout } from '../../platform/auth/lockout.js';
import { bool, type Queryable, toNumber } from '../../platform/db/index.js';
import type { UsersTable } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';

export type UserRow = Selectable<UsersTable>;
export const USER_SCOPE = { path: 'users.org_path', orgId: 'users.org_id', owner: 'users.id' } as const;

function baseQuery(db: Queryable, scope: Scope) {
  return db
    .selectFrom('users')
    .innerJoin('orgs', 'orgs.id', 'users.org_id')
    .where((eb) => scopeWhere(eb, scope, USER_SCOPE));
}

async function withRoles(db: Queryable, rows: (UserRow & { org_name: string })[]): Promise<User[]> {
  if (!rows.length) return [];
  const roleRows = await db
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where(
      'user_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const lockedKeys = await Lockout.lockedKeys(
    db,
    rows.map((r) => Lockout.userKey(r.username)),
  );
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    orgId: r.org_id,
    orgName: r.org_name,
    roles: ROLES.filter((role) => roleRows.some((x) => x.user_id === r.id && x.role === role)),
    active: bool(r.active),
    locked: lockedKeys.has(Lockout.userKey(r.username)),
    mustChangePassword: bool(r.must_change_password),
    totpEnabled: bool(r.totp_enabled),
    lastLoginAt: r.last_login_at,
    version: r.version,
    createdAt: r.created_at,
  }));
}

export const usersRepo = {
  async page(db: Queryable, scope: Scope, f: { q?: string; orgId?: string }, page: number, pageSize: number) {
    let qb = baseQuery(db, scope);
    if (f.orgId) qb = qb.where('users.org_id', '=', f.orgId);
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      qb = qb.where((eb) => eb.or([eb('users.username', 'like', like), eb('users.display_name', 'like', like)]));
    }
    const [rows, total] = await Promise.all([
      qb
        .selectAll('users')
        .select('orgs.name as org_name')
        .orderBy('users.username')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await withRoles(db, rows), total: toNumber(total.n) };
  },

  async get(db: Queryable, scope: Scope, id: string): Promise<User | undefined> {
    const rows = await baseQuery(db, scope)
      .selectAll('users')
      .select('orgs.name as org_name')
      .where('users.id', '=', id)
      .execute();
    return (await withRoles(db, rows))[0];
  },

  /** `display name（username）` of the users in scope among `ids` (the audit log's labels). */
  names(db: Queryable, scope: Scope, ids: readonly string[]) {
    return baseQuery(db, scope)
      .select(['users.id', 'users.display_name', 'users.username'])
      .where('users.id', 'in', ids)
      .execute();
  },

  async row(db: Queryable, scope: Scope, id: string): Promise<UserRow | undefined> {
    return baseQuery(db, scope).selectAll('users').where('users.id', '=', id).executeTakeFirst();
  },

  async roles(db: Queryable, userId: string): Promise<Role[]> {
    const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    return ROLES.filter((r) => rows.some((x) => x.role === r));
  },

  async setRoles(db: Queryable, userId: string, roles: Role[]): Promise<void> {
    await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    if (roles.length)
      await db
        .insertInto('user_roles')
        .values(roles.map((role) => ({ user_id: userId, role })))
        .execute();
  },

  async usernameTaken(db: Queryable, scope: Scope, username: string): Promise<boolean> {
    const r = await db
      .selectFrom('users')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
    return !!r;
  },

  async byUsername(db: Queryable, scope: Scope, username: string): Promise<UserRow | undefined> {
    return db
      .selectFrom('users')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
      .executeTakeFirst();
  },

  /** Active users by id or by org (the org itself), ordered by id. */
  async activeRecipients(db: Queryable, scope: Scope, userIds: readonly string[], orgIds: readonly string[]) {
    const ids = [...new Set(userIds)];
    const orgs = [...new Set(orgIds)];
    if (!ids.length && !orgs.length) return [];
    return db
      .selectFrom('users')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'org_id', 'org_path'])
      .where('active', '=', 1)
      .where((eb) => {
        const ors = [];
        if (ids.length) ors.push(eb('id', 'in', ids));
        if (orgs.length) ors.push(eb('org_id', 'in', orgs));
        return eb.or(ors);
      })
      .orderBy('id')
      .execute();
  },

  async activeWithAnyRole(db: Queryable, scope: Scope, roles: readonly Role[]): Promise<string[]> {
    const rows = await db
      .selectFrom('user_roles as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .where((eb) => scopeWhere(eb, scope, { path: 'u.org_path', orgId: 'u.org_id' }))
      .select('u.id')
      .distinct()
      .where('r.role', 'in', roles)
      .where('u.active', '=', 1)
      .execute();
    return rows.map((r) => r.id);
  },

  async insert(db: Queryable, row: Insertable<UsersTable>): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },

  /** Sets columns of the user's own account (sign-in, password, TOTP), outside the versioned edits. */
  async setOwn(db: Queryable, id: string, set: Updateable<UsersTable>): Promise<void> {
    await db.updateTable('users').set(set).where('id', '=', id).execute();
  },

  async update(db: Queryable, id: string, version: number, set: Partial<UserRow>): Promise<boolean> {
    return updateVersioned(db, 'users', id, version, set);
  },
};
