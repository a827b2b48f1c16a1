import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Card,
  Checkbox,
  Descriptions,
  Flex,
  List,
  Progress,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type PartnershipItem, type PartnershipQuery, partnershipsApi, troopsApi } from '../../api/troops';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { BackButton, PageError, PageLoading } from '../../components/PageState';
import { label, t } from '../../i18n';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { EditPartnershipButton, EndPartnershipButton, NewPartnershipButton } from './PartnershipForm';

/** The plan of the current year (or the latest), as done / planned. */
function progressOf(p: PartnershipItem, year = new Date().getFullYear()) {
  const plans = p.plans.filter((x) => x.year === year);
  const use = plans.length ? plans : p.plans.filter((x) => x.year === Math.max(...p.plans.map((y) => y.year)));
  const planned = use.reduce((s, x) => s + x.planned, 0);
  const done = use.reduce((s, x) => s + Math.min(x.done, x.planned), 0);
  return { planned, done, percent: planned ? Math.round((done / planned) * 100) : 0 };
}

function PlanProgress({ p }: { p: PartnershipItem }) {
  const pr = progressOf(p);
  if (!pr.planned) return <Typography.Text type="secondary">{t('web.pt.noPlan')}</Typography.Text>;
  return (
    <Flex gap={8} align="center" style={{ minWidth: 160 }}>
      <Progress percent={pr.percent} size="small" style={{ flex: 1, margin: 0 }} />
      <span>
        {pr.done}/{pr.planned}
      </span>
    </Flex>
  );
}

const period = (p: PartnershipItem) => `${p.startsOn} — ${p.endsOn ?? t('web.pt.ongoing')}`;

function StatusTags({ p }: { p: PartnershipItem }) {
  if (p.status === 'ended')
    return (
      <Tag color="default" data-testid="partnership-ended">
        {t('web.pt.statusEnded')}
      </Tag>
    );
  return p.idleThisQuarter ? <Tag color="orange">{t('web.pt.idle')}</Tag> : null;
}

/** `/troop-partnerships`: 军民共建 pairs with the year's plan progress; the idle ones of this quarter. */
export function PartnershipsPage() {
  const isMobile = useIsMobile();
  const can = useCan();
  const [query, setQuery] = useState<PartnershipQuery>({ page: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['troop-partnerships', query],
    queryFn: ({ signal }) => partnershipsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const name = (r: PartnershipItem) => (
    <Link to={`/troop-partnerships/${r.id}`} data-testid="partnership-row">
      {r.partnerName}
    </Link>
  );
  const columns: TableColumnsType<PartnershipItem> = [
    { title: t('web.pt.col.partner'), key: 'partner', render: (_: unknown, r) => name(r) },
    { title: t('web.pt.col.unit'), dataIndex: 'orgName' },
    { title: t('web.pt.col.area'), dataIndex: 'placeOrgName' },
    { title: t('web.pt.col.period'), key: 'period', render: (_: unknown, r) => period(r) },
    { title: t('web.pt.col.progress'), key: 'progress', render: (_: unknown, r) => <PlanProgress p={r} /> },
    {
      title: t('web.pt.col.last'),
      key: 'last',
      render: (_: unknown, r) => (
        <Flex gap={4} wrap>
          {r.lastActivityOn ?? '—'}
          <StatusTags p={r} />
        </Flex>
      ),
    },
  ];
  const { position: _position, ...pagination } = listPagination(query, setQuery, list.data?.total, isMobile);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.pt.title')}
        </Typography.Title>
      }
    >
      <DocTitle title={t('web.pt.title')} />
      {can('troops:write') ? (
        <div style={{ marginBottom: 12 }}>
          <NewPartnershipButton />
        </div>
      ) : null}
      <Checkbox
        style={{ marginBottom: 12 }}
        data-testid="partnership-idle"
        checked={query.idle === 'true'}
        onChange={(e) => setQuery((q) => ({ ...q, page: 1, idle: e.target.checked ? 'true' : undefined }))}
      >
        {t('web.pt.idleOnly')}
      </Checkbox>
      {isMobile ? (
        <List
          dataSource={list.data?.items}
          loading={list.isFetching}
          pagination={pagination}
          locale={{ emptyText: t('web.pt.empty') }}
          renderItem={(r) => (
            <List.Item>
              <Flex vertical gap={4} style={{ width: '100%' }}>
                <Flex justify="space-between" gap={8}>
                  <strong>{name(r)}</strong>
                  <StatusTags p={r} />
                </Flex>
                <div>
                  {r.orgName} · {r.placeOrgName}
                </div>
                <PlanProgress p={r} />
              </Flex>
            </List.Item>
          )}
        />
      ) : (
        <Table
          rowKey="id"
          columns={columns}
          dataSource={list.data?.items}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('web.pt.empty') }}
          pagination={pagination}
        />
      )}
    </Card>
  );
}

/** `/troop-partnerships/:id`: one pair, its annual plans' progress and the activities recorded against it. */
export function PartnershipPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['troop-partnerships', id],
    queryFn: ({ signal }) => partnershipsApi.get(id, { signal }),
  });
  const acts = useQuery({
    queryKey: ['troop-activities', { partnershipId: id }],
    queryFn: ({ signal }) => troopsApi.list({ page: 1, pageSize: 50, partnershipId: id }, { signal }),
  });
  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return <PageError error={query.error} backTo="/troop-partnerships" backLabel={t('web.pt.title')} />;
  const p = query.data;
  return (
    <Card
      title={
        <Flex align="center" gap={8} wrap>
          <BackButton fallback="/troop-partnerships" label={t('web.pt.title')} />
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="partnership-title">
            {p.partnerName}
          </Typography.Title>
          <StatusTags p={p} />
        </Flex>
      }
      extra={
        <Flex gap={8} wrap>
          {p.actions.includes('edit') ? <EditPartnershipButton p={p} /> : null}
          {p.actions.includes('end') ? <EndPartnershipButton p={p} /> : null}
        </Flex>
      }
    >
      <DocTitle title={p.partnerName} />
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
        <Descriptions.Item label={t('web.pt.col.unit')}>{p.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('web.pt.kind')}>{label('troops.place', p.partnerKind)}</Descriptions.Item>
        <Descriptions.Item label={t('web.pt.col.area')}>{p.placeOrgName}</Descriptions.Item>
        <Descriptions.Item label={t('web.pt.col.period')}>{period(p)}</Descriptions.Item>
        {p.contact ? <Descriptions.Item label={t('web.pt.contact')}>{p.contact}</Descriptions.Item> : null}
        {p.endReason ? (
          <Descriptions.Item label={t('web.pt.f.endReason')}>
            <span data-testid="partnership-end-reason-text">{p.endReason}</span>
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('web.pt.col.last')}>{p.lastActivityOn ?? '—'}</Descriptions.Item>
      </Descriptions>
      <Card size="small" type="inner" title={t('web.pt.plans')} style={{ marginTop: 16 }}>
        {p.plans.length ? (
          <Flex vertical gap={8} data-testid="partnership-plans">
            {p.plans.map((pl) => (
              <Flex key={`${pl.year}-${pl.type}`} gap={8} align="center" wrap data-testid="partnership-plan">
                <span style={{ minWidth: 48 }}>{pl.year}</span>
                <span style={{ minWidth: 96 }}>{pl.typeLabel}</span>
                <Progress
                  percent={Math.min(100, Math.round((pl.done / pl.planned) * 100))}
                  size="small"
                  style={{ flex: 1, minWidth: 120, margin: 0 }}
                />
                <span data-testid="partnership-plan-count">
                  {pl.done}/{pl.planned}
                </span>
              </Flex>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('web.pt.noPlan')}</Typography.Text>
        )}
      </Card>
      <Card size="small" type="inner" title={t('web.pt.activities')} style={{ marginTop: 16 }}>
        <List
          dataSource={acts.data?.items}
          loading={acts.isFetching}
          locale={{ emptyText: t('web.troops.empty') }}
          renderItem={(a) => (
            <List.Item>
              <Link to={`/troops/${a.id}`} data-testid="partnership-activity">
                {a.occurredOn} {a.typeLabel}
              </Link>
              <span>{t('web.troops.reachedN', { n: a.reachedTotal })}</span>
            </List.Item>
          )}
        />
      </Card>
    </Card>
  );
}
