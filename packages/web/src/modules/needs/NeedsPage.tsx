import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { type NeedPriority, type NeedStatus, type NeedTag, SLA_LEVELS, type SlaLevel } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Select, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { type NeedListItem, type NeedQuery, needsApi } from '../../api/needs';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import {
  CampaignTags,
  NeedStatusTag,
  PRIORITY_OPTIONS,
  PriorityTag,
  STATUS_OPTIONS,
  TAG_OPTIONS,
  useCategories,
} from './labels';
import styles from './needs.module.css';

const SLA_OPTIONS = SLA_LEVELS.map((level) => ({ value: level, label: t(`cockpit.sla.${level}`) }));

/** Filters a link may carry (the cockpit's charts: `/needs?status=assigned&sla=dueSoon`). */
function filtersFromUrl(params: URLSearchParams): Partial<NeedQuery> {
  const out: Partial<NeedQuery> = {};
  const status = params.get('status');
  if (status && STATUS_OPTIONS.some((o) => o.value === status)) out.status = status as NeedStatus;
  const lead = params.get('leadOrgId');
  if (lead) out.leadOrgId = lead;
  const sla = params.get('sla');
  if (sla && (SLA_LEVELS as readonly string[]).includes(sla)) out.sla = sla as SlaLevel;
  for (const k of ['overdue', 'open'] as const) {
    const v = params.get(k);
    if (v === 'true' || v === 'false') out[k] = v;
  }
  return out;
}

/**
 * `/needs`: the cases the caller sees (a unit its own, a department what is assigned to it, a
 * district its area, the city all). `/needs-inbox`: a department's open cases, nearest deadline first.
 */
export function NeedsPage({ inbox = false }: { inbox?: boolean }) {
  const can = useCan();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const { categories, labelOf } = useCategories();
  // a link may carry filters (the home page's to-dos, the cockpit's charts)
  const [params] = useSearchParams();
  const initial: NeedQuery = inbox
    ? { page: 1, pageSize: 20, inbox: 'true', open: 'true', sort: 'deadline', order: 'asc' }
    : { page: 1, pageSize: 20, ...filtersFromUrl(params) };
  const { message } = App.useApp();
  const [query, setQuery] = useState<NeedQuery>(initial);
  const [exporting, setExporting] = useState(false);
  const list = useQuery({
    queryKey: ['needs', query],
    queryFn: ({ signal }) => needsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;

  const update = (patch: Partial<NeedQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));
  const title = inbox ? t('needs.inboxTitle') : t('needs.title');

  const columns: TableColumnsType<NeedListItem> = [
    {
      title: t('needs.col.title'),
      dataIndex: 'title',
      fixed: isMobile ? undefined : 'left',
      render: (v: string, n) => (
        <Link to={`/needs/${n.id}`} data-testid="need-row" data-id={n.id}>
          {v}
        </Link>
      ),
    },
    { title: t('needs.col.category'), dataIndex: 'category', render: (v: string) => labelOf(v) },
    {
      title: t('needs.col.priority'),
      dataIndex: 'priority',
      render: (v: NeedPriority) => <PriorityTag priority={v} />,
    },
    { title: t('needs.col.status'), dataIndex: 'status', render: (v: NeedStatus) => <NeedStatusTag status={v} /> },
    { title: t('needs.col.org'), dataIndex: 'orgName' },
    { title: t('needs.col.lead'), dataIndex: 'leadOrgName', render: (v: string | null) => v ?? '—' },
    {
      title: t('needs.col.deadline'),
      dataIndex: 'deadline',
      render: (v: string | null, n) =>
        v ? (
          <span className={n.overdue ? styles.overdue : undefined}>
            {v}
            {n.overdue ? ` ${t('needs.overdue')}` : ''}
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('needs.col.tags'), dataIndex: 'tags', render: (v: NeedTag[]) => <CampaignTags tags={v} /> },
    { title: t('needs.col.rating'), dataIndex: 'rating', render: (v: number | null) => (v ? '★'.repeat(v) : '—') },
    { title: t('needs.col.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
  ];

  async function exportList() {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...filters } = query;
      const name = await needsApi.exportList(filters, t('needs.exportFileName'));
      void message.success(t('needs.exported', { name }));
    } catch {
      // reported by the API layer
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card
      title={title}
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
      extra={
        <Flex gap={8}>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void exportList()}
            data-testid="needs-export"
          >
            {t('needs.export')}
          </Button>
          {can('need:create') && !inbox && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/needs/new')}
              data-testid="needs-create"
            >
              {t('needs.create')}
            </Button>
          )}
        </Flex>
      }
    >
      <DocTitle title={title} />
      {inbox && <Typography.Paragraph type="secondary">{t('needs.inboxHint')}</Typography.Paragraph>}
      <Flex wrap gap={8} className={styles.toolbar}>
        <Input.Search
          allowClear
          className={styles.search}
          placeholder={t('needs.search')}
          onSearch={(q) => update({ q: q.trim() || undefined })}
          data-testid="needs-search"
        />
        <Select
          allowClear
          className={styles.filter}
          options={STATUS_OPTIONS}
          placeholder={t('needs.filterStatus')}
          value={query.status}
          onChange={(status?: NeedStatus) => update({ status })}
          data-testid="needs-filter-status"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          className={styles.filter}
          options={categories.map((c) => ({ value: c.code, label: c.label }))}
          placeholder={t('needs.filterCategory')}
          value={query.category}
          onChange={(category?: string) => update({ category })}
          data-testid="needs-filter-category"
        />
        <Select
          allowClear
          className={styles.filter}
          options={PRIORITY_OPTIONS}
          placeholder={t('needs.filterPriority')}
          value={query.priority}
          onChange={(priority?: NeedPriority) => update({ priority })}
          data-testid="needs-filter-priority"
        />
        <Select
          allowClear
          className={styles.filter}
          options={TAG_OPTIONS}
          placeholder={t('needs.filterTag')}
          value={query.tag}
          onChange={(tag?: NeedTag) => update({ tag })}
          data-testid="needs-filter-tag"
        />
        <Select
          allowClear
          className={styles.filter}
          options={SLA_OPTIONS}
          placeholder={t('needs.filterSla')}
          value={query.sla}
          onChange={(sla?: SlaLevel) => update({ sla })}
          data-testid="needs-filter-sla"
        />
        {query.leadOrgId && (
          <Tag closable onClose={() => update({ leadOrgId: undefined })} data-testid="needs-filter-lead">
            {t('needs.filterLead', { name: data?.items[0]?.leadOrgName ?? '' })}
          </Tag>
        )}
        <Flex align="center" gap={6}>
          <Switch
            size="small"
            checked={query.overdue === 'true'}
            onChange={(on) => update({ overdue: on ? 'true' : undefined })}
            data-testid="needs-filter-overdue"
          />
          {t('needs.filterOverdue')}
        </Flex>
      </Flex>
      <Table<NeedListItem>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="needs-table"
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
    </Card>
  );
}
