import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { OTP_PATTERN } from '@shuangyong/shared';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { authApi } from '../../api/auth';
import { ApiError } from '../../api/client';
import { useAuth } from '../../app/auth';
import { t } from '../../i18n';
import styles from './login.module.css';

interface LoginValues {
  username: string;
  password: string;
  otp?: string;
}

export function LoginPage() {
  const { signedIn } = useAuth();
  const [form] = Form.useForm<LoginValues>();
  const [submitting, setSubmitting] = useState(false);
  const [needOtp, setNeedOtp] = useState(false);
  const [error, setError] = useState<{ text: string; info: boolean } | null>(null);

  async function onFinish(values: LoginValues) {
    setSubmitting(true);
    setError(null);
    try {
      const me = await authApi.login({
        username: values.username.trim(),
        password: values.password,
        ...(needOtp && values.otp ? { otp: values.otp } : {}),
      });
      signedIn(me);
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.code === 'otp_required') {
          setNeedOtp(true);
          setError({ text: e.detail || t('auth.otpRequired'), info: true });
        } else {
          if (e.code === 'otp_invalid') form.setFieldValue('otp', '');
          else form.setFieldValue('password', '');
          setError({ text: e.display, info: false });
        }
      } else {
        setError({ text: t('web.error.network'), info: false });
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main className={styles.page}>
      <title>{`${t('login.title')} - ${t('app.title')}`}</title>
      <div className={styles.card}>
        <div className={styles.brand}>
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <h1 className={styles.title}>{t('app.title')}</h1>
          <span className={styles.subtitle}>{t('login.subtitle')}</span>
        </div>
        <Form form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              placeholder={t('login.usernamePlaceholder')}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              placeholder={t('login.passwordPlaceholder')}
              data-testid="login-password"
            />
          </Form.Item>
          {needOtp && (
            <Form.Item
              name="otp"
              label={t('login.otp')}
              extra={t('login.otpHint')}
              rules={[{ required: true, pattern: OTP_PATTERN, message: t('login.otpInvalidFormat') }]}
            >
              <Input
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                placeholder={t('login.otpPlaceholder')}
                data-testid="login-otp"
              />
            </Form.Item>
          )}
          {error && (
            <Alert
              className={styles.alert}
              type={error.info ? 'info' : 'error'}
              showIcon
              title={error.text}
              data-testid="login-error"
            />
          )}
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </div>
      <span className={styles.footer}>{t('login.footer')}</span>
    </main>
  );
}
