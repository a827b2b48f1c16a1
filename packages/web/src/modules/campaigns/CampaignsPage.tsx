import { PlusOutlined } from '@ant-design/icons';
import type { CampaignKind, CampaignStatus } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Input, Progress, Select, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { type CampaignListItem, type CampaignQuery, campaignsApi } from '../../api/campaigns';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { useIsMobile } from '../../lib/useIsMobile';
import styles from './campaigns.module.css';
import { CAMPAIGN_STATUS_OPTIONS, CampaignStatusTag, KIND_OPTIONS } from './labels';

/** 工作部署: the issuer's campaigns, or the ones that give the caller's org work. */
export function CampaignsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const [query, setQuery] = useState<CampaignQuery>({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['campaigns', query],
    queryFn: ({ signal }) => campaignsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;

  const update = (patch: Partial<CampaignQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));

  const columns: TableColumnsType<CampaignListItem> = [
    {
      title: t('wc.title'),
      dataIndex: 'title',
      render: (v: string, c) => (
        <Link to={`/campaigns/${c.id}`} data-testid="campaign-row" data-id={c.id}>
          {v}
        </Link>
      ),
    },
    { title: t('wc.docNumber'), dataIndex: 'docNumber', render: (v: string | null) => v ?? '—' },
    { title: t('wc.kind'), dataIndex: 'kind', render: (v: CampaignKind) => label('campaignKind', v) },
    { title: t('wc.status'), dataIndex: 'status', render: (v: CampaignStatus) => <CampaignStatusTag status={v} /> },
    { title: t('wc.issuers'), dataIndex: 'issuers', render: (v: string[]) => v.join(t('web.enumSeparator')) },
    { title: t('wc.firstDeadline'), dataIndex: 'firstDeadline', render: (v: string | null) => v ?? '—' },
    {
      title: t('wc.completion'),
      dataIndex: 'counts',
      render: (v: CampaignListItem['counts']) => (
        <Flex vertical gap={0} style={{ minWidth: 140 }}>
          <Progress percent={v.completion} size="small" status={v.overdue ? 'exception' : undefined} />
          <span className={styles.muted}>
            {t('wc.countsLine', { accepted: v.accepted, assigned: v.assigned, overdue: v.overdue })}
          </span>
        </Flex>
      ),
    },
  ];

  return (
    <Card title={t('nav.campaigns')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.campaigns')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        {can('campaign:manage') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/campaigns/new')}
            data-testid="campaign-new"
          >
            {t('wc.new')}
          </Button>
        )}
        <Input.Search
          allowClear
          className={styles.search}
          placeholder={t('wc.searchTitle')}
          onSearch={(q) => update({ q: q || undefined })}
          data-testid="campaign-search"
        />
        <Select
          allowClear
          className={styles.filter}
          options={CAMPAIGN_STATUS_OPTIONS}
          placeholder={t('wc.status')}
          value={query.status}
          onChange={(status?: CampaignStatus) => update({ status })}
        />
        <Select
          allowClear
          className={styles.filter}
          options={KIND_OPTIONS}
          placeholder={t('wc.kind')}
          value={query.kind}
          onChange={(kind?: CampaignKind) => update({ kind })}
        />
      </Flex>
      <Table<CampaignListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="campaign-table"
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
