import { Badge, Button, Card, Flex, List, Switch, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Page } from '../../api/client';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import { type AppNotification, notificationsApi } from './api';
import styles from './needs.module.css';

/** `/notifications`: the caller's in-app notifications; opening one marks it read. */
export function NotificationsPage() {
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [data, setData] = useState<(Page<AppNotification> & { unread: number }) | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await notificationsApi.list({ page, pageSize: 20, ...(onlyUnread ? { unread: 'true' as const } : {}) }));
    } catch {
      setData(null);
    } finally {
      setLoading(false);
    }
  }, [page, onlyUnread]);

  useEffect(() => {
    void load();
  }, [load]);

  async function open(n: AppNotification) {
    if (!n.read) await notificationsApi.read(n.id).catch(() => undefined);
    if (n.entityType === 'need' && n.entityId) navigate(`/needs/${n.entityId}`);
    else void load();
  }

  return (
    <Card
      title={
        <Flex gap={8} align="center">
          {t('notifications.title')}
          <Badge count={data?.unread ?? 0} data-testid="notifications-unread" />
        </Flex>
      }
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
      extra={
        <Button
          onClick={() =>
            void notificationsApi
              .readAll()
              .then(load)
              .catch(() => {})
          }
          disabled={!data?.unread}
          data-testid="notifications-read-all"
        >
          {t('notifications.readAll')}
        </Button>
      }
    >
      <DocTitle title={t('notifications.title')} />
      <Flex gap={6} align="center" className={styles.toolbar}>
        <Switch
          size="small"
          checked={onlyUnread}
          onChange={(v) => {
            setPage(1);
            setOnlyUnread(v);
          }}
        />
        {t('notifications.onlyUnread')}
      </Flex>
      <List<AppNotification>
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('notifications.empty') }}
        data-testid="notifications-list"
        pagination={
          data && data.total > 20
            ? { current: page, pageSize: 20, total: data.total, onChange: setPage, simple: isMobile }
            : false
        }
        renderItem={(n) => (
          <List.Item
            key={n.id}
            data-testid="notification"
            data-kind={n.kind}
            actions={[
              <Typography.Link key="open" onClick={() => void open(n)}>
                {t('notifications.open')}
              </Typography.Link>,
            ]}
          >
            <List.Item.Meta
              title={
                <Flex gap={8} align="center">
                  {!n.read && <Badge status="processing" />}
                  <span className={n.read ? undefined : styles.unread}>{n.title}</span>
                </Flex>
              }
              description={
                <>
                  <div>{n.body}</div>
                  <div className={styles.muted}>{formatDateTime(n.createdAt)}</div>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
