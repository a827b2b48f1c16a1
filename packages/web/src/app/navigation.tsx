import {
  ApartmentOutlined,
  AuditOutlined,
  HomeOutlined,
  IdcardOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { MessageKey, Permission } from '@shuangyong/shared';
import type { MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { t } from '../i18n';

interface NavEntry {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only with this permission (with a list: any one of them); always shown when absent. */
  permission?: Permission | readonly Permission[];
}

export const NAV: readonly NavEntry[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined /> },
  { path: '/beneficiaries', label: 'nav.beneficiaries', icon: <IdcardOutlined />, permission: 'beneficiary:read' },
  { path: '/transfers', label: 'nav.transfers', icon: <SwapOutlined />, permission: 'beneficiary:read' },
  {
    path: '/households',
    label: 'nav.households',
    icon: <TrophyOutlined />,
    permission: ['honor:manage', 'beneficiary:read'],
  },
  { path: '/orgs', label: 'nav.orgs', icon: <ApartmentOutlined />, permission: 'org:read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user:read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined /> },
];

export function menuItems(permissions: readonly Permission[]): NonNullable<MenuProps['items']> {
  const allowed = (p: NavEntry['permission']) =>
    !p || (typeof p === 'string' ? permissions.includes(p) : p.some((x) => permissions.includes(x)));
  return NAV.filter((n) => allowed(n.permission)).map((n) => ({
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
