import { Button, Result, Spin } from 'antd';
import { t } from '../i18n';
import { useAuth } from './auth';

const centered = { minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center' } as const;

export function FullPageSpin() {
  return (
    <div style={centered}>
      <Spin size="large" description={t('web.loading')} />
    </div>
  );
}

/** The server could not be reached while checking the session. */
export function BootError() {
  const { refresh } = useAuth();
  return (
    <div style={centered}>
      <Result
        status="warning"
        title={t('web.boot.failed')}
        subTitle={t('web.boot.failedHint')}
        extra={
          <Button type="primary" onClick={() => void refresh()}>
            {t('web.retry')}
          </Button>
        }
      />
    </div>
  );
}
