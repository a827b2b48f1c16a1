import {
  type OrgSide,
  type OrgType,
  permissionsOf,
  ROLE_DEFINITIONS,
  ROLES,
  type Role,
  scopeKindOf,
} from '@shuangyong/shared';
import { resolveScope } from '../access/scope.js';
import type { CryptoProvider } from '../crypto/index.js';
import { bool, type Db, type Queryable } from '../db/index.js';
import { nowIso } from '../ids.js';
import type { Settings } from '../settings.js';
import type { Actor } from './actor.js';

export const SESSION_COOKIE = 'sy_session';
/** last_seen_at is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionResult = { ok: true; actor: Actor } | { ok: false; reason: 'none' | 'expired' };

/** Sessions live in the database, so a second server behind a load balancer just works (DESIGN §7). */
export class Sessions {
  constructor(
    private readonly db: Db,
    private readonly crypto: CryptoProvider,
    private readonly settings: Settings,
    private readonly demo: boolean,
  ) {}

  /** The session id stored is a hash of the cookie value: a stolen database yields no usable cookie. */
  private idOf(token: string): string {
    return this.crypto.hash(`session:${token}`);
  }

  async create(
    userId: string,
    ip: string,
    userAgent: string | undefined,
  ): Promise<{ token: string; csrfToken: string }> {
    const { session } = await this.settings.security();
    const token = this.crypto.randomToken(32);
    const csrfToken = this.crypto.randomToken(24);
    const now = new Date();
    await this.db
      .insertInto('sessions')
      .values({
        id: this.idOf(token),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + session.absoluteHours * 3600_000).toISOString(),
        ip,
        user_agent: userAgent?.slice(0, 256) ?? null,
      })
      .execute();
    return { token, csrfToken };
  }

  /** Ends the session of this cookie value; true when there was one. */
  async destroy(token: string): Promise<boolean> {
    const res = await this.db.deleteFrom('sessions').where('id', '=', this.idOf(token)).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /**
   * Ends every session of a user (inside the caller's transaction), but `exceptSessionId`: a
   * password change keeps the session that made it, a lock or a reset ends them all.
   */
  static async endAllOf(db: Queryable, userId: string, exceptSessionId?: string): Promise<void> {
    let q = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptSessionId !== undefined) q = q.where('id', '!=', exceptSessionId);
    await q.execute();
  }

  /** The actor of a user without a session (background jobs run with their creator's rights). */
  async actorOf(userId: string): Promise<Actor | null> {
    const row = await this.db
      .selectFrom('users as u')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select([
        'u.id as user_id',
        'u.username',
        'u.display_name',
        'u.must_change_password',
        'u.totp_enabled',
        'o.id as org_id',
        'o.path as org_path',
        'o.name as org_name',
        'o.type as org_type',
        'o.side as org_side',
      ])
      .where('u.id', '=', userId)
      .where('u.active', '=', 1)
      .executeTakeFirst();
    if (!row) return null;
    return toActor(row, await rolesOf(this.db, userId), {
      sessionId: '',
      csrfToken: '',
      demo: this.demo,
      passwordExpired: false,
    });
  }

  /** Resolves a cookie to the actor; the user, roles and org are read fresh every time. */
  async resolve(token: string): Promise<SessionResult> {
    const id = this.idOf(token);
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .innerJoin('orgs as o', 'o.id', 'u.org_id')
      .select([
        's.csrf_token',
        's.last_seen_at',
        's.expires_at',
        'u.id as user_id',
        'u.username',
        'u.display_name',
        'u.active',
        'u.must_change_password',
        'u.password_changed_at',
        'u.totp_enabled',
        'o.id as org_id',
        'o.path as org_path',
        'o.name as org_name',
        'o.type as org_type',
        'o.side as org_side',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) return { ok: false, reason: 'none' };
    const { session, passwordPolicy } = await this.settings.security();
    const now = Date.now();
    const idleLimit = Date.parse(row.last_seen_at) + session.idleMinutes * 60_000;
    if (now > Date.parse(row.expires_at) || now > idleLimit || !bool(row.active)) {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute();
      return { ok: false, reason: 'expired' };
    }
    if (now - Date.parse(row.last_seen_at) > TOUCH_INTERVAL_MS) {
      await this.db.updateTable('sessions').set({ last_seen_at: nowIso() }).where('id', '=', id).execute();
    }
    const roles = await rolesOf(this.db, row.user_id);
    const passwordExpired =
      passwordPolicy.maxAgeDays > 0 &&
      now - Date.parse(row.password_changed_at) > passwordPolicy.maxAgeDays * 86_400_000;
    const actor = toActor(row, roles, { sessionId: id, csrfToken: row.csrf_token, demo: this.demo, passwordExpired });
    return { ok: true, actor };
  }
}

async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return ROLES.filter((r) => rows.some((x) => x.role === r));
}

interface ActorRow {
  user_id: string;
  username: string;
  display_name: string;
  must_change_password: number;
  totp_enabled: number;
  org_id: string;
  org_path: string;
  org_name: string;
  org_type: string;
  org_side: string;
}

function toActor(
  row: ActorRow,
  roles: Role[],
  o: { sessionId: string; csrfToken: string; demo: boolean; passwordExpired: boolean },
): Actor {
  const scopeKind = scopeKindOf(roles);
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgPath: row.org_path,
    orgName: row.org_name,
    orgType: row.org_type as OrgType,
    orgSide: row.org_side as OrgSide,
    roles,
    permissions: new Set(permissionsOf(roles)),
    scopeKind,
    scope: resolveScope(scopeKind, { id: row.user_id, orgId: row.org_id, orgPath: row.org_path }),
    sessionId: o.sessionId,
    csrfToken: o.csrfToken,
    mustChangePassword: bool(row.must_change_password) || o.passwordExpired,
    totpEnabled: bool(row.totp_enabled),
    totpRequired: !o.demo && roles.some((r) => ROLE_DEFINITIONS[r].requiresTotp),
  };
}
