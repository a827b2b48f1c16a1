import { SafetyCertificateOutlined } from '@ant-design/icons';
import { OTP_PATTERN } from '@shuangyong/shared';
import { Alert, Button, Flex, Form, Input, Steps, Typography } from 'antd';
import { useState } from 'react';
import { authApi, type TotpSetup } from '../../api/auth';
import { t } from '../../i18n';
import { groupSecret } from '../../lib/format';
import { applyFieldErrors } from '../../lib/forms';

/** TOTP enrolment: generate a secret, show it (no QR code), confirm with a first code. */
export function TotpEnrolment({ enabled, onDone }: { enabled: boolean; onDone: () => void }) {
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ otp: string }>();

  async function start() {
    setStarting(true);
    try {
      setSetup(await authApi.totpSetup());
      form.resetFields();
    } catch {
      // shown by the global handler
    } finally {
      setStarting(false);
    }
  }

  async function enable(v: { otp: string }) {
    setSaving(true);
    try {
      await authApi.totpEnable(v.otp);
      setSetup(null);
      onDone();
    } catch (e) {
      form.setFieldValue('otp', '');
      applyFieldErrors(form, e, ['otp']);
    } finally {
      setSaving(false);
    }
  }

  if (!setup) {
    return (
      <Flex vertical gap={12} align="flex-start">
        <Alert
          type={enabled ? 'success' : 'info'}
          showIcon
          title={enabled ? t('account.totpEnabled') : t('account.totpNotEnabled')}
          description={t('account.totpIntro')}
          data-testid="totp-status"
        />
        <Button
          type={enabled ? 'default' : 'primary'}
          icon={<SafetyCertificateOutlined />}
          loading={starting}
          onClick={() => void start()}
          data-testid="totp-setup"
        >
          {enabled ? t('account.totpRebind') : t('account.totpStart')}
        </Button>
      </Flex>
    );
  }

  return (
    <Flex vertical gap={16}>
      <Steps
        orientation="vertical"
        size="small"
        current={1}
        items={[
          {
            title: t('account.totpStep1'),
            content: (
              <Flex vertical gap={8}>
                <Typography.Text type="secondary">{t('account.totpSecretLabel')}</Typography.Text>
                <Typography.Paragraph
                  copyable={{ text: setup.secret }}
                  style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 16, marginBottom: 0 }}
                  data-testid="totp-secret"
                  data-secret={setup.secret}
                >
                  {groupSecret(setup.secret)}
                </Typography.Paragraph>
                <Typography.Text type="secondary">{t('account.totpUrlLabel')}</Typography.Text>
                <Typography.Paragraph
                  copyable
                  style={{ wordBreak: 'break-all', marginBottom: 0 }}
                  data-testid="totp-url"
                >
                  {setup.otpauthUrl}
                </Typography.Paragraph>
              </Flex>
            ),
          },
          {
            title: t('account.totpStep2'),
            content: (
              <Form form={form} layout="inline" onFinish={enable} style={{ rowGap: 8, marginTop: 8 }}>
                <Form.Item
                  name="otp"
                  rules={[{ required: true, pattern: OTP_PATTERN, message: t('login.otpInvalidFormat') }]}
                >
                  <Input
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    placeholder={t('login.otpPlaceholder')}
                    style={{ width: 160 }}
                    data-testid="totp-otp"
                  />
                </Form.Item>
                <Form.Item>
                  <Flex gap={8}>
                    <Button type="primary" htmlType="submit" loading={saving} data-testid="totp-enable">
                      {t('account.totpEnable')}
                    </Button>
                    <Button onClick={() => setSetup(null)}>{t('web.cancel')}</Button>
                  </Flex>
                </Form.Item>
              </Form>
            ),
          },
        ]}
      />
    </Flex>
  );
}
