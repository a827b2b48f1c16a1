import type { ChartDef, Readiness } from '@shuangyong/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { modelcityApi } from '../../api/modelcity';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import { ChartCard } from './ChartCard';

const pts = (hundredths: number) => hundredths / 100;

/**
 * 创建全国双拥模范城 on the cockpit: the self-assessed score of each basic standard against its
 * total (the current round, the viewer's scope), as bars with a table view; a bar opens the
 * readiness page at that standard.
 */
export function readinessChart(r: Readiness): Omit<ChartDef, 'id'> & { id: string } {
  const title = t('cockpit.chart.readiness', { round: r.round.name });
  const rows = r.standards;
  return {
    id: 'readiness',
    title,
    option: {
      animation: false,
      title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis', confine: true },
      legend: { bottom: 0 },
      grid: { left: 16, right: 24, top: 48, bottom: 40, containLabel: true },
      textStyle: { fontFamily: 'Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif' },
      xAxis: { type: 'value' },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((s) => `${s.code}. ${s.title}`),
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('cockpit.col.readinessScore'),
          data: rows.map((s) => pts(s.score)),
          itemStyle: { color: '#1677ff' },
          label: { show: true, position: 'right' },
        },
        {
          type: 'bar',
          name: t('cockpit.col.readinessPoints'),
          data: rows.map((s) => pts(s.points)),
          itemStyle: { color: '#d9d9d9' },
        },
      ],
    },
    table: {
      columns: [
        { key: 'standard', title: t('cockpit.col.standard') },
        { key: 'score', title: t('cockpit.col.readinessScore') },
        { key: 'points', title: t('cockpit.col.readinessPoints') },
        { key: 'pct', title: t('cockpit.col.readinessPct') },
      ],
      rows: rows.map((s) => ({
        standard: `${s.code}. ${s.title}`,
        score: pts(s.score),
        points: pts(s.points),
        pct: s.points ? Math.round((s.score * 1000) / s.points) / 10 : 0,
      })),
    },
    link: (_s, i) => {
      const s = rows[i];
      return s ? `/model-city?${new URLSearchParams({ roundId: r.round.id, standard: s.code })}` : null;
    },
  };
}

/** The readiness chart card, for those who may read the bid (nothing otherwise). */
export function ReadinessChart() {
  const can = useCan();
  const allowed = can('modelcity:read');
  const q = useQuery({
    queryKey: ['modelcity-readiness', 'cockpit'],
    queryFn: ({ signal }) => modelcityApi.readiness(undefined, { signal }),
    enabled: allowed,
  });
  const def = useMemo(() => (q.data ? readinessChart(q.data) : null), [q.data]);
  return def ? <ChartCard def={def} /> : null;
}
