import { QueryClientProvider } from '@tanstack/react-query';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { LoginPage } from '../modules/login/LoginPage';
import { ApiBridge } from './ApiBridge';
import { AuthProvider, useAuth } from './auth';
import { BootError, FullPageSpin } from './Boot';
import { OfflineBar } from './OfflineBar';
import { createQueryClient } from './query';
import { theme } from './theme';

/** Everything behind the login: loaded only after a session exists, so the login page stays light. */
const AuthenticatedApp = lazy(() => import('./AuthenticatedApp'));

export function Root() {
  const [queryClient] = useState(createQueryClient);
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <App>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <AuthProvider>
              <ApiBridge />
              <OfflineBar />
              <Routes>
                <Route path="/login" element={<LoginRoute />} />
                <Route path="*" element={<Protected />} />
              </Routes>
            </AuthProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </App>
    </ConfigProvider>
  );
}

export interface FromState {
  from?: string;
}

function LoginRoute() {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'authenticated') {
    const from = (location.state as FromState | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }
  return <LoginPage />;
}

function Protected() {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'error') return <BootError />;
  if (status === 'anonymous') {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to="/login" replace state={{ from } satisfies FromState} />;
  }
  return (
    <Suspense fallback={<FullPageSpin />}>
      <AuthenticatedApp />
    </Suspense>
  );
}
