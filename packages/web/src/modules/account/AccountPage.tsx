import { App, Card, Col, Descriptions, Row, Tag } from 'antd';
import { useAuth, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { ChangePasswordForm } from './ChangePasswordForm';
import { TotpEnrolment } from './TotpEnrolment';

export function AccountPage() {
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();

  return (
    <Row gutter={[16, 16]}>
      <DocTitle title={t('nav.account')} />
      <Col xs={24} xl={12}>
        <Card title={t('account.profile')}>
          <Descriptions
            styles={{ label: { whiteSpace: 'nowrap' } }}
            column={1}
            size="small"
            bordered
            items={[
              { key: 'username', label: t('home.username'), children: me.user.username },
              { key: 'displayName', label: t('users.displayName'), children: me.user.displayName },
              { key: 'org', label: t('home.org'), children: me.org.name },
              {
                key: 'roles',
                label: t('home.roles'),
                children: me.roles.map((r) => <Tag key={r}>{label('role', r)}</Tag>),
              },
              { key: 'scope', label: t('home.scope'), children: label('scope', me.scope) },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('account.changePassword')}>
          <ChangePasswordForm
            onDone={() => {
              void message.success(t('account.passwordChanged'));
              void refresh();
            }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('account.totp')}>
          <TotpEnrolment
            enabled={me.user.totpEnabled}
            onDone={() => {
              void message.success(t('account.totpDone'));
              void refresh();
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}
