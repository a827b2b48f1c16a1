import { ReloadOutlined } from '@ant-design/icons';
import { DISPLAY_STATUSES, type DisplayStatus } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, Flex, Progress, Row, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { type CampaignDashboard, campaignsApi } from '../../api/campaigns';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { RankCell, tiedRanks } from '../../components/Rank';
import { label, t } from '../../i18n';
import styles from './campaigns.module.css';

type MatrixRow = CampaignDashboard['rows'][number];

function Cell({ status, id, org }: { status: DisplayStatus; id: string; org: string }) {
  return (
    <Link to={`/assignments/${id}`} data-testid="matrix-cell" data-org={org} data-status={status}>
      <span className={`${styles.cell} ${styles[`cell_${status}`]}`}>{label('assignmentStatus', status)}</span>
    </Link>
  );
}

/** `/campaigns/:id/dashboard`: organisations × tasks with status colours, completion, overdue list, ranking. */
export function CampaignDashboardPage() {
  const { id = '' } = useParams();
  const can = useCan();
  const { message } = App.useApp();
  const query = useQuery({
    queryKey: ['campaign-dashboard', id],
    queryFn: ({ signal }) => campaignsApi.dashboard(id, { signal }),
  });

  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} backTo="/campaigns" backLabel={t('wc.backToList')} />;
  const d = query.data;
  const loading = query.isFetching;
  const load = () => query.refetch();
  const tied = tiedRanks(d.ranking);

  const columns: TableColumnsType<MatrixRow> = [
    {
      title: t('wc.org'),
      dataIndex: 'orgName',
      fixed: 'left',
      render: (v: string, r) => (
        <span data-testid="matrix-org">
          {v}
          <span className={styles.muted}> · {label('campaignGroup', r.group)}</span>
        </span>
      ),
    },
    ...d.tasks.map((tk, i) => ({
      key: tk.id,
      title: (
        <Flex vertical>
          <span>{tk.title}</span>
          <span className={styles.muted}>{t('wc.deadlineValue', { date: tk.deadline })}</span>
        </Flex>
      ),
      render: (_: unknown, r: MatrixRow) => {
        const c = r.cells[i];
        return c ? (
          <Cell status={c.displayStatus} id={c.assignmentId} org={r.orgName} />
        ) : (
          <span className={styles.muted}>—</span>
        );
      },
    })),
    {
      title: t('wc.completion'),
      dataIndex: 'completion',
      render: (v: number) => <Progress percent={v} size="small" style={{ width: 120 }} />,
    },
  ];

  return (
    <Card data-testid="campaign-dashboard-page">
      <DocTitle title={t('wc.dashboard')} />
      <Flex wrap gap={8} align="center" className={styles.toolbar}>
        <BackButton fallback={`/campaigns/${id}`} label={t('wc.backToCampaign')} />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {d.campaign.title} · {t('wc.dashboard')}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading} aria-label={t('wc.refresh')} />
        <Button onClick={() => void campaignsApi.exportMatrix(id)} data-testid="matrix-export">
          {t('wc.exportMatrix')}
        </Button>
        <Button onClick={() => void campaignsApi.exportReport(id)} data-testid="report-export">
          {t('wc.exportReport')}
        </Button>
      </Flex>
      <Row gutter={[16, 16]} className={styles.toolbar}>
        <Col xs={12} md={6}>
          <Statistic title={t('wc.completion')} value={d.totals.completion} suffix="%" />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('wc.assigned')} value={d.totals.assigned} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={label('assignmentStatus', 'accepted')} value={d.totals.byStatus.accepted} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={label('assignmentStatus', 'overdue')}
            value={d.totals.byStatus.overdue}
            valueStyle={d.totals.byStatus.overdue ? { color: '#cf1322' } : undefined}
          />
        </Col>
      </Row>
      <div className={styles.legend}>
        {DISPLAY_STATUSES.map((s) => (
          <span key={s} className={`${styles.cell} ${styles[`cell_${s}`]}`}>
            {label('assignmentStatus', s)} {d.totals.byStatus[s]}
          </span>
        ))}
      </div>
      <Table<MatrixRow>
        rowKey="orgId"
        size="small"
        columns={columns}
        dataSource={d.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="matrix"
      />
      <Row gutter={[24, 24]} className={styles.section}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t('wc.overdueList')}
            extra={
              can('campaign:manage') && d.overdue.length > 0 && d.campaign.status === 'issued' ? (
                <Button
                  size="small"
                  danger
                  onClick={async () => {
                    try {
                      await campaignsApi.nudgeOverdue(id);
                      void message.success(t('wc.nudged'));
                    } catch {
                      // shown by the global handler
                    }
                  }}
                  data-testid="nudge-overdue"
                >
                  {t('wc.nudgeOverdue')}
                </Button>
              ) : null
            }
          >
            <Table
              rowKey="assignmentId"
              size="small"
              pagination={false}
              dataSource={d.overdue}
              locale={{ emptyText: t('wc.noOverdue') }}
              scroll={{ x: 'max-content' }}
              data-testid="overdue-table"
              columns={[
                { title: t('wc.org'), dataIndex: 'orgName' },
                {
                  title: t('wc.taskTitle'),
                  dataIndex: 'taskTitle',
                  render: (v: string, r) => <Link to={`/assignments/${r.assignmentId}`}>{v}</Link>,
                },
                { title: t('wc.deadline'), dataIndex: 'deadline', className: styles.nowrap },
                { title: t('wc.daysOverdue'), dataIndex: 'daysOverdue', className: styles.nowrap },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('wc.ranking')}>
            <Table
              rowKey="orgId"
              size="small"
              pagination={false}
              dataSource={d.ranking}
              data-testid="ranking"
              columns={[
                {
                  title: t('wc.rank'),
                  dataIndex: 'rank',
                  render: (v: number) => <RankCell rank={v} tied={tied.has(v)} />,
                },
                { title: t('wc.org'), dataIndex: 'orgName' },
                { title: t('wc.completion'), dataIndex: 'completion', render: (v: number) => `${v}%` },
                { title: t('wc.reported'), dataIndex: 'reported' },
                { title: label('assignmentStatus', 'overdue'), dataIndex: 'overdue' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Card>
  );
}
