import {
  AccountBookOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CheckSquareOutlined,
  CustomerServiceOutlined,
  EditOutlined,
  FlagOutlined,
  GiftOutlined,
  HomeOutlined,
  IdcardOutlined,
  InboxOutlined,
  NotificationOutlined,
  SettingOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { t } from '../i18n';
import { isGroup, type NavItem, type Viewer, visibleNav } from './nav-model';

const ICONS: Record<string, ReactNode> = {
  home: <HomeOutlined />,
  idcard: <IdcardOutlined />,
  swap: <SwapOutlined />,
  trophy: <TrophyOutlined />,
  notification: <NotificationOutlined />,
  flag: <FlagOutlined />,
  check: <CheckSquareOutlined />,
  gift: <GiftOutlined />,
  form: <EditOutlined />,
  chart: <BarChartOutlined />,
  money: <AccountBookOutlined />,
  service: <CustomerServiceOutlined />,
  inbox: <InboxOutlined />,
  setting: <SettingOutlined />,
  apartment: <ApartmentOutlined />,
  team: <TeamOutlined />,
  audit: <AuditOutlined />,
  bell: <BellOutlined />,
  user: <UserOutlined />,
};

const testIdOf = (path: string) => `nav-${path === '/' ? 'home' : path.slice(1).replace(/\//g, '-')}`;

function leaf(n: NavItem) {
  return { key: n.path, icon: ICONS[n.icon], label: t(n.label), 'data-testid': testIdOf(n.path) };
}

/** The antd menu for a viewer (grouped as in nav-model.ts); group keys are `group:<name>`. */
export function menuItems(viewer: Viewer): NonNullable<MenuProps['items']> {
  return visibleNav(viewer).map((e) =>
    isGroup(e)
      ? {
          key: `group:${e.group}`,
          icon: ICONS[e.icon],
          label: t(e.label),
          'data-testid': `nav-group-${e.group}`,
          children: e.items.map(leaf),
        }
      : leaf(e),
  );
}
