import { Alert, Button } from 'antd';
import { useEffect, useState } from 'react';
import { t } from '../i18n';
import { useOnline } from '../lib/useOnline';
import { onUpdate } from './update';

/**
 * Above every page: "离线" while the browser has no network (the field pages keep working, the
 * others wait), and "新版本可用，刷新" when a new deployment's service worker is waiting.
 */
export function OfflineBar() {
  const online = useOnline();
  const [apply, setApply] = useState<(() => void) | null>(null);
  useEffect(() => onUpdate((next) => setApply(() => next)), []);
  return (
    <>
      {!online && <Alert banner type="warning" title={t('web.offline.banner')} data-testid="offline-banner" />}
      {apply && (
        <Alert
          banner
          type="info"
          title={t('web.offline.update')}
          data-testid="update-banner"
          action={
            <Button size="small" type="primary" onClick={apply}>
              {t('web.offline.reload')}
            </Button>
          }
        />
      )}
    </>
  );
}
