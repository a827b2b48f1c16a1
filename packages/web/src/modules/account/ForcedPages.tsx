import { Alert, App, Card, Flex } from 'antd';
import { useAuth, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { t } from '../../i18n';
import { ChangePasswordForm } from './ChangePasswordForm';
import { TotpEnrolment } from './TotpEnrolment';

/** Shown instead of every page while `me.user.mustChangePassword`. */
export function ChangePasswordRequiredPage() {
  const { refresh } = useAuth();
  const { message } = App.useApp();
  return (
    <Card title={t('account.changePassword')} data-testid="forced-change-password">
      <DocTitle title={t('account.changePassword')} />
      <Flex vertical gap={16}>
        <Alert type="warning" showIcon title={t('account.mustChangeFirst')} />
        <ChangePasswordForm
          onDone={async () => {
            void message.success(t('account.passwordChanged'));
            // once /me no longer demands it, the app's routes send /change-password to 首页
            await refresh();
          }}
        />
      </Flex>
    </Card>
  );
}

/** Shown instead of every page while an administrator has not enrolled a second factor. */
export function TotpRequiredPage() {
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  return (
    <Card title={t('account.totp')} data-testid="forced-totp">
      <DocTitle title={t('account.totp')} />
      <Flex vertical gap={16}>
        <Alert type="warning" showIcon title={t('account.mustEnrolTotpFirst')} />
        <TotpEnrolment
          enabled={me.user.totpEnabled}
          onDone={async () => {
            void message.success(t('account.totpDone'));
            await refresh();
          }}
        />
      </Flex>
    </Card>
  );
}
