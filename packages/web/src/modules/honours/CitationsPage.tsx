import { CITATION_STATUSES } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Flex, Segmented, Select, Table, type TableColumnsType, Tag, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  type AwardLevel,
  type CitationListItem,
  type CitationQuery,
  type CitationStatus,
  citationsApi,
} from '../../api/honours';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import styles from './honours.module.css';

type Preset = 'all' | 'pending' | 'overdue';
const REGISTER_WORKING_DAYS = 5;

const presetQuery = (p: Preset): Pick<CitationQuery, 'pending' | 'overdue'> =>
  p === 'pending'
    ? { pending: 'true', overdue: undefined }
    : p === 'overdue'
      ? { overdue: 'true', pending: undefined }
      : {};

/** 立功喜报 of every household in scope: the unregistered by deadline first, filterable by due, overdue, year, status. */
export function CitationsPage() {
  const can = useCan();
  const isMobile = useIsMobile();
  const { forest } = useOrgTree(false, can('org:read'));
  const orgTreeData = useMemo(() => toSelectTree(forest), [forest]);
  // a link may name the preset (the home page's 待登记: ?pending=true)
  const [params] = useSearchParams();
  const linked: Preset =
    params.get('pending') === 'true' ? 'pending' : params.get('overdue') === 'true' ? 'overdue' : 'all';
  const [preset, setPreset] = useState<Preset>(linked);
  const [query, setQuery] = useState<CitationQuery>({ page: 1, pageSize: 20, ...presetQuery(linked) });
  const list = useQuery({
    queryKey: ['citations', query],
    queryFn: ({ signal }) => citationsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const update = (patch: Partial<CitationQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));
  const thisYear = new Date().getFullYear();

  const columns: TableColumnsType<CitationListItem> = [
    {
      title: t('citations.member'),
      dataIndex: 'memberName',
      fixed: isMobile ? undefined : 'left',
      render: (v: string, c) => (
        <Link to={`/households/${c.householdId}`} data-testid="citation-row" data-id={c.id}>
          {v}
        </Link>
      ),
    },
    { title: t('citations.household'), dataIndex: 'householdLabel' },
    { title: t('citations.award'), dataIndex: 'awardLevel', render: (v: AwardLevel) => label('awardLevel', v) },
    { title: t('citations.year'), dataIndex: 'awardYear' },
    { title: t('citations.receivedAt'), dataIndex: 'receivedAt', className: styles.nowrap },
    {
      title: t('citations.deadline'),
      dataIndex: 'registerDeadline',
      className: styles.nowrap,
      render: (v: string, c) => (
        <span>
          {v}{' '}
          {c.overdue && (
            <Tag color="red" className={styles.tag} data-testid="citation-overdue">
              {t('citations.overdueTag')}
            </Tag>
          )}
          {c.due && (
            <Tag color="orange" className={styles.tag} data-testid="citation-due">
              {t('citations.dueTag')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t('citations.status'),
      dataIndex: 'status',
      render: (v: CitationStatus) => <Tag className={styles.tag}>{label('citationStatus', v)}</Tag>,
    },
  ];

  return (
    <Card title={t('nav.citations')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.citations')} />
      <Typography.Paragraph type="secondary">
        {t('citations.hint', { days: REGISTER_WORKING_DAYS })}
      </Typography.Paragraph>
      <Flex wrap gap={8} className={styles.toolbar}>
        <Segmented<Preset>
          value={preset}
          onChange={(p) => {
            setPreset(p);
            setQuery((q) => ({ ...q, page: 1, pending: undefined, overdue: undefined, ...presetQuery(p) }));
          }}
          options={[
            { value: 'all', label: t('citations.all') },
            { value: 'pending', label: t('citations.pending') },
            { value: 'overdue', label: t('citations.overdue') },
          ]}
          data-testid="citation-preset"
        />
        {orgTreeData.length > 0 && (
          <TreeSelect
            allowClear
            className={styles.orgFilter}
            treeData={orgTreeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll={orgTreeData.length < 50}
            placeholder={t('beneficiaries.filterOrg')}
            value={query.orgId}
            onChange={(orgId?: string) => update({ orgId: orgId || undefined })}
            data-testid="citation-filter-org"
          />
        )}
        <Select
          allowClear
          className={styles.filter}
          placeholder={t('citations.filterYear')}
          value={query.year}
          onChange={(year?: number) => update({ year })}
          options={Array.from({ length: 6 }, (_, i) => ({ value: thisYear - i, label: String(thisYear - i) }))}
          data-testid="citation-filter-year"
        />
        <Select
          allowClear
          className={styles.filter}
          placeholder={t('citations.filterStatus')}
          value={query.status}
          onChange={(status?: CitationStatus) => update({ status })}
          options={CITATION_STATUSES.map((s) => ({ value: s, label: label('citationStatus', s) }))}
          data-testid="citation-filter-status"
        />
      </Flex>
      <Table<CitationListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="citation-table"
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
    </Card>
  );
}
