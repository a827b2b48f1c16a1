import { Alert, Button, Flex, Spin } from 'antd';
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
    <div style={{ ...centered, padding: 16 }}>
      <Flex vertical gap={16} align="center" style={{ maxWidth: 420 }}>
        <Alert type="warning" showIcon title={t('web.boot.failed')} description={t('web.boot.failedHint')} />
        <Button type="primary" onClick={() => void refresh()}>
          {t('web.retry')}
        </Button>
      </Flex>
    </div>
  );
}
