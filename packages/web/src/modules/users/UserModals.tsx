import { type Role, USERNAME_PATTERN, type User, usernameSchema } from '@shuangyong/shared';
import { Form, Input, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { type UpdateUser, usersApi } from '../../api/users';
import { FormModal } from '../../components/FormModal';
import { PasswordHints, passwordRule } from '../../components/PasswordHints';
import { label, t } from '../../i18n';
import { applyFieldErrors } from '../../lib/forms';
import { type OrgNode, toSelectTree } from '../orgs/tree';

interface UserFormValues {
  username: string;
  displayName: string;
  orgId: string;
  roles: Role[];
  password?: string;
}

interface UserFormModalProps {
  /** Absent: create a new user. */
  user?: User;
  forest: readonly OrgNode[];
  grantable: readonly Role[];
  onClose: () => void;
  onDone: (user: User) => void;
}

const FIELDS = ['username', 'displayName', 'orgId', 'roles', 'password'];

export function UserFormModal({ user, forest, grantable, onClose, onDone }: UserFormModalProps) {
  const [form] = Form.useForm<UserFormValues>();
  const [saving, setSaving] = useState(false);
  const username = Form.useWatch('username', form) ?? user?.username ?? '';
  const password = Form.useWatch('password', form) ?? '';
  const treeData = useMemo(() => toSelectTree(forest, (o) => !o.active), [forest]);
  const roleOptions = useMemo(() => {
    // A user may hold roles the editor cannot grant: show them, but fixed.
    const held = (user?.roles ?? []).filter((r) => !grantable.includes(r));
    return [
      ...grantable.map((r) => ({ value: r, label: label('role', r) })),
      ...held.map((r) => ({ value: r, label: label('role', r), disabled: true })),
    ];
  }, [grantable, user]);

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      if (!user) {
        const created = await usersApi.create({
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          orgId: v.orgId,
          roles: v.roles,
          password: v.password ?? '',
        });
        onDone(created);
        return;
      }
      const patch: UpdateUser = { version: user.version };
      if (v.displayName.trim() !== user.displayName) patch.displayName = v.displayName.trim();
      if (v.orgId !== user.orgId) patch.orgId = v.orgId;
      if (!sameSet(v.roles, user.roles)) patch.roles = v.roles;
      onDone(Object.keys(patch).length > 1 ? await usersApi.update(user.id, patch) : user);
    } catch (e) {
      applyFieldErrors(form, e, FIELDS);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={user ? t('users.editTitle', { name: user.displayName }) : t('users.createTitle')}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        autoComplete="off"
        initialValues={
          user
            ? { username: user.username, displayName: user.displayName, orgId: user.orgId, roles: user.roles }
            : { roles: [] }
        }
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={user ? undefined : t('users.usernameHint')}
          rules={[
            { required: true, whitespace: true },
            // the limits of the shared schema the server validates with
            {
              min: usernameSchema.minLength ?? 2,
              max: usernameSchema.maxLength ?? 32,
              message: t('users.usernameLength'),
            },
            { pattern: USERNAME_PATTERN, message: t('users.usernameInvalid') },
          ]}
        >
          <Input
            disabled={!!user}
            maxLength={usernameSchema.maxLength ?? 32}
            autoComplete="off"
            data-testid="user-form-username"
          />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, max: 64 }]}
        >
          <Input maxLength={64} data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item name="orgId" label={t('users.org')} rules={[{ required: true, message: t('users.orgRequired') }]}>
          <TreeSelect
            treeData={treeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll={treeData.length < 50}
            placeholder={t('users.pickOrg')}
            data-testid="user-form-org"
          />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          extra={grantable.length ? undefined : t('users.noGrantableRoles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}
        >
          <Select
            mode="multiple"
            options={roleOptions}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('users.pickRoles')}
            data-testid="user-form-roles"
          />
        </Form.Item>
        {!user && (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={<PasswordHints password={password} username={username} />}
            rules={[{ required: true }, passwordRule(() => form.getFieldValue('username'))]}
            dependencies={['username']}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}

export function ResetPasswordModal({ user, onClose, onDone }: { user: User; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [saving, setSaving] = useState(false);
  const password = Form.useWatch('password', form) ?? '';

  async function submit() {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await usersApi.resetPassword(user.id, v.password);
      onDone();
    } catch (e) {
      applyFieldErrors(form, e, ['password']);
    } finally {
      setSaving(false);
    }
  }

  return (
    <FormModal
      title={t('users.resetTitle', { name: user.displayName })}
      onOk={() => void submit().catch(() => {})}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form form={form} layout="vertical" autoComplete="off">
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          extra={
            <>
              <PasswordHints password={password} username={user.username} />
              <div style={{ marginTop: 4 }}>{t('users.resetHint')}</div>
            </>
          }
          rules={[{ required: true }, passwordRule(() => user.username)]}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('web.password.confirm')}
          dependencies={['password']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value: string) =>
                !value || value === getFieldValue('password')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('web.password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-password-confirm" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
