import { App } from 'antd';
import { useEffect } from 'react';
import { configureApi } from '../api/client';
import { browserOffline } from '../lib/offline';
import { useAuth } from './auth';

/** Connects the API client to the UI: one global error message (none offline), 401 → back to the login page. */
export function ApiBridge() {
  const { message } = App.useApp();
  const { signedOut, refresh } = useAuth();

  useEffect(() => {
    configureApi({
      onError: (error) => {
        // offline, the banner says so once instead of a message per failed request
        if (error.status === 0 && browserOffline()) return;
        void message.error({ content: error.display, key: `${error.status}:${error.code}` });
      },
      onUnauthorized: () => signedOut(),
      onForbiddenFlow: () => void refresh(),
    });
  }, [message, signedOut, refresh]);

  return null;
}
