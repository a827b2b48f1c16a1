import { Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { t } from '../../i18n';
import { formatDateTimeMinutes } from '../../lib/format';
import { useOnline } from '../../lib/useOnline';
import type { Draft } from './drafts';
import { onSending } from './sync';
import styles from './visits.module.css';

/** Photos of a draft not yet uploaded. */
const unsent = (d: Draft) => (d.photos ?? []).filter((p) => !p.uploadedId).length;

type Shown = 'waiting' | 'sending' | 'failed' | 'conflict';
const TAG: Record<Shown, { color: string; label: () => string }> = {
  waiting: { color: 'blue', label: () => t('web.outbox.waiting') },
  sending: { color: 'processing', label: () => t('web.outbox.sending') },
  failed: { color: 'red', label: () => t('web.outbox.failed') },
  conflict: { color: 'orange', label: () => t('web.outbox.conflict') },
};

/**
 * The outbox of the field form: every visit of this user waiting on the phone, with its state
 * (waiting, sending, failed with the server's reason, conflict), the photos still to upload, and
 * 重试 / 放弃. Sent drafts leave the list (what was sent shows in the recent visits below).
 */
export function Outbox({
  items,
  onSync,
  onRetry,
  onDiscard,
}: {
  items: Draft[];
  onSync: () => void;
  onRetry: (d: Draft) => void;
  onDiscard: (d: Draft) => void;
}) {
  const online = useOnline();
  const [sending, setSending] = useState<string | null>(null);
  useEffect(() => onSending(setSending), []);
  if (items.length === 0) return null;
  const shown = (d: Draft): Shown =>
    d.clientKey === sending
      ? 'sending'
      : d.state === 'pending'
        ? 'waiting'
        : d.state === 'conflict'
          ? 'conflict'
          : 'failed';
  return (
    <Card
      size="small"
      title={t('web.outbox.title', { n: items.length })}
      className={styles.drafts}
      data-testid="visit-drafts"
      extra={
        <Button size="small" onClick={onSync} disabled={!online || sending !== null} data-testid="visit-sync">
          {t('web.outbox.sendAll')}
        </Button>
      }
    >
      {!online && <Typography.Text type="secondary">{t('web.outbox.offlineHint')}</Typography.Text>}
      <List
        dataSource={items}
        renderItem={(d) => {
          const state = shown(d);
          return (
            <List.Item
              data-testid="outbox-item"
              data-state={state}
              actions={[
                state === 'failed' || state === 'conflict' ? (
                  <Button key="retry" size="small" onClick={() => onRetry(d)} disabled={!online}>
                    {t('web.outbox.retry')}
                  </Button>
                ) : null,
                state === 'sending' ? null : (
                  <Popconfirm
                    key="discard"
                    title={t('web.outbox.discardConfirm')}
                    okText={t('web.outbox.discard')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => onDiscard(d)}
                  >
                    <Button size="small" danger data-testid="outbox-discard">
                      {t('web.outbox.discard')}
                    </Button>
                  </Popconfirm>
                ),
              ]}
            >
              <Space direction="vertical" size={0}>
                <span>
                  {d.targetName} <Tag color={TAG[state].color}>{TAG[state].label()}</Tag>
                </span>
                <Typography.Text type="secondary">
                  {t('web.outbox.savedAt', { time: formatDateTimeMinutes(d.savedAt) })}
                </Typography.Text>
                {d.message && <Typography.Text type="danger">{d.message}</Typography.Text>}
                {unsent(d) > 0 && (
                  <Typography.Text type="secondary">{t('web.visits.draftPhotos', { n: unsent(d) })}</Typography.Text>
                )}
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
