import { DownloadOutlined } from '@ant-design/icons';
import type { NeedTag } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Progress,
  Row,
  Select,
  Statistic,
  Table,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type NeedStats, needsApi, type StatsQuery } from '../../api/needs';
import { DocTitle } from '../../app/DocTitle';
import { RankCell, tiedRanks } from '../../components/Rank';
import { t } from '../../i18n';
import { toIsoDate } from '../../lib/dates';
import { useIsMobile } from '../../lib/useIsMobile';
import { TAG_OPTIONS, useCategories } from './labels';
import styles from './needs.module.css';

type League = NeedStats['league'][number];
type Count = NeedStats['byStatus'][number];
const percent = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
const num = (v: number | null) => (v === null ? '—' : v);

function CountTable({ title, rows, testId }: { title: string; rows: Count[]; testId: string }) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <Card size="small" title={title} className={styles.section}>
      <Table<Count>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid={testId}
        locale={{ emptyText: t('needs.stats.none') }}
        columns={[
          { title: t('needs.stats.item'), dataIndex: 'label' },
          { title: t('needs.stats.count'), dataIndex: 'count', width: 80 },
          {
            title: '',
            dataIndex: 'count',
            key: 'bar',
            render: (v: number) => (
              <Progress className={styles.bar} percent={(v / max) * 100} showInfo={false} size="small" />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** `/need-stats`: counts, on-time rate, median days, satisfaction and the department league. */
export function NeedStatsPage() {
  const isMobile = useIsMobile();
  const { categories } = useCategories();
  const [query, setQuery] = useState<StatsQuery>({});
  const result = useQuery({
    queryKey: ['need-stats', query],
    queryFn: ({ signal }) => needsApi.stats(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const stats = result.data ?? null;
  const loading = result.isFetching;
  const tied = tiedRanks(stats?.league ?? []);

  const league: TableColumnsType<League> = [
    {
      title: t('needs.league.rank'),
      dataIndex: 'rank',
      width: 90,
      render: (v: number) => <RankCell rank={v} tied={tied.has(v)} />,
    },
    { title: t('needs.league.org'), dataIndex: 'orgName' },
    { title: t('needs.league.assigned'), dataIndex: 'assigned' },
    { title: t('needs.league.resolved'), dataIndex: 'resolved' },
    { title: t('needs.league.onTimeRate'), dataIndex: 'onTimeRate', render: percent },
    { title: t('needs.league.overdueOpen'), dataIndex: 'overdueOpen' },
    { title: t('needs.league.averageRating'), dataIndex: 'averageRating', render: num },
    { title: t('needs.league.medianDays'), dataIndex: 'medianDays', render: num },
  ];

  return (
    <Card
      title={t('needs.stats.title')}
      styles={{ body: { padding: isMobile ? 12 : 24 } }}
      extra={
        <Button
          icon={<DownloadOutlined />}
          onClick={() => void needsApi.exportLeague(query, t('needs.leagueFileName')).catch(() => undefined)}
          data-testid="need-stats-export"
        >
          {t('needs.stats.export')}
        </Button>
      }
      data-testid="need-stats"
    >
      <DocTitle title={t('needs.stats.title')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        <DatePicker.RangePicker
          onChange={(v) => {
            const range = v as [Dayjs | null, Dayjs | null] | null;
            setQuery((q) => ({ ...q, from: toIsoDate(range?.[0]), to: toIsoDate(range?.[1]) }));
          }}
          data-testid="need-stats-range"
        />
        <Select
          allowClear
          className={styles.filter}
          options={TAG_OPTIONS}
          placeholder={t('needs.filterTag')}
          value={query.tag}
          onChange={(tag?: NeedTag) => setQuery((q) => ({ ...q, tag }))}
          data-testid="need-stats-tag"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          className={styles.filter}
          options={categories.map((c) => ({ value: c.code, label: c.label }))}
          placeholder={t('needs.filterCategory')}
          value={query.category}
          onChange={(category?: string) => setQuery((q) => ({ ...q, category }))}
        />
      </Flex>
      <Row gutter={[16, 16]}>
        {[
          { key: 'total', title: t('needs.stats.total'), value: stats?.total ?? 0 },
          { key: 'onTime', title: t('needs.stats.onTimeRate'), value: percent(stats?.onTimeRate ?? null) },
          { key: 'median', title: t('needs.stats.median'), value: num(stats?.medianDaysToResolve ?? null) },
          {
            key: 'satisfaction',
            title: t('needs.stats.satisfaction'),
            value: num(stats?.satisfaction.average ?? null),
            suffix: stats ? (
              <span className={styles.muted}>{t('needs.stats.rated', { n: stats.satisfaction.rated })}</span>
            ) : undefined,
          },
          { key: 'overdue', title: t('needs.stats.overdueOpen'), value: stats?.overdueOpen ?? 0 },
        ].map((s) => (
          <Col key={s.key} xs={12} md={8} lg={4}>
            <Card size="small" loading={loading}>
              <Statistic title={s.title} value={s.value} suffix={s.suffix} data-testid={`need-stat-${s.key}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small" title={t('needs.stats.league')} className={styles.section}>
        <Table<League>
          rowKey="orgId"
          size="small"
          columns={league}
          dataSource={stats?.league ?? []}
          loading={loading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="need-league"
          locale={{ emptyText: t('needs.stats.none') }}
        />
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <CountTable title={t('needs.stats.byStatus')} rows={stats?.byStatus ?? []} testId="need-by-status" />
          <CountTable title={t('needs.stats.byTag')} rows={stats?.byTag ?? []} testId="need-by-tag" />
        </Col>
        <Col xs={24} lg={12}>
          <CountTable title={t('needs.stats.byCategory')} rows={stats?.byCategory ?? []} testId="need-by-category" />
          <CountTable
            title={t('needs.stats.byDepartment')}
            rows={stats?.byDepartment ?? []}
            testId="need-by-department"
          />
        </Col>
      </Row>
    </Card>
  );
}
