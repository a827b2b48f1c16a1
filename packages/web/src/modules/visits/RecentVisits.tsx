import type { Visit } from '@shuangyong/shared';
import { Card, List, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { visitsApi } from '../../api/visits';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { AddPhotos } from './AddPhotos';
import { ApprovalTag } from './ApprovalsCard';
import { VisitPhotos } from './VisitPhotos';
import styles from './visits.module.css';

/**
 * The latest visits of the campaign in the user's area, with their photos: what the field form
 * has sent shows up here (reloaded whenever `version` changes, e.g. after a save or a sync), and
 * photos can be added to each afterwards.
 */
export function RecentVisits({ campaignId, version }: { campaignId: string; version: number }) {
  const [items, setItems] = useState<Visit[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [online, setOnline] = useState(0);
  const [added, setAdded] = useState(0);

  useEffect(() => {
    const again = () => setOnline((n) => n + 1);
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version`, `online` and `added` ask for a reload
  useEffect(() => {
    let live = true;
    visitsApi
      .visits(campaignId)
      .then((page) => {
        if (!live) return;
        setItems(page.items);
        setFailed(false);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [campaignId, version, online, added]);

  return (
    <Card size="small" title={t('web.visits.recent')} className={styles.drafts} data-testid="visit-recent">
      {failed && !items ? (
        <Typography.Text type="secondary">{t('web.visits.recentFailed')}</Typography.Text>
      ) : (
        <List
          loading={!items}
          dataSource={items ?? []}
          locale={{ emptyText: t('web.visits.recentEmpty') }}
          renderItem={(v) => (
            <List.Item data-testid="visit-recent-item">
              <Space direction="vertical" size={4}>
                <span>
                  {v.targetName}
                  {v.approvalStatus !== 'none' && (
                    <span className={styles.closedTag}>
                      <ApprovalTag status={v.approvalStatus} />
                    </span>
                  )}
                </span>
                <Typography.Text type="secondary">
                  {formatDateTime(v.visitedAt)} · {v.visitors.staff.join(t('web.enumSeparator'))}
                </Typography.Text>
                <VisitPhotos visit={v} />
                <AddPhotos visit={v} onAdded={() => setAdded((n) => n + 1)} />
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
