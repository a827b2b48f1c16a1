import { Alert, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useAuth, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';

export function HomePage() {
  const me = useMe();
  const { status } = useAuth();
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
      {me.demo && <Alert type="warning" showIcon title={t('home.demo')} />}
    </Flex>
  );
}
