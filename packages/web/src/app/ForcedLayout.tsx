import { Layout, Spin } from 'antd';
import { Suspense } from 'react';
import { Outlet } from 'react-router-dom';
import { useIsMobile } from '../lib/useIsMobile';
import { AppHeader } from './AppLayout';
import styles from './layout.module.css';

/** Header only, no menu: the user must finish the forced step before anything else. */
export function ForcedLayout() {
  const isMobile = useIsMobile();
  return (
    <Layout className={styles.root}>
      <AppHeader isMobile={isMobile} />
      <Layout.Content className={isMobile ? styles.contentMobile : styles.content}>
        <div className={styles.forced}>
          <Suspense
            fallback={
              <div className={styles.pageSpin}>
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </div>
      </Layout.Content>
    </Layout>
  );
}
