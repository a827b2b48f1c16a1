import { type CoverageCell, hasMessage, type Visit, type VisitTarget } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { visitsApi } from '../../api/visits';
import { DocTitle } from '../../app/DocTitle';
import { PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { ageOn } from '../../lib/age';
import { formatDateTime } from '../../lib/format';
import { formatFen } from '../../lib/money';
import { useIsMobile } from '../../lib/useIsMobile';
import { todayInZone } from '../../lib/zone';
import { CampaignScope } from './CampaignPicker';
import { TargetName } from './TargetName';
import styles from './visits.module.css';

/** A target category's name (a registry category, or 部队 / 其他 for units and manual targets). */
const categoryLabel = (k: string) =>
  [`category.${k}`, `visits.kind.${k}`].map((key) => (hasMessage(key) ? t(key) : null)).find(Boolean) ?? k;

const rate = (c: CoverageCell) => (c.planned ? Math.round((c.visited * 1000) / c.planned) / 10 : 0);

function CellTable({ title, rows, testId }: { title: string; rows: CoverageCell[]; testId: string }) {
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '', dataIndex: 'label' },
          { title: t('web.visits.planned'), dataIndex: 'planned', align: 'right' },
          { title: t('web.visits.visited'), dataIndex: 'visited', align: 'right' },
          { title: t('web.visits.visitedByTroopsCol'), dataIndex: 'visitedByTroops', align: 'right' },
          { title: t('web.visits.rate'), render: (_, c) => <Progress percent={rate(c)} size="small" /> },
        ]}
      />
    </Card>
  );
}

/**
 * What a link into the page filters (the cockpit's charts): a coverage cell's district and category
 * (`orgId`, `category`, `unvisited`) or a day of the trend (`day`).
 */
interface LinkFilter {
  orgId?: string;
  category?: string;
  unvisited?: string;
  day?: string;
}

function linkFilter(params: URLSearchParams): LinkFilter | null {
  const f: LinkFilter = {};
  for (const k of ['orgId', 'category', 'unvisited', 'day'] as const) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return Object.keys(f).length ? f : null;
}

/** Coverage of a campaign: planned vs visited from the maintained counters, and who is still waiting. */
export function CoveragePage() {
  const [params, setParams] = useSearchParams();
  const filter = linkFilter(params);
  const clear = () => setParams(params.get('campaignId') ? { campaignId: params.get('campaignId')! } : {});
  return (
    <CampaignScope>
      {(c, picker) => (
        <>
          {filter && <FilteredList campaignId={c.id} filter={filter} onClear={clear} />}
          <CoverageView campaignId={c.id} picker={picker} />
        </>
      )}
    </CampaignScope>
  );
}

/** The list behind a chart element: the targets of a district × category, or the visits of a day. */
function FilteredList({ campaignId, filter, onClear }: { campaignId: string; filter: LinkFilter; onClear(): void }) {
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const visitsOfDay = !!filter.day;
  const targets = useQuery({
    queryKey: ['visit-targets-filtered', campaignId, filter, page],
    queryFn: ({ signal }) =>
      visitsApi.filteredTargets(
        { campaignId, orgId: filter.orgId, category: filter.category, unvisited: filter.unvisited, page },
        { signal },
      ),
    enabled: !visitsOfDay,
    placeholderData: keepPreviousData,
  });
  const visits = useQuery({
    queryKey: ['visits-of-day', campaignId, filter.day, page],
    queryFn: ({ signal }) => visitsApi.visitsOfDay({ campaignId, day: filter.day!, page }, { signal }),
    enabled: visitsOfDay,
    placeholderData: keepPreviousData,
  });
  const total = (visitsOfDay ? visits.data?.total : targets.data?.total) ?? null;
  const title = visitsOfDay
    ? t('web.visits.filteredDay', { day: filter.day! })
    : t('web.visits.filteredTargets', { what: filter.category ? categoryLabel(filter.category) : '' });
  const pagination = {
    current: page,
    pageSize: 20,
    total: total ?? 0,
    simple: isMobile,
    showSizeChanger: false,
    onChange: setPage,
  };
  return (
    <Card size="small" title={title} data-testid="coverage-filtered">
      <Space wrap className={styles.filteredBar}>
        <Typography.Text data-testid="coverage-filtered-total" data-total={total ?? ''}>
          {total === null ? '' : t('web.total', { total })}
        </Typography.Text>
        <Button size="small" onClick={onClear} data-testid="coverage-filter-clear">
          {t('web.visits.clearFilter')}
        </Button>
      </Space>
      {visitsOfDay ? (
        <Table<Visit>
          size="small"
          rowKey="id"
          loading={visits.isFetching}
          dataSource={visits.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={pagination}
          columns={[
            { title: t('web.visits.target'), dataIndex: 'targetName' },
            { title: t('web.visits.visitedAt'), dataIndex: 'visitedAt', render: (v: string) => formatDateTime(v) },
            { title: t('web.visits.cash'), dataIndex: 'cashFen', align: 'right', render: (v: number) => formatFen(v) },
          ]}
        />
      ) : (
        <Table<VisitTarget>
          size="small"
          rowKey="id"
          loading={targets.isFetching}
          dataSource={targets.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={pagination}
          columns={[
            { title: t('web.visits.target'), render: (_, r) => <TargetName target={r} /> },
            { title: t('web.visits.org'), render: (_, r) => r.streetName ?? r.orgName },
            { title: t('web.visits.money.visits'), dataIndex: 'visitCount', align: 'right' },
          ]}
        />
      )}
    </Card>
  );
}

function CoverageView({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const coverage = useQuery({
    queryKey: ['visit-coverage', campaignId],
    queryFn: ({ signal }) => visitsApi.coverage(campaignId, { signal }),
  });
  const unvisited = useQuery({
    queryKey: ['visit-unvisited', campaignId],
    queryFn: ({ signal }) => visitsApi.unvisited(campaignId, { signal }),
  });
  const cov = coverage.data;
  const today = todayInZone();

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <DocTitle title={t('web.visits.coverage')} />
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.visits.coverage')}
        </Typography.Title>
        {picker}
        <Button
          onClick={() => void Promise.all([coverage.refetch(), unvisited.refetch()])}
          loading={coverage.isFetching}
          aria-label={t('web.refresh')}
        >
          ↻
        </Button>
      </Space>
      {coverage.isPending && <PageLoading />}
      {cov && (
        <>
          <Space wrap size="large">
            <Statistic title={t('web.visits.planned')} value={cov.total.planned} />
            <Statistic title={t('web.visits.visited')} value={cov.total.visited} data-testid="coverage-visited" />
            <Statistic
              title={t('web.visits.visitedByTroops')}
              value={cov.total.visitedByTroops}
              data-testid="coverage-visited-by-troops"
            />
            <Statistic title={t('web.visits.rate')} value={rate(cov.total)} suffix="%" />
            <Statistic title={t('web.visits.cash')} value={formatFen(cov.total.cashFen)} />
            <Statistic title={t('web.visits.goods')} value={formatFen(cov.total.goodsFen)} />
          </Space>
          <div className={styles.grid}>
            <CellTable title={t('web.visits.byCategory')} rows={cov.byCategory} testId="coverage-category" />
            <CellTable title={t('web.visits.byDistrict')} rows={cov.byDistrict} testId="coverage-district" />
            <CellTable title={t('web.visits.byStreet')} rows={cov.byStreet} testId="coverage-street" />
            <CellTable title={t('web.visits.byTeam')} rows={cov.byTeam} testId="coverage-team" />
          </div>
        </>
      )}
      <Card size="small" title={t('web.visits.unvisited')}>
        <Table<VisitTarget>
          size="small"
          rowKey="id"
          pagination={false}
          loading={unvisited.isPending}
          dataSource={unvisited.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          data-testid="coverage-unvisited"
          columns={[
            { title: t('web.visits.target'), render: (_, r) => <TargetName target={r} /> },
            { title: t('web.visits.groups'), dataIndex: 'streetName' },
            {
              title: t('web.visits.livesAloneCol'),
              render: (_, r) => (r.livesAlone ? <Tag color="orange">{t('web.visits.livesAloneYes')}</Tag> : null),
            },
            {
              title: t('web.visits.ageCol'),
              align: 'right',
              render: (_, r) => <span data-testid="coverage-age">{ageOn(r.oldestBirth, today) ?? '—'}</span>,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
