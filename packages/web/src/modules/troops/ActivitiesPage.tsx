import { PlusOutlined } from '@ant-design/icons';
import { ORG_TYPE_SIDE } from '@shuangyong/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, List, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { type ActivityListItem, type ActivityQuery, troopsApi } from '../../api/troops';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { hours } from './labels';

/**
 * `/troops`: 拥政爱民 activities — a unit its own, the 军分区 every unit's, a district those in its
 * area (without the military-only fields, which the API leaves out). On a phone, a list of cards.
 */
export function ActivitiesPage() {
  const can = useCan();
  const me = useMe();
  const navigate = useNavigate();
  const isMobile = useIsMobile();
  const military = ORG_TYPE_SIDE[me.org.type] === 'military';
  // a cockpit chart opens this list with its filter (type, or a month as from/to): the same number
  const [params] = useSearchParams();
  const [query, setQuery] = useState<ActivityQuery>(() => ({
    page: 1,
    pageSize: 20,
    type: params.get('type') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  }));
  const types = useQuery({ queryKey: ['troop-types'], queryFn: ({ signal }) => troopsApi.types({ signal }) });
  const list = useQuery({
    queryKey: ['troop-activities', query],
    queryFn: ({ signal }) => troopsApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const columns: TableColumnsType<ActivityListItem> = [
    { title: t('web.troops.col.date'), dataIndex: 'occurredOn' },
    {
      title: t('web.troops.col.type'),
      dataIndex: 'typeLabel',
      render: (v: string, r) => (
        <Link to={`/troops/${r.id}`} data-testid="activity-row">
          {v}
        </Link>
      ),
    },
    { title: t('web.troops.col.unit'), dataIndex: 'orgName' },
    {
      title: t('web.troops.col.place'),
      key: 'place',
      render: (_: unknown, r) => [r.placeOrgName, r.placeName].filter(Boolean).join(' · '),
    },
    { title: t('web.troops.col.participants'), dataIndex: 'participants' },
    { title: t('web.troops.col.reached'), dataIndex: 'reachedTotal' },
    { title: t('web.troops.col.duration'), dataIndex: 'durationMinutes', render: (m: number) => hours(m) },
    { title: t('web.troops.col.photos'), dataIndex: 'photoCount' },
  ];
  const { position: _position, ...pagination } = listPagination(query, setQuery, list.data?.total, isMobile);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.troops.title')}
        </Typography.Title>
      }
      extra={
        military && can('troops:write') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="activity-create"
            onClick={() => navigate('/troops/new')}
          >
            {t('nav.troopRecord')}
          </Button>
        ) : null
      }
    >
      <DocTitle title={t('web.troops.title')} />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('web.troops.filter.type')}
          aria-label={t('web.troops.filter.type')}
          style={{ minWidth: 160 }}
          value={query.type}
          options={(types.data?.items ?? []).map((x) => ({ value: x.code, label: x.label }))}
          onChange={(type?: string) => setQuery((q) => ({ ...q, page: 1, type }))}
        />
      </Flex>
      {isMobile ? (
        <List
          dataSource={list.data?.items}
          loading={list.isFetching}
          pagination={pagination}
          locale={{ emptyText: t('web.troops.empty') }}
          renderItem={(r) => (
            <List.Item>
              <Link to={`/troops/${r.id}`} data-testid="activity-row" style={{ display: 'block', width: '100%' }}>
                <Flex justify="space-between" gap={8}>
                  <strong>{r.typeLabel}</strong>
                  <span>{r.occurredOn}</span>
                </Flex>
                <div>{[r.placeOrgName, r.placeName].filter(Boolean).join(' · ')}</div>
                <Flex gap={4} wrap>
                  <Tag>{r.orgName}</Tag>
                  <Tag>{t('web.troops.reachedN', { n: r.reachedTotal })}</Tag>
                  {r.photoCount ? <Tag>{t('web.troops.photosN', { n: r.photoCount })}</Tag> : null}
                </Flex>
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
          locale={{ emptyText: t('web.troops.empty') }}
          pagination={pagination}
        />
      )}
    </Card>
  );
}
