import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { authApi } from '../../api/auth';
import { useMe } from '../../app/auth';
import { PasswordHints, passwordRule } from '../../components/PasswordHints';
import { t } from '../../i18n';
import { applyFieldErrors } from '../../lib/forms';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** 修改密码: current, new (with policy hints), confirm. */
export function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const newPassword = Form.useWatch('newPassword', form) ?? '';

  async function onFinish(v: Values) {
    setSaving(true);
    try {
      await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      onDone();
    } catch (e) {
      applyFieldErrors(form, e, ['currentPassword', 'newPassword']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} style={{ maxWidth: 440 }} data-testid="cp-form">
      {/* lets password managers pair the new password with the account */}
      <input type="text" name="username" value={me.user.username} autoComplete="username" readOnly hidden />
      <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" data-testid="cp-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('account.newPassword')}
        extra={<PasswordHints password={newPassword} username={me.user.username} />}
        dependencies={['currentPassword']}
        rules={[
          { required: true },
          passwordRule(() => me.user.username),
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              value && value === getFieldValue('currentPassword')
                ? Promise.reject(new Error(t('auth.passwordReused')))
                : Promise.resolve(),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="cp-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('web.password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true },
          ({ getFieldValue }) => ({
            validator: (_, value: string) =>
              !value || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('web.password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="cp-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="cp-submit">
        {t('account.changePasswordSubmit')}
      </Button>
    </Form>
  );
}
