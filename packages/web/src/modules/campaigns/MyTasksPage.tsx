import type { DisplayStatus } from '@shuangyong/shared';
import { Card, Flex, Segmented, Select, Table, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Page } from '../../api/client';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { useIsMobile } from '../../lib/useIsMobile';
import { type AssignmentListItem, type AssignmentQuery, assignmentsApi } from './api';
import styles from './campaigns.module.css';
import { AssignmentStatusTag, DISPLAY_STATUS_OPTIONS } from './labels';

/** 任务填报: an assignee's tasks (to report), or for the issuer every assignee's (to review). */
export function MyTasksPage() {
  const can = useCan();
  const isMobile = useIsMobile();
  const reviewer = can('campaign:manage');
  const [query, setQuery] = useState<AssignmentQuery>({
    page: 1,
    pageSize: 20,
    ...(reviewer ? { status: 'submitted' } : {}),
  });
  const [data, setData] = useState<Page<AssignmentListItem> | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await assignmentsApi.list(query));
    } catch {
      setData(null);
    } finally {
      setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);

  const columns: TableColumnsType<AssignmentListItem> = [
    {
      title: t('wc.taskTitle'),
      dataIndex: 'taskTitle',
      render: (v: string, a) => (
        <Link to={`/assignments/${a.id}`} data-testid="task-row" data-id={a.id} data-org={a.orgName}>
          {v}
        </Link>
      ),
    },
    {
      title: t('wc.campaign'),
      dataIndex: 'campaignTitle',
      render: (v: string, a) => <Link to={`/campaigns/${a.campaignId}`}>{v}</Link>,
    },
    { title: t('wc.org'), dataIndex: 'orgName' },
    { title: t('wc.deadline'), dataIndex: 'deadline' },
    {
      title: t('wc.status'),
      dataIndex: 'displayStatus',
      render: (v: DisplayStatus) => <AssignmentStatusTag status={v} />,
    },
  ];

  return (
    <Card title={t('nav.campaignTasks')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.campaignTasks')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        {reviewer && (
          <Segmented
            value={query.status === 'submitted' ? 'review' : 'all'}
            options={[
              { value: 'review', label: t('wc.toReview') },
              { value: 'all', label: t('wc.allTasks') },
            ]}
            onChange={(v) => setQuery((q) => ({ ...q, page: 1, status: v === 'review' ? 'submitted' : undefined }))}
          />
        )}
        <Select
          allowClear
          className={styles.filter}
          options={DISPLAY_STATUS_OPTIONS}
          placeholder={t('wc.status')}
          value={query.status}
          onChange={(status?: DisplayStatus) => setQuery((q) => ({ ...q, page: 1, status }))}
        />
      </Flex>
      <Table<AssignmentListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={loading}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="task-table"
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: data?.total ?? 0,
          simple: isMobile,
          showTotal: (total) => t('web.total', { total }),
          onChange: (page, pageSize) => setQuery((s) => ({ ...s, page: pageSize === s.pageSize ? page : 1, pageSize })),
        }}
      />
    </Card>
  );
}
