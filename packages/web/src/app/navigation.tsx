import { ApartmentOutlined, AuditOutlined, HomeOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { MessageKey, Permission } from '@shuangyong/shared';
import type { MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { t } from '../i18n';

interface NavEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only with this permission; always shown when absent. */
  permission?: Permission;
}

export const NAV: readonly NavEntry[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/orgs', label: 'nav.orgs', icon: <ApartmentOutlined />, permission: 'org:read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user:read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined /> },
];

export function menuItems(permissions: readonly Permission[]): NonNullable<MenuProps['items']> {
  return NAV.filter((n) => !n.permission || permissions.includes(n.permission)).map((n) => ({
    key: n.path,
    icon: n.icon,
    label: t(n.label),
    'data-testid': `nav-${n.path === '/' ? 'home' : n.path.slice(1)}`,
  }));
}

/** The menu key for a location: its first path segment. */
export function navKeyOf(pathname: string): string {
  const first = pathname.split('/')[1] ?? '';
  return `/${first}`;
}
