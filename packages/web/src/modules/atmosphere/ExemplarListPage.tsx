import { DownloadOutlined } from '@ant-design/icons';
import { EXEMPLAR_STATUSES, EXEMPLAR_TYPES, type ExemplarStatus } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Flex, Select, Space, Switch, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { type ExemplarListItem, type ExemplarQuery, exemplarsApi } from '../../api/exemplars';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { ExemplarStatusTag } from './findings';
import { ListCard, PagedTable } from './review';

const thisYear = new Date().getFullYear();
export const yearOptions = Array.from({ length: 8 }, (_, i) => thisYear + 1 - i).map((y) => ({
  value: y,
  label: t('exemplars.yearLabel', { year: y }),
}));
export const typeOptions = EXEMPLAR_TYPES.map((k) => ({ value: k, label: t(`exemplars.type.${k}`) }));
const statusOptions = EXEMPLAR_STATUSES.map((s) => ({ value: s, label: t(`exemplars.status.${s}`) }));

/** `/exemplars`: the register of 双拥先进典型 by year and type, as the caller sees it; the city filters to its queue. */
export function ExemplarListPage() {
  const can = useCan();
  const { message } = App.useApp();
  const [query, setQuery] = useState<ExemplarQuery>({ page: 1, pageSize: 20 });
  const [exporting, setExporting] = useState(false);
  const list = useQuery({
    queryKey: ['exemplars', query],
    queryFn: ({ signal }) => exemplarsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: Partial<ExemplarQuery>) => setQuery((q) => ({ ...q, ...patch, page: 1 }));
  const columns: TableColumnsType<ExemplarListItem> = [
    { title: t('exemplars.col.year'), dataIndex: 'year', width: 80 },
    { title: t('exemplars.col.type'), dataIndex: 'typeName' },
    {
      title: t('exemplars.col.name'),
      dataIndex: 'name',
      render: (v: string, r) => (
        <Link to={`/exemplars/${r.id}`} data-testid="exemplar-row">
          {v}
        </Link>
      ),
    },
    { title: t('exemplars.col.org'), dataIndex: 'orgName' },
    {
      title: t('exemplars.col.status'),
      dataIndex: 'status',
      render: (s: ExemplarStatus) => <ExemplarStatusTag status={s} />,
    },
    { title: t('exemplars.col.publishedOn'), dataIndex: 'publishedOn', render: (v: string | null) => v ?? '' },
  ];
  const exportIt = async () => {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...filters } = query;
      await exemplarsApi.exportRegister(filters, `${t('exemplars.exportFileName')}.xlsx`);
      message.success(t('exemplars.exported'));
    } finally {
      setExporting(false);
    }
  };
  return (
    <ListCard
      title={t('exemplars.title')}
      newLabel={t('exemplars.new')}
      newPath="/exemplars/new"
      createTestId="exemplar-create"
    >
      <Flex wrap gap={8} align="center" style={{ marginBottom: 12 }}>
        <Select
          allowClear
          aria-label={t('exemplars.col.year')}
          placeholder={t('exemplars.col.year')}
          style={{ minWidth: 120 }}
          options={yearOptions}
          value={query.year}
          onChange={(v) => set({ year: v })}
          data-testid="exemplar-filter-year"
        />
        <Select
          allowClear
          aria-label={t('exemplars.col.type')}
          placeholder={t('exemplars.col.type')}
          style={{ minWidth: 160 }}
          options={typeOptions}
          value={query.type}
          onChange={(v) => set({ type: v })}
          data-testid="exemplar-filter-type"
        />
        <Select
          allowClear
          aria-label={t('exemplars.col.status')}
          placeholder={t('exemplars.col.status')}
          style={{ minWidth: 120 }}
          options={statusOptions}
          value={query.status}
          onChange={(v) => set({ status: v })}
        />
        {can('publicity:review') ? (
          <Space>
            <Switch
              aria-label={t('exemplars.toReview')}
              data-testid="exemplar-to-review"
              checked={query.toReview === 'true'}
              onChange={(on) => set({ toReview: on ? 'true' : undefined })}
            />
            <span>{t('exemplars.toReview')}</span>
          </Space>
        ) : null}
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportIt} data-testid="exemplar-export">
          {t('exemplars.export')}
        </Button>
      </Flex>
      <PagedTable
        columns={columns}
        items={list.data?.items}
        total={list.data?.total}
        loading={list.isFetching}
        page={query.page}
        pageSize={query.pageSize}
        emptyText={t('exemplars.empty')}
        onPage={(page, pageSize) => setQuery((q) => ({ ...q, page, pageSize }))}
      />
    </ListCard>
  );
}
