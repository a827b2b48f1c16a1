import { BellOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Breadcrumb, Button, Drawer, Layout, Menu, Spin, Typography } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { notificationsApi } from '../api/notifications';
import { t } from '../i18n';
import { useIsMobile } from '../lib/useIsMobile';
import { useAuth, useMe } from './auth';
import styles from './layout.module.css';
import { locate } from './nav-model';
import { menuItems } from './navigation';

export function AppLayout() {
  const me = useMe();
  const isMobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const items = useMemo(() => menuItems({ permissions: me.permissions, scope: me.scope }), [me.permissions, me.scope]);
  const { menuKey, crumbs } = useMemo(() => locate(location.pathname), [location.pathname]);
  const group = useMemo(
    () =>
      items.find((i) => i && 'children' in i && i.children?.some((c) => c?.key === menuKey))?.key as string | undefined,
    [items, menuKey],
  );
  // every group starts open (a handful of groups; everything one click away), and may be folded
  const [openKeys, setOpenKeys] = useState<string[]>(() =>
    items.filter((i) => i && 'children' in i).map((i) => String(i?.key)),
  );
  // the group of the page shown stays open
  useEffect(() => {
    if (group) setOpenKeys((keys) => (keys.includes(group) ? keys : [...keys, group]));
  }, [group]);

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={menuKey ? [menuKey] : []}
      openKeys={collapsed && !isMobile ? undefined : openKeys}
      onOpenChange={setOpenKeys}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
      data-testid="nav-menu"
    />
  );

  return (
    <Layout className={styles.root}>
      {isMobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          title={t('app.title')}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          <div className={styles.drawerOrg}>
            {me.user.displayName} · {me.org.name}
          </div>
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208}>
          <div className={styles.siderMenu}>{menu}</div>
        </Layout.Sider>
      )}
      <Layout>
        <AppHeader isMobile={isMobile} onOpenMenu={() => setDrawerOpen(true)} />
        <Layout.Content className={isMobile ? styles.contentMobile : styles.content}>
          {crumbs.length > 1 && (
            <nav aria-label={t('web.breadcrumb')} className={styles.breadcrumb}>
              <Breadcrumb
                data-testid="breadcrumb"
                items={crumbs.map((c) => ({
                  title: c.to ? <Link to={c.to}>{t(c.label)}</Link> : t(c.label),
                }))}
              />
            </nav>
          )}
          {/*
            Keyed by the path: a page not loaded yet shows the spinner at once instead of leaving the
            previous page on screen while its code arrives (a fresh Suspense boundary shows its fallback).
          */}
          <Suspense key={location.pathname} fallback={<PageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function PageSpin() {
  return (
    <div className={styles.pageSpin} data-testid="page-loading">
      <Spin description={t('web.loading')} />
    </div>
  );
}

export function AppHeader({ isMobile, onOpenMenu }: { isMobile: boolean; onOpenMenu?: () => void }) {
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();

  async function onLogout() {
    await logout();
    navigate('/login', { replace: true });
  }

  return (
    <Layout.Header className={styles.header}>
      {isMobile && onOpenMenu && (
        <Button
          type="text"
          icon={<MenuOutlined />}
          onClick={onOpenMenu}
          aria-label={t('layout.openMenu')}
          data-testid="nav-toggle"
        />
      )}
      <div className={styles.brand}>
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span className={styles.brandText} data-testid="header-title">
          {t('app.title')}
        </span>
      </div>
      <NotificationBell />
      <div className={styles.user}>
        <UserOutlined />
        <div className={styles.userText}>
          <span className={styles.userName} data-testid="header-user">
            {/* its own box, so that the name's clipped part is clipped for the layout check too */}
            <span>{me.user.displayName}</span>
          </span>
          {!isMobile && (
            <Typography.Text type="secondary" className={styles.orgName} data-testid="header-org">
              {me.org.name}
            </Typography.Text>
          )}
        </div>
      </div>
      <Button
        type="text"
        icon={<LogoutOutlined />}
        onClick={() => void onLogout()}
        aria-label={t('layout.logout')}
        data-testid="logout"
      >
        {isMobile ? null : t('layout.logout')}
      </Button>
    </Layout.Header>
  );
}

/** The bell in the header: the caller's unread notifications, on every page; opens 我的通知. */
export function NotificationBell() {
  const bell = useQuery({
    queryKey: ['notifications', 'bell'],
    queryFn: ({ signal }) => notificationsApi.list({ page: 1, pageSize: 1 }, { signal }),
    refetchInterval: 60_000,
  });
  const unread = bell.data?.unread ?? 0;
  return (
    <Link to="/notifications" aria-label={t('layout.bell', { count: unread })} data-testid="header-bell">
      <Badge count={unread} size="small" overflowCount={99} data-testid="header-bell-count">
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Link>
  );
}
