import type { CoverageCell, VisitTarget } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { visitsApi } from '../../api/visits';
import { DocTitle } from '../../app/DocTitle';
import { PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { ageOn } from '../../lib/age';
import { formatFen } from '../../lib/money';
import { todayInZone } from '../../lib/zone';
import { CampaignScope } from './CampaignPicker';
import styles from './visits.module.css';

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
          { title: t('web.visits.rate'), render: (_, c) => <Progress percent={rate(c)} size="small" /> },
        ]}
      />
    </Card>
  );
}

/** Coverage of a campaign: planned vs visited from the maintained counters, and who is still waiting. */
export function CoveragePage() {
  return <CampaignScope>{(c, picker) => <CoverageView campaignId={c.id} picker={picker} />}</CampaignScope>;
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
            { title: t('web.visits.target'), dataIndex: 'name' },
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
