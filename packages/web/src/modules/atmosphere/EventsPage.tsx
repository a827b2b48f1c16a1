import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, List, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { eventsApi } from '../../api/events';
import { useCan } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { EventStatusTag } from './findings';

const pad = (n: number) => String(n).padStart(2, '0');
function monthRange(y: number, m: number) {
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` };
}

/**
 * `/events`: the month's events across the city that the caller sees, grouped by day — a list that
 * reads the same on a phone and a desk (decisions/0043).
 */
export function EventsPage() {
  const can = useCan();
  const navigate = useNavigate();
  const now = new Date();
  const [ym, setYm] = useState({ y: now.getFullYear(), m: now.getMonth() + 1 });
  const range = monthRange(ym.y, ym.m);
  const list = useQuery({
    queryKey: ['events', range],
    queryFn: ({ signal }) => eventsApi.list({ ...range, page: 1, pageSize: 500 }, { signal }),
    placeholderData: keepPreviousData,
  });
  const shift = (d: number) => {
    const m = ym.m + d;
    setYm(m < 1 ? { y: ym.y - 1, m: 12 } : m > 12 ? { y: ym.y + 1, m: 1 } : { y: ym.y, m });
  };
  const days = new Map<string, NonNullable<typeof list.data>['items']>();
  for (const e of list.data?.items ?? []) days.set(e.date, [...(days.get(e.date) ?? []), e]);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('web.events.title')}
        </Typography.Title>
      }
      extra={
        can('publicity:write') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/events/new')}
            data-testid="event-new"
          >
            {t('web.events.new')}
          </Button>
        )
      }
    >
      <DocTitle title={t('web.events.title')} />
      <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }}>
        <Button onClick={() => shift(-1)}>{t('web.events.prev')}</Button>
        <Typography.Text strong data-testid="event-month">
          {t('web.events.month', { year: ym.y, month: ym.m })}
        </Typography.Text>
        <Button onClick={() => shift(1)}>{t('web.events.next')}</Button>
      </Flex>
      {days.size === 0 ? (
        <Empty description={t('web.events.empty')} />
      ) : (
        [...days.entries()].map(([day, items]) => (
          <div key={day} data-testid="event-day">
            <Typography.Title level={5}>{day}</Typography.Title>
            <List
              size="small"
              bordered
              dataSource={items}
              style={{ marginBottom: 12 }}
              renderItem={(e) => (
                <List.Item data-testid="event-row">
                  <Flex vertical gap={4} style={{ minWidth: 0 }}>
                    <Link to={`/events/${e.id}`}>
                      {e.startTime} {t(`events.type.${e.type}`)}：{e.title}
                    </Link>
                    <Typography.Text type="secondary">
                      {e.place} · {e.orgName}
                      {e.partnerOrgName ? ` · ${e.partnerOrgName}` : ''} · {t('web.events.invited', { n: e.invited })}
                    </Typography.Text>
                  </Flex>
                  <EventStatusTag status={e.status} />
                </List.Item>
              )}
            />
          </div>
        ))
      )}
    </Card>
  );
}
