import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Col, Descriptions, Empty, Flex, List, Row, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { homeApi } from '../../api/home';
import { useAuth, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { formatFen } from '../../lib/money';

const pct = (v: number | null) => (v === null ? t('home.fig.none') : `${v}%`);

/** 首页: the caller's to-dos (each a link to the list it counts) and the key figures of their scope. */
export function HomePage() {
  const me = useMe();
  const { status } = useAuth();
  const home = useQuery({ queryKey: ['home'], queryFn: ({ signal }) => homeApi.get({ signal }) });
  const todos = home.data?.todos ?? [];
  const f = home.data?.figures;
  const figures: { key: string; title: string; value: string; detail?: string; danger?: boolean }[] = [];
  if (f?.campaign)
    figures.push({
      key: 'campaign',
      title: t('home.fig.campaign'),
      value: pct(f.campaign.completionPercent),
      detail: t('home.fig.campaignDetail', { accepted: f.campaign.accepted, total: f.campaign.assignments }),
    });
  if (f?.visits) {
    figures.push({
      key: 'coverage',
      title: t('home.fig.coverage'),
      value: pct(f.visits.coveragePercent),
      detail: t('home.fig.coverageDetail', { visited: f.visits.visited, planned: f.visits.planned }),
    });
    figures.push({
      key: 'spending',
      title: t('home.fig.spending'),
      value: formatFen(f.visits.spentFen),
      detail: t('home.fig.spendingDetail', { budget: formatFen(f.visits.budgetFen) }),
      danger: f.visits.budgetFen > 0 && f.visits.spentFen > f.visits.budgetFen,
    });
  }
  if (f?.needs) {
    figures.push({ key: 'needsOpen', title: t('home.fig.needsOpen'), value: String(f.needs.open) });
    figures.push({
      key: 'needsOverdue',
      title: t('home.fig.needsOverdue'),
      value: String(f.needs.overdue),
      danger: f.needs.overdue > 0,
    });
    figures.push({ key: 'needsClosed', title: t('home.fig.needsClosed'), value: String(f.needs.closedThisWeek) });
    figures.push({
      key: 'rating',
      title: t('home.fig.rating'),
      value: f.needs.averageRating === null ? t('home.fig.none') : f.needs.averageRating.toFixed(1),
    });
  }
  return (
    <Flex vertical gap={16}>
      <DocTitle title={t('nav.home')} />
      <Card data-testid="home-welcome" loading={status !== 'authenticated'}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: me.user.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
        <Descriptions
          styles={{ label: { whiteSpace: 'nowrap' } }}
          column={{ xs: 1, sm: 1, md: 2 }}
          bordered
          size="small"
          items={[
            { key: 'username', label: t('home.username'), children: me.user.username },
            {
              key: 'org',
              label: t('home.org'),
              children: (
                <span data-testid="home-org">
                  {me.org.name} <Tag>{label('orgType', me.org.type)}</Tag>
                </span>
              ),
            },
            {
              key: 'roles',
              label: t('home.roles'),
              children: (
                <Flex wrap gap={4} data-testid="home-roles">
                  {me.roles.map((r) => (
                    <Tag color="red" key={r}>
                      {label('role', r)}
                    </Tag>
                  ))}
                </Flex>
              ),
            },
            { key: 'scope', label: t('home.scope'), children: label('scope', me.scope) },
          ]}
        />
      </Card>
      <Card title={t('home.todos')} loading={home.isPending} data-testid="home-todos">
        {todos.length === 0 ? (
          <Empty description={t('home.todosEmpty')} />
        ) : (
          <List
            size="small"
            dataSource={todos}
            renderItem={(x) => (
              <List.Item data-testid={`todo-${x.key}`} data-count={x.count}>
                <Link to={x.link} data-testid={`todo-link-${x.key}`}>
                  {t(`home.todo.${x.key}`)}
                </Link>
                <Badge
                  count={x.count}
                  overflowCount={9999}
                  color={x.urgent ? 'red' : 'blue'}
                  data-testid={`todo-count-${x.key}`}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {figures.length > 0 && (
        <Card title={t('home.figures')} data-testid="home-figures">
          <Row gutter={[16, 16]}>
            {figures.map((x) => (
              <Col xs={12} md={6} key={x.key} data-testid={`figure-${x.key}`}>
                <Statistic
                  title={x.title}
                  value={x.value}
                  styles={x.danger ? { content: { color: '#cf1322' } } : undefined}
                />
                {x.detail && <Typography.Text type="secondary">{x.detail}</Typography.Text>}
              </Col>
            ))}
          </Row>
        </Card>
      )}
      {me.demo && <Alert type="warning" showIcon title={t('home.demo')} />}
    </Flex>
  );
}
