import type { Db, Queryable } from '../db/index.js';
import type { Settings } from '../settings.js';

/**
 * Failed-login counters by account and by source address, kept in the database (shared by every
 * server process). The account is locked after `maxFailures` within the window; the source address
 * is never locked (behind a proxy without TRUST_PROXY it is the whole office): past
 * `ipThrottleAfter` failures each further attempt from it waits, doubling from 0.5 s up to
 * `ipMaxDelaySeconds`, one attempt at a time — slow for a password spray, but a correct password
 * of another account still signs in (issue 13, item 10).
 */
export class Lockout {
  /** Throttled attempts of one address wait in line in this process, so parallel guesses gain nothing. */
  private readonly lines = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly settings: Settings,
  ) {}

  static userKey(username: string): string {
    return `user:${username.toLowerCase()}`;
  }

  static ipKey(ip: string): string {
    return `ip:${ip}`;
  }

  /** Minutes left on the account's lock, or 0. */
  async lockedMinutes(userKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('auth_failures')
      .select('locked_until')
      .where('key', '=', userKey)
      .executeTakeFirst();
    const left = row?.locked_until ? Date.parse(row.locked_until) - Date.now() : 0;
    return left > 0 ? Math.ceil(left / 60_000) : 0;
  }

  /** How long the next attempt from this address waits (ms): 0 until the threshold. */
  async delayMs(ipKey: string): Promise<number> {
    const { lockout } = await this.settings.security();
    const row = await this.db.selectFrom('auth_failures').selectAll().where('key', '=', ipKey).executeTakeFirst();
    if (!row || Date.parse(row.first_at) < Date.now() - lockout.minutes * 60_000) return 0;
    const over = row.count - lockout.ipThrottleAfter;
    if (over < 0) return 0;
    return Math.min(lockout.ipMaxDelaySeconds * 1000, 500 * 2 ** Math.min(over, 16));
  }

  /** Waits the address's delay, behind the attempts of the same address already waiting. */
  async throttle(ipKey: string): Promise<number> {
    const delay = await this.delayMs(ipKey);
    if (!delay) return 0;
    const before = this.lines.get(ipKey) ?? Promise.resolve();
    const mine = before.then(() => new Promise<void>((resolve) => setTimeout(resolve, delay)));
    this.lines.set(ipKey, mine);
    await mine;
    if (this.lines.get(ipKey) === mine) this.lines.delete(ipKey);
    return delay;
  }

  /** Counts one failure against the account and the address; returns true when it locked the account. */
  async fail(userKey: string, ipKey: string): Promise<boolean> {
    const { lockout } = await this.settings.security();
    let locked = false;
    for (const [key, max] of [
      [userKey, lockout.maxFailures],
      [ipKey, null],
    ] as const) {
      const now = new Date();
      const row = await this.db.selectFrom('auth_failures').selectAll().where('key', '=', key).executeTakeFirst();
      const windowStart = now.getTime() - lockout.minutes * 60_000;
      const fresh = !row || Date.parse(row.first_at) < windowStart;
      const count = fresh ? 1 : row.count + 1;
      const lockedUntil =
        max !== null && count >= max ? new Date(now.getTime() + lockout.minutes * 60_000).toISOString() : null;
      if (lockedUntil) locked = true;
      await this.db
        .insertInto('auth_failures')
        .values({ key, count, first_at: now.toISOString(), locked_until: lockedUntil })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet(
              fresh
                ? { count, first_at: now.toISOString(), locked_until: lockedUntil }
                : { count, locked_until: lockedUntil },
            ),
        )
        .execute();
    }
    return locked;
  }

  async clear(keys: string[]): Promise<void> {
    await Lockout.clearKeys(this.db, keys);
  }

  /** Forgets the failures of these keys (inside the caller's transaction, e.g. an unlock). */
  static async clearKeys(db: Queryable, keys: readonly string[]): Promise<void> {
    if (keys.length) await db.deleteFrom('auth_failures').where('key', 'in', keys).execute();
  }

  /** Of these account keys, the ones locked now. */
  static async lockedKeys(db: Queryable, keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await db
      .selectFrom('auth_failures')
      .select('key')
      .where('key', 'in', keys)
      .where('locked_until', '>', new Date().toISOString())
      .execute();
    return new Set(rows.map((r) => r.key));
  }
}
