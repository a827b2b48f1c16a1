import {
  AccountBookOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CheckSquareOutlined,
  CustomerServiceOutlined,
  FlagOutlined,
  GiftOutlined,
  HomeOutlined,
  IdcardOutlined,
  InboxOutlined,
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
  { path: '/campaigns', label: 'nav.campaigns', icon: <FlagOutlined />, permission: 'campaign:read' },
  {
    path: '/campaign-tasks',
    label: 'nav.campaignTasks',
    icon: <CheckSquareOutlined />,
    permission: ['campaign:report', 'campaign:manage'],
  },
  { path: '/visits', label: 'web.visits.menu', icon: <GiftOutlined />, permission: 'visit:read' },
  { path: '/visit-money', label: 'web.visits.money.menu', icon: <AccountBookOutlined />, permission: 'visit:read' },
  { path: '/needs', label: 'nav.needs', icon: <CustomerServiceOutlined />, permission: 'need:read' },
  { path: '/needs-inbox', label: 'nav.needsInbox', icon: <InboxOutlined />, permission: 'need:handle' },
  { path: '/need-stats', label: 'nav.needStats', icon: <BarChartOutlined />, permission: 'need:read' },
  { path: '/orgs', label: 'nav.orgs', icon: <ApartmentOutlined />, permission: 'org:read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined />, permission: 'user:read' },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined />, permission: 'audit:read' },
  { path: '/notifications', label: 'nav.notifications', icon: <BellOutlined /> },
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
