import { PlusOutlined } from '@ant-design/icons';
import type { PublicityStatus } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type PublicityListItem, type PublicityQuery, publicityApi } from '../../api/publicity';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';

const STATUS_COLOR: Record<PublicityStatus, string> = {
  draft: 'default',
  returned: 'red',
  civil_review: 'blue',
  military_review: 'purple',
  approved: 'green',
  published: 'gold',
};

export function StatusTag({ status }: { status: PublicityStatus }) {
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="publicity-status">
      {t(`atmosphere.status.${status}`)}
    </Tag>
  );
}

/** `/publicity`: the items of the caller's scope and every published one; reviewers filter to their queue. */
export function PublicityListPage() {
  const can = useCan();
  const navigate = useNavigate();
  const [query, setQuery] = useState<PublicityQuery>({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['publicity', query],
    queryFn: ({ signal }) => publicityApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<PublicityListItem> = [
    {
      title: t('publicity.col.title'),
      dataIndex: 'title',
      render: (v: string, r) => (
        <Link to={`/publicity/${r.id}`} data-testid="publicity-row">
          {v}
        </Link>
      ),
    },
    { title: t('publicity.col.org'), dataIndex: 'orgName' },
    { title: t('publicity.col.status'), dataIndex: 'status', render: (s: PublicityStatus) => <StatusTag status={s} /> },
    { title: t('publicity.col.updated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('publicity.title')}
        </Typography.Title>
      }
      extra={
        can('publicity:write') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="publicity-create"
            onClick={() => navigate('/publicity/new')}
          >
            {t('publicity.new')}
          </Button>
        ) : null
      }
    >
      <DocTitle title={t('publicity.title')} />
      {can('publicity:review') ? (
        <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
          <Switch
            aria-label={t('publicity.toReview')}
            data-testid="publicity-to-review"
            checked={query.toReview === 'true'}
            onChange={(on) => setQuery((q) => ({ ...q, page: 1, toReview: on ? 'true' : undefined }))}
          />
          <span>{t('publicity.toReview')}</span>
        </Flex>
      ) : null}
      <Table
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('publicity.empty') }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
        }}
      />
    </Card>
  );
}
