import { PlusOutlined } from '@ant-design/icons';
import { EMERGENCY_STATUSES, ORG_TYPE_SIDE } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, List, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { type EmergencyItem, type EmergencyQuery, emergenciesApi } from '../../api/troops';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { formatDateTimeMinutes } from '../../lib/format';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';

export const STATUS_COLOR: Record<string, string> = {
  requested: 'gold',
  dispatched: 'blue',
  declined: 'default',
  withdrawn: 'default',
  completed: 'green',
  thanked: 'green',
};

/** The clock of an undecided request: overdue, or hours left. */
export function Clock({ e }: { e: Pick<EmergencyItem, 'status' | 'overdue' | 'respondBy'> }) {
  if (e.status !== 'requested') return null;
  if (e.overdue) return <Tag color="red">{t('web.em.overdue')}</Tag>;
  const left = Math.max(0, Math.round(((Date.parse(e.respondBy) - Date.now()) / 3_600_000) * 10) / 10);
  return <Tag color="orange">{t('web.em.dueIn', { n: left })}</Tag>;
}

/**
 * `/troop-emergencies`: 抢险救灾 support requests — a district its own, the 军分区 and the city all,
 * a unit those it was dispatched to. The civil side (district, city) asks from here.
 */
export function EmergenciesPage() {
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const civil = ORG_TYPE_SIDE[me.org.type] !== 'military';
  // a cockpit chart opens this list with a status: the same number
  const [params] = useSearchParams();
  const [query, setQuery] = useState<EmergencyQuery>(() => ({
    page: 1,
    pageSize: 20,
    status: EMERGENCY_STATUSES.find((x) => x === params.get('status')),
  }));
  const list = useQuery({
    queryKey: ['troop-emergencies', query],
    queryFn: ({ signal }) => emergenciesApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const status = (e: EmergencyItem) => (
    <Flex gap={4} wrap>
      <Tag color={STATUS_COLOR[e.status]}>{label('troops.emergency.status', e.status)}</Tag>
      <Clock e={e} />
    </Flex>
  );
  const columns: TableColumnsType<EmergencyItem> = [
    {
      title: t('web.em.col.title'),
      dataIndex: 'title',
      render: (v: string, r) => (
        <Link to={`/troop-emergencies/${r.id}`} data-testid="emergency-row">
          {v}
        </Link>
      ),
    },
    { title: t('web.em.col.org'), dataIndex: 'orgName' },
    { title: t('web.em.col.status'), key: 'status', render: (_: unknown, r) => status(r) },
    {
      title: t('web.em.col.units'),
      key: 'units',
      render: (_: unknown, r) => r.dispatches.map((d) => d.orgName).join('、') || '—',
    },
    { title: t('web.em.col.created'), dataIndex: 'createdAt', render: (v: string) => formatDateTimeMinutes(v) },
  ];
  const { position: _position, ...pagination } = listPagination(query, setQuery, list.data?.total, isMobile);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.em.title')}
        </Typography.Title>
      }
      extra={
        civil && can('troops:request') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="emergency-create"
            aria-label={t('web.em.new')}
            onClick={() => navigate('/troop-emergencies/new')}
          >
            {isMobile ? null : t('web.em.new')}
          </Button>
        ) : null
      }
    >
      <DocTitle title={t('web.em.title')} />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('web.em.col.status')}
          aria-label={t('web.em.col.status')}
          style={{ minWidth: 140 }}
          value={query.status}
          options={EMERGENCY_STATUSES.map((s) => ({ value: s, label: label('troops.emergency.status', s) }))}
          onChange={(s?: EmergencyQuery['status']) => setQuery((q) => ({ ...q, page: 1, status: s }))}
        />
      </Flex>
      {isMobile ? (
        <List
          dataSource={list.data?.items}
          loading={list.isFetching}
          pagination={pagination}
          locale={{ emptyText: t('web.em.empty') }}
          renderItem={(r) => (
            <List.Item>
              <Link
                to={`/troop-emergencies/${r.id}`}
                data-testid="emergency-row"
                style={{ display: 'block', width: '100%' }}
              >
                <Flex justify="space-between" gap={8}>
                  <strong>{r.title}</strong>
                  <span>{formatDateTimeMinutes(r.createdAt).slice(5)}</span>
                </Flex>
                <div>{r.orgName}</div>
                {status(r)}
              </Link>
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
          locale={{ emptyText: t('web.em.empty') }}
          pagination={pagination}
        />
      )}
    </Card>
  );
}
