import { LockOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { grantableRoles, type User } from '@shuangyong/shared';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Table, type TableColumnsType, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { type UserQuery, usersApi } from '../../api/users';
import { useCan, useMe } from '../../app/auth';
import { DocTitle } from '../../app/DocTitle';
import { label, t } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { listPagination } from '../../lib/pagination';
import { useIsMobile } from '../../lib/useIsMobile';
import { toSelectTree } from '../orgs/tree';
import { useOrgTree } from '../orgs/useOrgTree';
import { ResetPasswordModal, UserFormModal } from './UserModals';
import styles from './users.module.css';

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'reset'; user: User } | null;

export function UsersPage() {
  const me = useMe();
  const can = useCan();
  const canManage = can('user:manage');
  const isMobile = useIsMobile();
  const { message, modal } = App.useApp();
  const { forest } = useOrgTree(false, can('org:read'));
  const orgTreeData = useMemo(() => toSelectTree(forest), [forest]);
  const grantable = useMemo(() => grantableRoles(me.roles), [me.roles]);

  const [query, setQuery] = useState<UserQuery>({ page: 1, pageSize: 20 });
  const [dialog, setDialog] = useState<Dialog>(null);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['users', query],
    queryFn: ({ signal }) => usersApi.list(query, { signal }),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const load = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const replaceRow = (user: User) =>
    queryClient.setQueryData(['users', query], (d: typeof data) =>
      d ? { ...d, items: d.items.map((u) => (u.id === user.id ? user : u)) } : d,
    );

  /** 锁定 = the server's `lock` (the account can no longer sign in); 解锁 lifts it and any lockout. */
  function toggleLock(user: User) {
    const locking = !isBlocked(user);
    modal.confirm({
      title: t(locking ? 'users.lockConfirm' : 'users.unlockConfirm', { name: user.displayName }),
      okButtonProps: { danger: locking },
      onOk: async () => {
        try {
          replaceRow(await (locking ? usersApi.lock(user.id) : usersApi.unlock(user.id)));
          void message.success(t(locking ? 'users.locked' : 'users.unlocked', { name: user.displayName }));
        } catch {
          void load();
        }
      },
    });
  }

  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      fixed: isMobile ? undefined : 'left',
      render: (v: string) => <span data-testid="user-username">{v}</span>,
    },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.org'), dataIndex: 'orgName' },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      render: (roles: User['roles']) => (
        <Flex gap={4}>
          {roles.map((r) => (
            <Tag key={r} className={styles.tag}>
              {label('role', r)}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('users.status'), key: 'status', render: (_, u) => <UserStatus user={u} /> },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      render: (v: string | null) => (v ? formatDateTime(v) : t('users.neverLoggedIn')),
    },
  ];
  if (canManage) {
    columns.push({
      title: t('web.actions'),
      key: 'actions',
      fixed: isMobile ? undefined : 'right',
      render: (_, u) => (
        <Flex gap={4}>
          <Button size="small" type="link" onClick={() => setDialog({ kind: 'edit', user: u })} data-testid="user-edit">
            {t('users.edit')}
          </Button>
          <Button
            size="small"
            type="link"
            onClick={() => setDialog({ kind: 'reset', user: u })}
            data-testid="user-reset-password"
          >
            {t('users.resetPassword')}
          </Button>
          <Button
            size="small"
            type="link"
            danger={!isBlocked(u)}
            icon={isBlocked(u) ? <UnlockOutlined /> : <LockOutlined />}
            disabled={u.id === me.user.id}
            onClick={() => toggleLock(u)}
            data-testid={isBlocked(u) ? 'user-unlock' : 'user-lock'}
          >
            {isBlocked(u) ? t('users.unlock') : t('users.lock')}
          </Button>
        </Flex>
      ),
    });
  }

  return (
    <Card title={t('nav.users')} styles={{ body: { padding: isMobile ? 12 : 24 } }}>
      <DocTitle title={t('nav.users')} />
      <Flex wrap gap={8} className={styles.toolbar}>
        <Input.Search
          allowClear
          className={styles.search}
          placeholder={t('users.searchPlaceholder')}
          onSearch={(q) => setQuery((s) => ({ ...s, page: 1, q: q.trim() || undefined }))}
          data-testid="user-search"
        />
        {orgTreeData.length > 0 && (
          <TreeSelect
            allowClear
            className={styles.orgFilter}
            treeData={orgTreeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            placeholder={t('users.filterOrg')}
            value={query.orgId}
            onChange={(orgId?: string) => setQuery((s) => ({ ...s, page: 1, orgId: orgId || undefined }))}
            data-testid="user-filter-org"
          />
        )}
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setDialog({ kind: 'create' })}
            data-testid="user-create"
          >
            {t('users.create')}
          </Button>
        )}
      </Flex>
      <Table<User>
        rowKey="id"
        size={isMobile ? 'small' : 'middle'}
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        className={styles.table}
        data-testid="user-table"
        pagination={listPagination(query, setQuery, data?.total, isMobile)}
      />
      {dialog?.kind === 'create' && (
        <UserFormModal
          forest={forest}
          grantable={grantable}
          onClose={() => setDialog(null)}
          onDone={(u) => {
            setDialog(null);
            void message.success(t('users.created', { name: u.displayName }));
            void load();
          }}
        />
      )}
      {dialog?.kind === 'edit' && (
        <UserFormModal
          user={dialog.user}
          forest={forest}
          grantable={grantable}
          onClose={() => setDialog(null)}
          onDone={(u) => {
            setDialog(null);
            void message.success(t('users.saved', { name: u.displayName }));
            replaceRow(u);
          }}
        />
      )}
      {dialog?.kind === 'reset' && (
        <ResetPasswordModal
          user={dialog.user}
          onClose={() => setDialog(null)}
          onDone={() => {
            const name = dialog.user.displayName;
            setDialog(null);
            void message.success(t('users.passwordReset', { name }));
            void load();
          }}
        />
      )}
    </Card>
  );
}

/** Cannot sign in: disabled by an administrator or locked out after failed logins. */
function isBlocked(user: User): boolean {
  return !user.active || user.locked;
}

function UserStatus({ user }: { user: User }) {
  return (
    <Flex gap={4} data-testid="user-status">
      {!user.active ? (
        <Tag className={styles.tag}>{t('users.statusDisabled')}</Tag>
      ) : user.locked ? (
        <Tag className={styles.tag} color="red">
          {t('users.statusLocked')}
        </Tag>
      ) : (
        <Tag className={styles.tag} color="green">
          {t('users.statusActive')}
        </Tag>
      )}
      {user.mustChangePassword && (
        <Tag className={styles.tag} color="orange">
          {t('users.mustChangePassword')}
        </Tag>
      )}
    </Flex>
  );
}
