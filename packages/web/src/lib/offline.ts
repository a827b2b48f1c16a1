import type { Me } from '@shuangyong/shared';

/**
 * What the field app keeps on the phone, besides the visit drafts, so that it opens with no signal:
 * the signed-in user's profile (the app boots from it when the server cannot be reached) and the
 * lists the field form needs (campaigns, assigned targets, budget lines), each stored under its
 * user with the time it was fetched. Entries expire after the days the server hands out with the
 * profile (`Me.offlineCacheDays`, the platform setting `offline.cacheDays`, default 7) and
 * everything is wiped on logout and when the server ends the session (decisions/0016).
 */
export const DEFAULT_OFFLINE_DAYS = 7;
const DAY_MS = 24 * 3600_000;

/** The limit the server gave this session (null until the profile is known). */
let configuredMaxAgeMs: number | null = null;

/** Applies the server's `offlineCacheDays` to what is kept and served from now on (null: forget it). */
export function setOfflineMaxAgeDays(days: number | null | undefined): void {
  configuredMaxAgeMs = typeof days === 'number' && Number.isFinite(days) && days > 0 ? days * DAY_MS : null;
}

/** How long an entry kept now may be served. */
export const offlineMaxAgeMs = (): number => configuredMaxAgeMs ?? DEFAULT_OFFLINE_DAYS * DAY_MS;

const DB = 'sy-offline';
const VERSION = 1;
const STORE = 'cache';
const PROFILE = 'profile';

interface Entry {
  key: string;
  userId: string;
  savedAt: number;
  /** The limit in force when it was kept; a lower one set since then wins. */
  maxAgeMs?: number;
  value: unknown;
}

export interface Cached<T> {
  value: T;
  /** When it was fetched from the server (ms since the epoch). */
  savedAt: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    req.onsuccess = () => {
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest | undefined): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(req?.result as T);
    };
    tx.onabort = () => {
      db.close();
      reject(tx.error);
    };
  });
}

const keyOf = (userId: string, name: string) => `${userId}:${name}`;

async function read(key: string, now: number): Promise<Entry | null> {
  const entry = await run<Entry | undefined>('readonly', (s) => s.get(key));
  if (!entry) return null;
  const own = entry.maxAgeMs ?? DEFAULT_OFFLINE_DAYS * DAY_MS;
  const limit = Math.min(own, configuredMaxAgeMs ?? own);
  if (now - entry.savedAt > limit || entry.savedAt > now + 60_000) {
    await run('readwrite', (s) => s.delete(key));
    return null;
  }
  return entry;
}

export const offlineCache = {
  /** Keeps what the server answered for this user under `name`. */
  remember: (userId: string, name: string, value: unknown, now = Date.now()) =>
    run<void>('readwrite', (s) =>
      s.put({
        key: keyOf(userId, name),
        userId,
        savedAt: now,
        maxAgeMs: offlineMaxAgeMs(),
        value,
      } satisfies Entry),
    ),

  /** What was kept for this user under `name`, unless it has expired. */
  recall: async <T>(userId: string, name: string, now = Date.now()): Promise<Cached<T> | null> => {
    const entry = await read(keyOf(userId, name), now);
    return entry ? { value: entry.value as T, savedAt: entry.savedAt } : null;
  },

  /** The profile the app boots from offline (without the CSRF token, which lives only in memory). */
  rememberProfile: (me: Me, now = Date.now()) =>
    run<void>('readwrite', (s) =>
      s.put({
        key: PROFILE,
        userId: me.user.id,
        savedAt: now,
        maxAgeMs: offlineMaxAgeMs(),
        value: { ...me, csrfToken: '' },
      } satisfies Entry),
    ),

  recallProfile: async (now = Date.now()): Promise<Me | null> => {
    const entry = await read(PROFILE, now);
    return entry ? (entry.value as Me) : null;
  },

  /** Forgets everything kept for every user, and the server's limit (logout, session ended by the server). */
  wipe: () => {
    setOfflineMaxAgeDays(null);
    return run<void>('readwrite', (s) => s.clear());
  },
};

/**
 * A list the field form needs offline (targets, budget lines, caps): fetched when online and kept on
 * the phone for this user; with no network the kept copy stands in, with the time it was fetched
 * (`savedAt` null: fresh from the server; null: neither).
 */
export async function loadKept<T>(
  userId: string,
  name: string,
  fetch: () => Promise<T>,
  now = Date.now(),
): Promise<{ value: T; savedAt: number | null } | null> {
  try {
    const value = await fetch();
    await offlineCache.remember(userId, name, value, now).catch(() => {});
    return { value, savedAt: null };
  } catch {
    const kept = await offlineCache.recall<T>(userId, name, now).catch(() => null);
    return kept ? { value: kept.value, savedAt: kept.savedAt } : null;
  }
}

/** Does the browser say it is offline? (`navigator.onLine` false is reliable; true may still fail.) */
export function browserOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** How long ago something was fetched, as the outbox and the cached lists say it ("2 小时前"). */
export function ageText(savedAt: number, now = Date.now(), say: (key: AgeKey, n: number) => string): string {
  const minutes = Math.floor(Math.max(0, now - savedAt) / 60_000);
  if (minutes < 1) return say('web.offline.justNow', 0);
  if (minutes < 60) return say('web.offline.minutesAgo', minutes);
  if (minutes < 24 * 60) return say('web.offline.hoursAgo', Math.floor(minutes / 60));
  return say('web.offline.daysAgo', Math.floor(minutes / (24 * 60)));
}
export type AgeKey = 'web.offline.justNow' | 'web.offline.minutesAgo' | 'web.offline.hoursAgo' | 'web.offline.daysAgo';
