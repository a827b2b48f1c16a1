import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Flex,
  Input,
  Progress,
  Row,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { saveBlob } from '../../api/files';
import { type TroopStats, troopStatsApi } from '../../api/troops';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { hours } from './labels';

type StatRow = TroopStats['byType'][number];
const h = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** One breakdown: name, a bar of its share, the figures. */
function Breakdown({ title, rows, testId }: { title: string; rows: StatRow[]; testId: string }) {
  const max = Math.max(1, ...rows.map((r) => r.activities));
  const columns: TableColumnsType<StatRow> = [
    { title: t('web.st.col.name'), dataIndex: 'name' },
    {
      title: t('web.st.col.activities'),
      dataIndex: 'activities',
      render: (n: number) => (
        <Flex gap={8} align="center" style={{ minWidth: 140 }}>
          <Progress
            percent={Math.round((n / max) * 100)}
            showInfo={false}
            size="small"
            style={{ flex: 1, margin: 0 }}
          />
          <span>{n}</span>
        </Flex>
      ),
    },
    { title: t('web.st.col.hours'), dataIndex: 'serviceMinutes', render: (m: number) => h(m) },
    { title: t('web.st.col.reached'), dataIndex: 'reached' },
  ];
  return (
    <Card size="small" type="inner" title={title}>
      <Table
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('web.st.empty') }}
        data-testid={testId}
      />
    </Card>
  );
}

const csvCell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));

function exportCsv(s: TroopStats) {
  const lines: (string | number)[][] = [];
  const section = (title: string, rows: StatRow[]) => {
    lines.push(
      [title],
      [t('web.st.col.name'), t('web.st.col.activities'), t('web.st.col.hours'), t('web.st.col.reached')],
    );
    for (const r of rows) lines.push([r.name, r.activities, h(r.serviceMinutes), r.reached]);
    lines.push([]);
  };
  section(t('web.st.byType'), s.byType);
  section(t('web.st.byUnit'), s.byUnit);
  section(t('web.st.byDistrict'), s.byDistrict);
  section(t('web.st.byMonth'), s.byMonth);
  lines.push([t('web.st.byGroup')]);
  for (const g of s.byGroup) lines.push([label('troops.reached', g.group), g.reached]);
  const text = `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}`;
  saveBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), `${t('web.st.title')}.csv`);
}

/**
 * `/troop-statistics`: 拥政爱民 figures for the caller's scope (a unit its own, a district what
 * happened in it, the city and the 军分区 everything) — from the maintained aggregates.
 */
export function TroopStatsPage() {
  const [range, setRange] = useState<{ fromMonth?: string; toMonth?: string }>({});
  const q = useQuery({
    queryKey: ['troop-statistics', range],
    queryFn: ({ signal }) => troopStatsApi.get(range, { signal }),
    placeholderData: keepPreviousData,
  });
  const s = q.data;
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.st.title')}
        </Typography.Title>
      }
      extra={
        s ? (
          <Button icon={<DownloadOutlined />} onClick={() => exportCsv(s)} data-testid="stats-export">
            {t('web.st.export')}
          </Button>
        ) : null
      }
      loading={q.isPending}
    >
      <DocTitle title={t('web.st.title')} />
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <Input
          type="month"
          aria-label={t('web.st.from')}
          style={{ width: 170 }}
          value={range.fromMonth ?? ''}
          onChange={(e) => setRange((r) => ({ ...r, fromMonth: e.target.value || undefined }))}
        />
        <Input
          type="month"
          aria-label={t('web.st.to')}
          style={{ width: 170 }}
          value={range.toMonth ?? ''}
          onChange={(e) => setRange((r) => ({ ...r, toMonth: e.target.value || undefined }))}
        />
      </Flex>
      {s ? (
        <Flex vertical gap={16}>
          <Row gutter={[12, 12]} data-testid="stats-totals">
            <Col xs={12} md={6}>
              <Statistic title={t('web.st.activities')} value={s.totals.activities} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('web.st.serviceHours')} value={hours(s.totals.serviceMinutes)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('web.st.reached')} value={s.totals.reached} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('web.st.participants')} value={s.totals.participants} />
            </Col>
          </Row>
          <Card size="small" type="inner" title={t('web.st.byGroup')}>
            <Row gutter={[12, 12]} data-testid="stats-groups">
              {s.byGroup.map((g) => (
                <Col key={g.group} xs={12} md={4}>
                  <Statistic title={label('troops.reached', g.group)} value={g.reached} />
                </Col>
              ))}
            </Row>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Breakdown title={t('web.st.byType')} rows={s.byType} testId="stats-by-type" />
            </Col>
            <Col xs={24} lg={12}>
              <Breakdown title={t('web.st.byUnit')} rows={s.byUnit} testId="stats-by-unit" />
            </Col>
            <Col xs={24} lg={12}>
              <Breakdown title={t('web.st.byDistrict')} rows={s.byDistrict} testId="stats-by-district" />
            </Col>
            <Col xs={24} lg={12}>
              <Breakdown title={t('web.st.byMonth')} rows={s.byMonth} testId="stats-by-month" />
            </Col>
          </Row>
          <Card size="small" type="inner" title={t('web.st.emergencies')}>
            <Row gutter={[12, 12]} data-testid="stats-emergencies">
              <Col xs={12} md={6}>
                <Statistic title={t('web.st.em.requests')} value={s.emergencies.requests} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('web.st.em.avgDecision')}
                  value={
                    s.emergencies.avgDecisionHours === null
                      ? '—'
                      : t('web.st.hoursN', { n: s.emergencies.avgDecisionHours })
                  }
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('web.st.em.avgArrival')}
                  value={
                    s.emergencies.avgArrivalHours === null
                      ? '—'
                      : t('web.st.hoursN', { n: s.emergencies.avgArrivalHours })
                  }
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('web.st.em.overdue')} value={s.emergencies.overdue} />
              </Col>
            </Row>
          </Card>
        </Flex>
      ) : null}
    </Card>
  );
}
