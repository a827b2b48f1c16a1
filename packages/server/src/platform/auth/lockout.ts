import type { Db } from '../db/index.js';
import type { Settings } from '../settings.js';

/**
 * Failed-login counters by account and by source address, kept in the database (shared by every
 * server process). N failures within the lockout window lock the key for the lockout period.
 */
export class Lockout {
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

  /** Minutes left on the longest lock among the keys, or 0. */
  async lockedMinutes(keys: string[]): Promise<number> {
    const rows = await this.db.selectFrom('auth_failures').select('locked_until').where('key', 'in', keys).execute();
    const now = Date.now();
    let max = 0;
    for (const r of rows) {
      if (r.locked_until && Date.parse(r.locked_until) > now) max = Math.max(max, Date.parse(r.locked_until) - now);
    }
    return Math.ceil(max / 60_000);
  }

  /** Counts one failure against each key; returns true when this failure locked one of them. */
  async fail(userKey: string, ipKey: string): Promise<boolean> {
    const { lockout } = await this.settings.security();
    let locked = false;
    for (const [key, max] of [
      [userKey, lockout.maxFailures],
      [ipKey, lockout.ipMaxFailures],
    ] as const) {
      const now = new Date();
      const row = await this.db.selectFrom('auth_failures').selectAll().where('key', '=', key).executeTakeFirst();
      const windowStart = now.getTime() - lockout.minutes * 60_000;
      const fresh = !row || Date.parse(row.first_at) < windowStart;
      const count = fresh ? 1 : row.count + 1;
      const lockedUntil = count >= max ? new Date(now.getTime() + lockout.minutes * 60_000).toISOString() : null;
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
    await this.db.deleteFrom('auth_failures').where('key', 'in', keys).execute();
  }
}
