import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Result, Skeleton } from 'antd';
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { useBack } from '../lib/useBack';

/** A page loading its first data: a skeleton in place of the page, never the previous page. */
export function PageLoading() {
  return (
    <Card data-testid="page-loading">
      <Skeleton active paragraph={{ rows: 6 }} />
    </Card>
  );
}

/** A page whose data could not be had: 404 (not found or not yours), 403, or another error, with a way back. */
export function PageError({ error, backTo, backLabel }: { error: unknown; backTo: string; backLabel: string }) {
  const back = useBack(backTo);
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <Card>
      <Result
        status={status === 404 ? '404' : status === 403 ? '403' : 'error'}
        title={error instanceof ApiError ? error.display : t('web.error.network')}
        extra={
          <Button type="primary" onClick={back}>
            {backLabel}
          </Button>
        }
      />
    </Card>
  );
}

/** 返回: the back link of a detail page (history when the page was reached in the app, else `fallback`). */
export function BackButton({ fallback, label }: { fallback: string; label: string }) {
  const back = useBack(fallback);
  return <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={label} data-testid="page-back" />;
}
