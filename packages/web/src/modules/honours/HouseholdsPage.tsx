import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Select, Table, type TableColumnsType, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { PlaqueStatus } from '../../api/beneficiaries';
import { type HouseholdListItem, type HouseholdQuery, householdsApi } from '../../api/honours';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { orDash, PLAQUE_OPTIONS, PlaqueTag } from '../registry/labels';
import styles from './honours.module.css';

/** 应挂未挂: eligible for a 光荣牌 and none hung. */
const isPending = (q: HouseholdQuery) => q.plaqueEligible === 'true' && q.plaqueStatus === 'none';

/** 荣誉: households with their 光荣牌 status; the preset 应挂未挂 finds the gaps. */
export function HouseholdsPage() {
  const can = useCan();
  const isMobile = useIsMobile();
  const { forest } = useOrgTree(false, can('org:read'));
  const orgTreeData = useMemo(() => toSelectTree(forest), [forest]);
  const [query, setQuery] = useState<HouseholdQuery>({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['households', query],
    queryFn: ({ signal }) => householdsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;

  const update = (patch: Partial<HouseholdQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));
  const pending = isPending(query);

  const columns: TableColumnsType<HouseholdListItem> = [
    {
      title: t('households.household'),
      dataIndex: 'label',
      fixed: isMobile ? undefined : 'left',
      render: (v: string, h) => (
        <Link to={`/households/${h.id}`} data-testid="household-row" data-id={h.id}>
          {v}
        </Link>
      ),
    },
    {
      title: t('households.address'),
      dataIndex: 'addressMasked',
      render: (v: string | null) => v || t('households.noAddress'),
    },
    {
      title: t('households.members'),
      dataIndex: 'members',
      render: (v: string[]) => orDash(v.join(t('web.enumSeparator'))),
    },
    { title: t('households.org'), dataIndex: 'orgName' },
    {
      title: t('households.plaqueStatus'),
      dataIndex: 'plaqueStatus',
      render: (v: PlaqueStatus) => <PlaqueTag status={v} />,
    },
    {
      title: t('households.plaqueEligible'),
      dataIndex: 'plaqueEligible',
      render: (v: boolean, h) =>
        v ? (
          <Tag className={styles.tag} color={h.plaqueStatus === 'none' ? 'red' : 'green'}>
            {h.plaqueStatus === 'none' ? t('households.pendingTag') : t('households.eligibleYes')}
          </Tag>
        ) : (
          <Tag className={styles.tag}>{t('households.eligibleNo')}</Tag>
        ),
    },
  ];

  return (
    <Card title={t('nav.households')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.households')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        <Button
          type={pending ? 'primary' : 'default'}
          danger={pending}
          onClick={() =>
            update(
              pending
                ? { plaqueEligible: undefined, plaqueStatus: undefined }
                : { plaqueEligible: 'true', plaqueStatus: 'none' },
            )
          }
          data-testid="household-filter-pending"
          aria-pressed={pending}
        >
          {t('households.presetPending')}
        </Button>
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
            data-testid="household-filter-org"
          />
        )}
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          className={styles.filter}
          options={PLAQUE_OPTIONS}
          placeholder={t('beneficiaries.filterPlaque')}
          value={query.plaqueStatus}
          onChange={(plaqueStatus?: PlaqueStatus) => update({ plaqueStatus })}
          data-testid="household-filter-plaque"
        />
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          className={styles.filter}
          options={[
            { value: 'true', label: t('households.eligibleYes') },
            { value: 'false', label: t('households.eligibleNo') },
          ]}
          placeholder={t('households.filterEligible')}
          value={query.plaqueEligible}
          onChange={(v?: 'true' | 'false') => update({ plaqueEligible: v })}
          data-testid="household-filter-eligible"
        />
      </Flex>
      <Table<HouseholdListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="household-table"
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
    </Card>
  );
}
