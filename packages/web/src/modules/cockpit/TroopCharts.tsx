import { troopCharts } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useMemo } from 'react';
import { troopStatsApi } from '../../api/troops';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { ChartCard } from './ChartCard';
import styles from './cockpit.module.css';

/**
 * The 拥政爱民 charts of the cockpit (issue 20 item 5): activities by type and by month, people
 * reached by group, the emergency support requests with their decision and arrival times — the
 * troops' statistics of the caller's scope (the maintained aggregates, never military-only
 * fields), for whoever may read them (troops:read: the leader too). Each bar opens its list.
 */
export function TroopCharts() {
  const can = useCan();
  const allowed = can('troops:read');
  const q = useQuery({
    queryKey: ['troop-statistics', {}],
    queryFn: ({ signal }) => troopStatsApi.get({}, { signal }),
    enabled: allowed,
  });
  const charts = useMemo(() => (q.data ? troopCharts(q.data) : []), [q.data]);
  if (!allowed || !q.data) return null;
  return (
    <section data-testid="cockpit-troops">
      <Typography.Title level={5}>{t('troops.chart.section')}</Typography.Title>
      <div className={styles.grid}>
        {charts.map((def) => (
          <ChartCard key={def.id} def={def} />
        ))}
      </div>
    </section>
  );
}
