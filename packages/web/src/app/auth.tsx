import type { Me, Permission } from '@shuangyong/shared';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { authApi } from '../api/auth';
import { ApiError, setCsrfToken } from '../api/client';
import { setDisplayZone } from '../lib/zone';

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  /** Refetches `/auth/me`; resolves to null when the session is gone. */
  refresh: () => Promise<Me | null>;
  /** After a successful login. */
  signedIn: (me: Me) => void;
  /** Forgets the session locally (after logout or a 401). */
  signedOut: () => void;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const queryClient = useQueryClient();

  const signedIn = useCallback((next: Me) => {
    setCsrfToken(next.csrfToken);
    setDisplayZone(next.timeZone);
    setMe(next);
    setStatus('authenticated');
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setMe(null);
    setStatus('anonymous');
    // nothing one user read stays in memory for the next
    queryClient.clear();
  }, [queryClient]);

  const refresh = useCallback(async () => {
    try {
      const next = await authApi.me();
      signedIn(next);
      return next;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signedOut();
      else setStatus((s) => (s === 'loading' ? 'error' : s));
      return null;
    }
  }, [signedIn, signedOut]);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // the session is forgotten locally either way
    }
    signedOut();
  }, [signedOut]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(
    () => ({ status, me, refresh, signedIn, signedOut, logout }),
    [status, me, refresh, signedIn, signedOut, logout],
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
