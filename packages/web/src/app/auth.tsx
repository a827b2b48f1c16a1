import type { Me, Permission } from '@shuangyong/shared';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { authApi } from '../api/auth';
import { ApiError, configureSessionCheck, ensureCsrfToken, setCsrfToken } from '../api/client';
import { offlineCache, setOfflineMaxAgeDays } from '../lib/offline';
import { setSealKey } from '../lib/seal';
import { setDisplayZone } from '../lib/zone';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  /**
   * The server could not be reached at start: the app runs from the profile kept on this phone
   * (the field pages work, the rest waits for the network). Cleared by the next successful /auth/me.
   */
  offline: boolean;
  /** Refetches `/auth/me`; resolves to null when the session is gone. */
  refresh: () => Promise<Me | null>;
  /** After a successful login. */
  signedIn: (me: Me) => void;
  /** Forgets the session locally (after logout or a 401). */
  signedOut: () => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** Set when a logout could not reach the server (offline): the session is ended there later. */
const LOGOUT_PENDING = 'sy.logoutPending';
const logoutPending = () => localStorage.getItem(LOGOUT_PENDING) !== null;

/** Ends on the server the session an offline logout left (the CSRF token comes with /auth/me). */
async function finishLogout(): Promise<void> {
  try {
    const held = await authApi.me();
    setCsrfToken(held.csrfToken);
    await authApi.logout();
  } catch (error) {
    // 401: already gone; anything else: try again next time
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  localStorage.removeItem(LOGOUT_PENDING);
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [offline, setOffline] = useState(false);
  const queryClient = useQueryClient();

  const signedIn = useCallback((next: Me) => {
    // a new login replaces the session an offline logout left behind
    localStorage.removeItem(LOGOUT_PENDING);
    setCsrfToken(next.csrfToken);
    setDisplayZone(next.timeZone);
    setSealKey(next.user.id, next.draftKey);
    setOfflineMaxAgeDays(next.offlineCacheDays);
    setMe(next);
    setOffline(false);
    setStatus('authenticated');
    // the app can open from it with no signal (kept for offlineCacheDays, wiped on logout)
    offlineCache.rememberProfile(next).catch(() => {});
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    // this user's queued drafts stay on the phone, sealed under the key forgotten here
    setSealKey(null);
    setMe(null);
    setOffline(false);
    setStatus('anonymous');
    // nothing one user read stays in memory or on the phone for the next; visit drafts stay
    // sealed under their user (drafts.ts)
    queryClient.clear();
    offlineCache.wipe().catch(() => {});
  }, [queryClient]);

  const refresh = useCallback(async () => {
    try {
      // a logout made offline is finished first: the phone must not sign its user in again
      if (logoutPending()) {
        await finishLogout();
        signedOut();
        return null;
      }
      const next = await authApi.me();
      signedIn(next);
      return next;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        signedOut();
        return null;
      }
      if (logoutPending()) {
        // still offline: the user stays logged out here until the server has ended the session
        setStatus('anonymous');
        return null;
      }
      // no network: open from the profile kept on this phone, if there is one
      const kept =
        error instanceof ApiError && error.status === 0 ? await offlineCache.recallProfile().catch(() => null) : null;
      if (kept) {
        setCsrfToken(null);
        setDisplayZone(kept.timeZone);
        setSealKey(kept.user.id, kept.draftKey);
        // a profile kept before the setting existed has no limit of its own: the default applies
        setOfflineMaxAgeDays(kept.offlineCacheDays);
        setMe((current) => current ?? kept);
        setOffline(true);
        setStatus('authenticated');
        return null;
      }
      setStatus((s) => (s === 'loading' ? 'error' : s));
      return null;
    }
  }, [signedIn, signedOut]);

  const logout = useCallback(async () => {
    try {
      if (!(await ensureCsrfToken())) throw new Error('offline');
      await authApi.logout();
    } catch (error) {
      // the session is forgotten locally either way; one the server could not be told about is
      // ended the next time the app reaches it
      if (!(error instanceof ApiError && error.status === 401)) localStorage.setItem(LOGOUT_PENDING, '1');
    }
    // what was kept for offline use is gone before the login page shows
    await offlineCache.wipe().catch(() => {});
    signedOut();
  }, [signedOut]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // started offline: back online, the session is checked (and the CSRF token fetched) again
  useEffect(() => {
    if (!offline) return;
    const check = () => void refresh();
    window.addEventListener('online', check);
    return () => window.removeEventListener('online', check);
  }, [offline, refresh]);

  // a write after an offline start first fetches the session's CSRF token
  useEffect(() => configureSessionCheck(refresh), [refresh]);

  const value = useMemo(
    () => ({ status, me, offline, refresh, signedIn, signedOut, logout }),
    [status, me, offline, refresh, signedIn, signedOut, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for components rendered behind the auth guard. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export function useCan(): (permission: Permission) => boolean {
  const { me } = useAuth();
  return useCallback((permission: Permission) => !!me?.permissions.includes(permission), [me]);
}
