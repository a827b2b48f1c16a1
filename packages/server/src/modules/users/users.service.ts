import {
  checkPassword,
  type createUserBody,
  grantableRoles,
  type Role,
  t,
  type User,
  type updateUserBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { Lockout } from '../../platform/auth/lockout.js';
import { hashPassword } from '../../platform/auth/password.js';
import { Sessions } from '../../platform/auth/sessions.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { type UserRow, usersRepo } from './users.repo.js';

export class UsersService {
  constructor(
    private readonly p: Platform,
    private readonly orgs: OrgsService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  /** The account row by user name, case-insensitive (sign-in, own password and TOTP): auth's read. */
  byUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
    return usersRepo.byUsername(db, SYSTEM_SCOPE, username);
  }

  /** Read model for notifications: the active users among these ids and of these orgs (not their subtrees). */
  activeRecipients(
    db: Queryable,
    userIds: readonly string[],
    orgIds: readonly string[],
  ): Promise<{ id: string; org_id: string; org_path: string }[]> {
    return usersRepo.activeRecipients(db, SYSTEM_SCOPE, userIds, orgIds);
  }

  /** Read model: display names of the users among `ids` that `scope` sees (owners of cases, decisions/0055). */
  async displayNames(db: Queryable, scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    return new Map((await usersRepo.names(db, scope, unique)).map((u) => [u.id, u.display_name]));
  }

  /** Read model: the ids of active users holding any of these roles. */
  activeWithAnyRole(db: Queryable, roles: readonly Role[]): Promise<string[]> {
    return usersRepo.activeWithAnyRole(db, SYSTEM_SCOPE, roles);
  }

  /** Columns of the user's own account that sign-in, password change and TOTP enrolment set. */
  setOwn(
    db: Queryable,
    id: string,
    set: Pick<
      Partial<UserRow>,
      | 'last_login_at'
      | 'password_hash'
      | 'password_changed_at'
      | 'must_change_password'
      | 'totp_secret'
      | 'totp_pending_secret'
      | 'totp_enabled'
      | 'updated_at'
    >,
  ): Promise<void> {
    return usersRepo.setOwn(db, id, set);
  }

  async page(ctx: RequestCtx, f: { q?: string; orgId?: string }, page: number, pageSize: number) {
    const { items, total } = await usersRepo.page(this.db, ctx.actor.scope, f, page, pageSize);
    return { items, total, page, pageSize };
  }

  async get(ctx: RequestCtx, id: string): Promise<User> {
    const u = await usersRepo.get(this.db, ctx.actor.scope, id);
    if (!u) throw notFound();
    return u;
  }

  /** Rejects passwords that break the configured policy, with every broken rule listed. */
  async assertPasswordAcceptable(password: string, username: string): Promise<void> {
    const { passwordPolicy } = await this.p.settings.security();
    const problems = checkPassword(password, passwordPolicy, username);
    if (problems.length)
      throw new AppError(400, 'password_policy', 'error.validation', undefined, {
        errors: problems.map((k) => ({ path: 'body.password', message: t(k) })),
      });
  }

  private assertGrantable(ctx: RequestCtx, roles: readonly Role[]) {
    const allowed = new Set(grantableRoles(ctx.actor.roles));
    for (const r of roles) if (!allowed.has(r)) throw forbidden('user.roleNotGrantable', { role: t(`role.${r}`) });
  }

  private async assertOrgInScope(trx: Tx, scope: Scope, orgId: string) {
    const org = await this.orgs.inScope(trx, scope, orgId);
    if (!org) throw notFound();
    return org;
  }

  /** Loads a user the caller may manage: in scope, current version, and holding only grantable roles. */
  private async loadForChange(
    trx: Tx,
    ctx: RequestCtx,
    id: string,
    version?: number,
  ): Promise<{ row: UserRow; roles: Role[] }> {
    const row = await usersRepo.row(trx, ctx.actor.scope, id);
    if (!row) throw notFound();
    if (version !== undefined && row.version !== version) throw versionConflict();
    const roles = await usersRepo.roles(trx, id);
    this.assertGrantable(ctx, roles);
    return { row, roles };
  }

  private async finish(
    trx: Tx,
    ctx: RequestCtx,
    id: string,
    action: string,
    before: object | null,
    extra: object = {},
  ) {
    const after = (await usersRepo.row(trx, SYSTEM_SCOPE, id)) as UserRow;
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action,
      entityType: 'user',
      entityId: id,
      changes: {
        ...diffFields(before as Record<string, unknown> | null, after as unknown as Record<string, unknown>),
        ...extra,
      },
    });
    return (await usersRepo.get(trx, SYSTEM_SCOPE, id)) as User;
  }

  async create(ctx: RequestCtx, body: z.infer<typeof createUserBody>): Promise<User> {
    this.assertGrantable(ctx, body.roles);
    await this.assertPasswordAcceptable(body.password, body.username);
    const hash = await hashPassword(body.password);
    return this.db.transaction().execute(async (trx) => {
      const org = await this.assertOrgInScope(trx, ctx.actor.scope, body.orgId);
      if (await usersRepo.usernameTaken(trx, SYSTEM_SCOPE, body.username))
        throw conflict('username_taken', 'user.usernameTaken');
      const id = uuidv7();
      const now = nowIso();
      await usersRepo.insert(trx, {
        id,
        username: body.username,
        display_name: body.displayName,
        org_id: org.id,
        org_path: org.path,
        password_hash: hash,
        password_changed_at: now,
        must_change_password: 1,
        totp_secret: null,
        totp_pending_secret: null,
        totp_enabled: 0,
        active: 1,
        last_login_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await usersRepo.setRoles(trx, id, body.roles);
      return this.finish(trx, ctx, id, 'user.create', null, { roles: [null, body.roles] });
    });
  }

  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updateUserBody>): Promise<User> {
    if (body.roles) this.assertGrantable(ctx, body.roles);
    return this.db.transaction().execute(async (trx) => {
      const { row, roles } = await this.loadForChange(trx, ctx, id, body.version);
      const set: Partial<UserRow> = { updated_at: nowIso() };
      if (body.displayName !== undefined) set.display_name = body.displayName;
      if (body.orgId !== undefined && body.orgId !== row.org_id) {
        const org = await this.assertOrgInScope(trx, ctx.actor.scope, body.orgId);
        set.org_id = org.id;
        set.org_path = org.path;
      }
      if (!(await usersRepo.update(trx, id, body.version, set))) throw versionConflict();
      const extra: Record<string, unknown> = {};
      if (body.roles && body.roles.join() !== roles.join()) {
        await usersRepo.setRoles(trx, id, body.roles);
        extra.roles = [roles, body.roles];
      }
      return this.finish(trx, ctx, id, 'user.update', row, extra);
    });
  }

  async resetPassword(ctx: RequestCtx, id: string, password: string): Promise<void> {
    const target = await usersRepo.row(this.db, ctx.actor.scope, id);
    if (!target) throw notFound();
    await this.assertPasswordAcceptable(password, target.username);
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      const { row } = await this.loadForChange(trx, ctx, id);
      await usersRepo.update(trx, id, row.version, {
        password_hash: hash,
        password_changed_at: nowIso(),
        must_change_password: 1,
        updated_at: nowIso(),
      });
      await Sessions.endAllOf(trx, id);
      await this.finish(trx, ctx, id, 'user.reset_password', row);
    });
  }

  /** Locking disables the account and ends its sessions at once; unlocking also clears failed-login locks. */
  async setLocked(ctx: RequestCtx, id: string, locked: boolean): Promise<User> {
    if (locked && id === ctx.actor.userId) throw conflict('cannot_lock_self', 'user.cannotDisableSelf');
    return this.db.transaction().execute(async (trx) => {
      const { row } = await this.loadForChange(trx, ctx, id);
      await usersRepo.update(trx, id, row.version, { active: locked ? 0 : 1, updated_at: nowIso() });
      if (locked) await Sessions.endAllOf(trx, id);
      else await Lockout.clearKeys(trx, [Lockout.userKey(row.username)]);
      return this.finish(trx, ctx, id, locked ? 'user.lock' : 'user.unlock', row);
    });
  }
}
