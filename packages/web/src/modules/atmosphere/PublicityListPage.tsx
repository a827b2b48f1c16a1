import type { PublicityStatus } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Flex, Switch, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type PublicityListItem, type PublicityQuery, publicityApi } from '../../api/publicity';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { PublicityStatusTag } from './findings';
import { ListCard, PagedTable } from './review';

/** `/publicity`: the items of the caller's scope and every published one; reviewers filter to their queue. */
export function PublicityListPage() {
  const can = useCan();
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
    {
      title: t('publicity.col.status'),
      dataIndex: 'status',
      render: (s: PublicityStatus) => <PublicityStatusTag status={s} />,
    },
    { title: t('publicity.col.updated'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v) },
  ];
  return (
    <ListCard
      title={t('publicity.title')}
      newLabel={t('publicity.new')}
      newPath="/publicity/new"
      createTestId="publicity-create"
    >
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
      <PagedTable
        columns={columns}
        items={list.data?.items}
        total={list.data?.total}
        loading={list.isFetching}
        page={query.page}
        pageSize={query.pageSize}
        emptyText={t('publicity.empty')}
        onPage={(page, pageSize) => setQuery((q) => ({ ...q, page, pageSize }))}
      />
    </ListCard>
  );
}
