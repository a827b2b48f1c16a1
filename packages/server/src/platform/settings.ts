import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '@shuangyong/shared';
import type { Queryable } from './db/index.js';
import { nowIso } from './ids.js';

/** Security settings an assessor (等保三级) expects to see configurable. */
export interface SecuritySettings {
  passwordPolicy: PasswordPolicy;
  /** Account lock after `maxFailures`; the source address is only slowed (auth/lockout.ts). */
  lockout: { maxFailures: number; minutes: number; ipThrottleAfter: number; ipMaxDelaySeconds: number };
  session: { idleMinutes: number; absoluteHours: number };
  /** Bulk-extraction guard: more look-ups/reveals per hour, or a bigger export, raises an alert. */
  extraction: { lookupsPerHour: number; exportRows: number };
  /** Job files (uploaded rosters, error reports, letters) are deleted this many days after they were written. */
  files: { retentionDays: number };
  /** The field app's lists and profile kept on a phone for offline use expire after this many days. */
  offline: { cacheDays: number };
}

export const DEFAULT_SECURITY: SecuritySettings = {
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
  lockout: { maxFailures: 5, minutes: 30, ipThrottleAfter: 5, ipMaxDelaySeconds: 10 },
  session: { idleMinutes: 30, absoluteHours: 12 },
  extraction: { lookupsPerHour: 30, exportRows: 5000 },
  files: { retentionDays: 7 },
  offline: { cacheDays: 7 },
};

export type SecurityPatch = { [K in keyof SecuritySettings]?: Partial<SecuritySettings[K]> };

const KEY = 'security';
const TTL_MS = 5000;

/** Settings live in the database (so every server process agrees); read through a short cache. */
export class Settings {
  private cached: { at: number; value: SecuritySettings } | null = null;

  constructor(private readonly db: Queryable) {}

  async security(): Promise<SecuritySettings> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    const value = await this.read(this.db);
    this.cached = { at: Date.now(), value };
    return value;
  }

  private async read(db: Queryable): Promise<SecuritySettings> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    const stored = row ? (JSON.parse(row.value) as Partial<SecuritySettings>) : {};
    const value: SecuritySettings = {
      passwordPolicy: { ...DEFAULT_SECURITY.passwordPolicy, ...stored.passwordPolicy },
      lockout: { ...DEFAULT_SECURITY.lockout, ...stored.lockout },
      session: { ...DEFAULT_SECURITY.session, ...stored.session },
      extraction: { ...DEFAULT_SECURITY.extraction, ...stored.extraction },
      files: { ...DEFAULT_SECURITY.files, ...stored.files },
      offline: { ...DEFAULT_SECURITY.offline, ...stored.offline },
    };
    return value;
  }

  /**
   * A module's own setting (a JSON value under `key`, e.g. the city's standing visit caps), read
   * through `db` — the caller's transaction when it writes in one. Undefined until first written.
   */
  async value<T>(db: Queryable, key: string): Promise<T | undefined> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async put(db: Queryable, key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    await db
      .insertInto('settings')
      .values({ key, value: text, updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_at: nowIso() }))
      .execute();
  }

  /** Writes through the caller's transaction (reading outside it would wait on SQLite's one connection). */
  async setSecurity(
    db: Queryable,
    patch: SecurityPatch,
  ): Promise<{ before: SecuritySettings; after: SecuritySettings }> {
    const current = await this.read(db);
    const next: SecuritySettings = {
      passwordPolicy: { ...current.passwordPolicy, ...patch.passwordPolicy },
      lockout: { ...current.lockout, ...patch.lockout },
      session: { ...current.session, ...patch.session },
      extraction: { ...current.extraction, ...patch.extraction },
      files: { ...current.files, ...patch.files },
      offline: { ...current.offline, ...patch.offline },
    };
    const value = JSON.stringify(next);
    await db
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: nowIso() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: nowIso() }))
      .execute();
    this.cached = null;
    return { before: current, after: next };
  }
}
