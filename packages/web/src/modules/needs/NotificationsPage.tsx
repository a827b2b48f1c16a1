import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Checkbox, Flex, List, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type AppNotification, notificationsApi } from '../../api/notifications';
import { DocTitle } from '../../app/DocTitle';
import { SelectionBar } from '../../components/SelectionBar';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useIsMobile } from '../../lib/useIsMobile';
import styles from './needs.module.css';

/** `/notifications`: the caller's in-app notifications; opening one marks it read. */
export function NotificationsPage() {
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const query = { page, pageSize: 20, ...(onlyUnread ? { unread: 'true' as const } : {}) };
  const list = useQuery({
    queryKey: ['notifications', query],
    queryFn: ({ signal }) => notificationsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const reload = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });

  async function open(n: AppNotification) {
    if (!n.read) await notificationsApi.read(n.id).catch(() => undefined);
    if (n.entityType === 'need' && n.entityId) navigate(`/needs/${n.entityId}`);
    else if (n.entityType === 'campaign_assignment' && n.entityId) navigate(`/assignments/${n.entityId}`);
    // a reconciliation's discrepancies (decisions/0055): the worklist, the owner's own
    else if (n.entityType === 'benefit_discrepancy' || n.entityType === 'benefit_roster')
      navigate('/benefits?tab=discrepancies&mine=true');
    else void reload();
  }

  async function markRead(ids: string[] | 'all') {
    setBusy(true);
    try {
      await (ids === 'all' ? notificationsApi.readAll() : notificationsApi.readMany(ids));
      setSelected([]);
      void message.success(t('notifications.markedRead'));
      await reload();
    } catch {
      // shown by the global handler
    } finally {
      setBusy(false);
    }
  }
  const unreadOnPage = (data?.items ?? []).filter((n) => !n.read).map((n) => n.id);

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
          onClick={() => void markRead('all')}
          loading={busy}
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
      <SelectionBar
        count={selected.length}
        onClear={() => setSelected([])}
        actions={
          <Button
            type="primary"
            size="small"
            loading={busy}
            onClick={() => void markRead(selected)}
            data-testid="notifications-read-selected"
          >
            {t('needs.selectedRead')}
          </Button>
        }
        selectAll={
          unreadOnPage.length > 0 && (
            <Checkbox
              checked={unreadOnPage.every((id) => selected.includes(id))}
              indeterminate={selected.length > 0 && !unreadOnPage.every((id) => selected.includes(id))}
              onChange={(e) => setSelected(e.target.checked ? unreadOnPage : [])}
              data-testid="notifications-select-all"
            >
              {t('notifications.selectUnread')}
            </Checkbox>
          )
        }
      />
      <List<AppNotification>
        loading={list.isPending}
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
                  {!n.read && (
                    <Checkbox
                      checked={selected.includes(n.id)}
                      onChange={(e) =>
                        setSelected((s) => (e.target.checked ? [...s, n.id] : s.filter((x) => x !== n.id)))
                      }
                      aria-label={t('notifications.select')}
                      data-testid="notification-select"
                    />
                  )}
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
