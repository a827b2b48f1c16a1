import { FileTextOutlined } from '@ant-design/icons';
import { type Cockpit, cockpitCharts, rankLabel } from '@shuangyong/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, List, Space, Statistic, Table, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { type Brief, cockpitApi } from '../../api/cockpit';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { PageLoading } from '../../components/PageState';
import { t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { formatFen } from '../../lib/money';
import { CampaignScope } from '../visits/CampaignPicker';
import { ChartCard } from './ChartCard';
import styles from './cockpit.module.css';
import { ReadinessChart } from './ReadinessChart';
import { TroopCharts } from './TroopCharts';

/**
 * 领导驾驶舱: a campaign's progress for city staff, the 军分区 and leaders (a district sees its own
 * part) — key figures, six charts with their table views and click-through, the league table, and
 * the daily brief (每日简报). Aggregates only (GET /cockpit).
 */
export function CockpitPage() {
  return <CampaignScope>{(c, picker) => <CockpitView campaignId={c.id} picker={picker} />}</CampaignScope>;
}

function Kpis({ c }: { c: Cockpit }) {
  const h = c.headline;
  return (
    <div className={styles.kpis} data-testid="cockpit-kpis">
      <Card size="small">
        <Statistic title={t('cockpit.kpi.completion')} value={h.completion} suffix="%" />
        <Typography.Text type="secondary">{t('cockpit.kpi.of', { n: h.assigned })}</Typography.Text>
      </Card>
      <Card size="small">
        <Statistic title={t('cockpit.kpi.coverage')} value={h.coverage} suffix="%" data-testid="cockpit-kpi-coverage" />
        <Typography.Text type="secondary">{t('cockpit.kpi.of', { n: h.planned })}</Typography.Text>
      </Card>
      <Card size="small">
        <Statistic title={t('cockpit.kpi.visits')} value={h.visits} />
      </Card>
      <Card size="small">
        <Statistic title={t('cockpit.kpi.spent')} value={formatFen(h.spentFen)} />
        <Typography.Text type="secondary">{t('cockpit.kpi.of', { n: formatFen(h.budgetFen) })}</Typography.Text>
      </Card>
      <Card size="small">
        <Statistic title={t('cockpit.kpi.needsOpen')} value={h.needsOpen} />
      </Card>
      <Card size="small">
        <Statistic
          title={t('cockpit.kpi.needsOverdue')}
          value={h.needsOverdue}
          valueStyle={h.needsOverdue ? { color: '#cf1322' } : undefined}
        />
      </Card>
      <Card size="small">
        <Statistic
          title={t('cockpit.kpi.overdueTasks')}
          value={h.overdueTasks}
          valueStyle={h.overdueTasks ? { color: '#cf1322' } : undefined}
        />
      </Card>
    </div>
  );
}

function League({ c }: { c: Cockpit }) {
  return (
    <Card size="small" title={t('cockpit.league')} data-testid="cockpit-league">
      <Table
        size="small"
        rowKey="orgId"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={c.league}
        columns={[
          { title: t('cockpit.col.rank'), render: (_, r) => rankLabel(r.rank, r.tied) },
          { title: t('cockpit.col.district'), dataIndex: 'orgName' },
          { title: t('cockpit.col.completionPct'), dataIndex: 'completion', align: 'right' },
          { title: t('cockpit.col.coveragePct'), dataIndex: 'coverage', align: 'right' },
          { title: t('cockpit.col.overdue'), dataIndex: 'overdue', align: 'right' },
        ]}
      />
    </Card>
  );
}

function Briefs({ campaignId }: { campaignId: string }) {
  const can = useCan();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [isPublic, setPublic] = useState(false);
  const list = useQuery({
    queryKey: ['cockpit-briefs', campaignId],
    queryFn: ({ signal }) => cockpitApi.briefs(campaignId, { signal }),
  });
  const make = useMutation({
    mutationFn: () => cockpitApi.generate(campaignId, isPublic),
    onSuccess: () => {
      message.success(t('brief.generated'));
      void qc.invalidateQueries({ queryKey: ['cockpit-briefs', campaignId] });
    },
  });
  const maker = can('campaign:manage') || can('campaign:report');
  const download = (b: Brief, format: 'docx' | 'pdf') => void cockpitApi.download(b, format).catch(() => undefined);
  return (
    <Card size="small" title={t('brief.title')} data-testid="cockpit-briefs">
      {maker ? (
        <Space wrap>
          <Checkbox checked={isPublic} onChange={(e) => setPublic(e.target.checked)}>
            {t('brief.public')}
          </Checkbox>
          <Button
            type="primary"
            icon={<FileTextOutlined />}
            loading={make.isPending}
            onClick={() => make.mutate()}
            data-testid="brief-generate"
          >
            {t('brief.generate')}
          </Button>
        </Space>
      ) : null}
      <List
        size="small"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('cockpit.empty') }}
        renderItem={(b) => (
          <List.Item
            data-testid="brief-row"
            actions={[
              <Button key="docx" size="small" onClick={() => download(b, 'docx')} data-testid="brief-docx">
                DOCX
              </Button>,
              <Button key="pdf" size="small" onClick={() => download(b, 'pdf')} data-testid="brief-pdf">
                PDF
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={`${b.day}${b.public ? ` · ${t('brief.public')}` : ''}`}
              description={`${b.orgName} · ${formatDateTime(b.createdAt)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function CockpitView({ campaignId, picker }: { campaignId: string; picker: ReactNode }) {
  const q = useQuery({
    queryKey: ['cockpit', campaignId],
    queryFn: ({ signal }) => cockpitApi.get(campaignId, { signal }),
  });
  const charts = useMemo(() => (q.data ? cockpitCharts(q.data) : []), [q.data]);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <DocTitle title={t('cockpit.title')} />
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('cockpit.title')}
        </Typography.Title>
        {picker}
      </Space>
      {q.isPending && <PageLoading />}
      {q.data && (
        <>
          <Kpis c={q.data} />
          <Typography.Text type="secondary">{t('cockpit.clickHint')}</Typography.Text>
          <div className={styles.grid}>
            {charts.map((def) => (
              <ChartCard key={def.id} def={def} />
            ))}
            <ReadinessChart />
          </div>
          <TroopCharts />
          <League c={q.data} />
          <Briefs campaignId={campaignId} />
        </>
      )}
    </Space>
  );
}
