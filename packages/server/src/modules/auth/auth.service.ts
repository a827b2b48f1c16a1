import { checkPassword, type Me, t } from '@shuangyong/shared';
import type { Actor } from '../../platform/auth/actor.js';
import { auditActorOf } from '../../platform/auth/actor.js';
import { Lockout } from '../../platform/auth/lockout.js';
import { dummyHash, hashPassword, verifyPassword } from '../../platform/auth/password.js';
import { Sessions } from '../../platform/auth/sessions.js';
import { generateTotpSecret, otpauthUrl, verifyTotp } from '../../platform/auth/totp.js';
import type { Platform } from '../../platform/context.js';
import { bool } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { nowIso } from '../../platform/ids.js';
import type { UsersService } from '../users/users.module.js';

interface Origin {
  requestId: string;
  ip: string;
  userAgent?: string;
}

export class AuthService {
  readonly lockout: Lockout;

  constructor(
    private readonly p: Platform,
    readonly sessions: Sessions,
    private readonly users: UsersService,
  ) {
    this.lockout = new Lockout(p.handle.db, p.settings);
  }

  private get db() {
    return this.p.handle.db;
  }

  private async failed(
    origin: Origin,
    username: string,
    reason: string,
    user?: { id: string; org_id: string; org_path: string },
  ) {
    await this.lockout.fail(Lockout.userKey(username), Lockout.ipKey(origin.ip));
    await this.p.audit.event(
      this.db,
      {
        userId: user?.id ?? null,
        username,
        orgId: user?.org_id ?? null,
        orgPath: user?.org_path ?? null,
        requestId: origin.requestId,
        ip: origin.ip,
      },
      { action: 'auth.login_failed', entityType: 'user', entityId: user?.id, changes: { reason } },
    );
  }

  /**
   * Verifies the credentials and opens a session; every failure is counted and audited. A locked
   * account is refused; an address with many failures is only slowed (`Lockout.throttle`). The
   * session the browser held before (`previousToken`) ends: a login never leaves two behind.
   */
  async login(username: string, password: string, otp: string | undefined, origin: Origin, previousToken?: string) {
    const userKey = Lockout.userKey(username);
    const ipKey = Lockout.ipKey(origin.ip);
    await this.lockout.throttle(ipKey);
    const lockedFor = await this.lockout.lockedMinutes(userKey);
    if (lockedFor > 0) {
      await this.p.audit.event(
        this.db,
        { userId: null, username, orgId: null, orgPath: null, requestId: origin.requestId, ip: origin.ip },
        { action: 'auth.login_failed', changes: { reason: 'locked' } },
      );
      throw new AppError(423, 'locked', 'auth.locked', { minutes: lockedFor });
    }
    const user = await this.users.byUsername(this.db, username);
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) {
      await this.failed(origin, username, 'password', user);
      const nowLocked = await this.lockout.lockedMinutes(userKey);
      if (nowLocked > 0) throw new AppError(423, 'locked', 'auth.locked', { minutes: nowLocked });
      throw new AppError(401, 'invalid_credentials', 'auth.invalidCredentials');
    }
    if (!bool(user.active)) {
      await this.failed(origin, username, 'disabled', user);
      throw new AppError(403, 'disabled', 'auth.disabled');
    }
    if (bool(user.totp_enabled) && user.totp_secret) {
      if (!otp) throw new AppError(401, 'otp_required', 'auth.otpRequired');
      if (!verifyTotp(this.p.crypto.decrypt(user.totp_secret), otp)) {
        await this.failed(origin, username, 'otp', user);
        throw new AppError(401, 'otp_invalid', 'auth.otpInvalid');
      }
    }
    // the account's count starts again; the address's is left to its window (a valid login must not reset a spray)
    await this.lockout.clear([userKey]);
    const rotated = previousToken ? await this.sessions.destroy(previousToken) : false;
    const session = await this.sessions.create(user.id, origin.ip, origin.userAgent);
    await this.db.transaction().execute(async (trx) => {
      await this.users.setOwn(trx, user.id, { last_login_at: nowIso() });
      await this.p.audit.append(
        trx,
        {
          userId: user.id,
          username: user.username,
          orgId: user.org_id,
          orgPath: user.org_path,
          requestId: origin.requestId,
          ip: origin.ip,
        },
        {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          ...(rotated ? { changes: { previousSessionEnded: true } } : {}),
        },
      );
    });
    const resolved = await this.sessions.resolve(session.token);
    if (!resolved.ok) throw new Error('fresh session did not resolve');
    return { token: session.token, me: await this.me(resolved.actor) };
  }

  async logout(actor: Actor | null, token: string | undefined, origin: Origin) {
    if (token) await this.sessions.destroy(token);
    if (actor) await this.p.audit.event(this.db, auditActorOf({ actor, ...origin }), { action: 'auth.logout' });
  }

  async me(actor: Actor): Promise<Me> {
    const { offline } = await this.p.settings.security();
    return {
      user: {
        id: actor.userId,
        username: actor.username,
        displayName: actor.displayName,
        mustChangePassword: actor.mustChangePassword,
        totpEnabled: actor.totpEnabled,
        totpRequired: actor.totpRequired,
      },
      org: { id: actor.orgId, name: actor.orgName, type: actor.orgType, path: actor.orgPath },
      roles: actor.roles,
      permissions: [...actor.permissions],
      scope: actor.scopeKind,
      csrfToken: actor.csrfToken,
      demo: this.p.config.demo,
      timeZone: this.p.config.tzDisplay,
      // HMAC-SM3 under the key that stays stable across `keys rotate` (drafts survive a rotation)
      draftKey: this.p.crypto.mac('offline-drafts', actor.userId),
      offlineCacheDays: offline.cacheDays,
    };
  }

  /** Changing the password ends every other session of the user. */
  async changePassword(actor: Actor, current: string, next: string, origin: Origin) {
    const user = await this.users.byUsername(this.db, actor.username);
    if (!user || !(await verifyPassword(current, user.password_hash)))
      throw new AppError(400, 'wrong_current_password', 'auth.wrongCurrentPassword');
    if (current === next) throw new AppError(400, 'password_reused', 'auth.passwordReused');
    const { passwordPolicy } = await this.p.settings.security();
    const problems = checkPassword(next, passwordPolicy, actor.username);
    if (problems.length)
      throw new AppError(400, 'password_policy', 'error.validation', undefined, {
        errors: problems.map((k) => ({ path: 'body.newPassword', message: t(k) })),
      });
    const hash = await hashPassword(next);
    await this.db.transaction().execute(async (trx) => {
      await this.users.setOwn(trx, actor.userId, {
        password_hash: hash,
        password_changed_at: nowIso(),
        must_change_password: 0,
        updated_at: nowIso(),
      });
      await Sessions.endAllOf(trx, actor.userId, actor.sessionId);
      await this.p.audit.append(trx, auditActorOf({ actor, ...origin }), {
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: actor.userId,
      });
    });
  }

  async totpSetup(actor: Actor) {
    const secret = generateTotpSecret();
    await this.users.setOwn(this.db, actor.userId, { totp_pending_secret: this.p.crypto.encrypt(secret) });
    return { secret, otpauthUrl: otpauthUrl(secret, actor.username) };
  }

  async totpEnable(actor: Actor, otp: string, origin: Origin) {
    const user = await this.users.byUsername(this.db, actor.username);
    if (!user?.totp_pending_secret) throw new AppError(400, 'totp_not_pending', 'auth.totpNotPending');
    if (!verifyTotp(this.p.crypto.decrypt(user.totp_pending_secret), otp))
      throw new AppError(400, 'otp_invalid', 'auth.otpInvalid');
    await this.db.transaction().execute(async (trx) => {
      await this.users.setOwn(trx, actor.userId, {
        totp_secret: user.totp_pending_secret,
        totp_pending_secret: null,
        totp_enabled: 1,
        updated_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf({ actor, ...origin }), {
        action: 'auth.totp_enrolled',
        entityType: 'user',
        entityId: actor.userId,
      });
    });
  }
}
