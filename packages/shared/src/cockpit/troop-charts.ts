import { t } from '../i18n/index.js';
import { EMERGENCY_STATUSES, type TroopStats } from '../schemas/troops.js';
import type { ChartDef, ChartOption } from './charts.js';

/**
 * The 拥政爱民 charts of the cockpit (issue 20 item 5), from the troops' statistics view (the
 * maintained aggregates; never a military-only field). Each element opens the list that shows its
 * number (decisions/0047): a type's bar the activities of that type, a month's bar the activities
 * of that month, a status's bar the emergency requests in that status; a group's bar the
 * statistics page, whose 服务对象 table has the same figure (the activity list counts activities,
 * not people).
 */
export const TROOP_CHARTS = ['troopsByType', 'troopsByMonth', 'troopsReached', 'troopsEmergencies'] as const;
export type TroopChartId = (typeof TROOP_CHARTS)[number];

const base = (title: string): ChartOption => ({
  animation: false,
  title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
  tooltip: { trigger: 'axis', confine: true },
  grid: { left: 16, right: 24, top: 72, bottom: 56, containLabel: true },
  textStyle: { fontFamily: 'Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif' },
});

const bar = (name: string, data: number[], color: string) => ({
  type: 'bar',
  name,
  data,
  itemStyle: { color },
  label: { show: true, position: 'top' },
});

/** The last day of a month 'YYYY-MM'. */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function byTypeChart(s: TroopStats): ChartDef {
  const rows = s.byType;
  const title = t('troops.chart.byType');
  return {
    id: 'troopsByType',
    title,
    option: {
      ...base(title),
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        bar(
          t('troops.chart.col.activities'),
          rows.map((r) => r.activities),
          '#1677ff',
        ),
      ],
    },
    table: {
      columns: [
        { key: 'name', title: t('troops.chart.col.type') },
        { key: 'activities', title: t('troops.chart.col.activities') },
        { key: 'hours', title: t('troops.chart.col.hours') },
        { key: 'reached', title: t('troops.chart.col.reached') },
      ],
      rows: rows.map((r) => ({
        name: r.name,
        activities: r.activities,
        hours: Math.round(r.serviceMinutes / 6) / 10,
        reached: r.reached,
      })),
    },
    link: (_s, i) => {
      const r = rows[i];
      return r ? `/troops?${new URLSearchParams({ type: r.key })}` : null;
    },
  };
}

function byMonthChart(s: TroopStats): ChartDef {
  const rows = s.byMonth;
  const title = t('troops.chart.byMonth');
  return {
    id: 'troopsByMonth',
    title,
    option: {
      ...base(title),
      xAxis: { type: 'category', data: rows.map((r) => r.key) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        bar(
          t('troops.chart.col.activities'),
          rows.map((r) => r.activities),
          '#13c2c2',
        ),
      ],
    },
    table: {
      columns: [
        { key: 'month', title: t('troops.chart.col.month') },
        { key: 'activities', title: t('troops.chart.col.activities') },
        { key: 'hours', title: t('troops.chart.col.hours') },
        { key: 'reached', title: t('troops.chart.col.reached') },
      ],
      rows: rows.map((r) => ({
        month: r.key,
        activities: r.activities,
        hours: Math.round(r.serviceMinutes / 6) / 10,
        reached: r.reached,
      })),
    },
    link: (_s, i) => {
      const r = rows[i];
      return r ? `/troops?${new URLSearchParams({ from: `${r.key}-01`, to: monthEnd(r.key) })}` : null;
    },
  };
}

function reachedChart(s: TroopStats): ChartDef {
  const rows = s.byGroup.filter((g) => g.reached > 0);
  const title = t('troops.chart.reached');
  return {
    id: 'troopsReached',
    title,
    option: {
      ...base(title),
      xAxis: {
        type: 'category',
        data: rows.map((r) => t(`troops.reached.${r.group}`)),
        axisLabel: { interval: 0, rotate: 30 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        bar(
          t('troops.chart.col.people'),
          rows.map((r) => r.reached),
          '#52c41a',
        ),
      ],
    },
    table: {
      columns: [
        { key: 'group', title: t('troops.chart.col.group') },
        { key: 'reached', title: t('troops.chart.col.people') },
      ],
      rows: rows.map((r) => ({ group: t(`troops.reached.${r.group}`), reached: r.reached })),
    },
    link: (_s, i) => (rows[i] ? '/troop-stats' : null),
  };
}

function emergenciesChart(s: TroopStats): ChartDef {
  const e = s.emergencies;
  const rows = EMERGENCY_STATUSES.map((status) => ({ status, n: e.byStatus[status] ?? 0 })).filter((r) => r.n > 0);
  const hours = (h: number | null) => (h == null ? '—' : t('troops.chart.hoursN', { n: Math.round(h * 10) / 10 }));
  const times = t('troops.chart.times', { decision: hours(e.avgDecisionHours), arrival: hours(e.avgArrivalHours) });
  const title = t('troops.chart.emergencies');
  return {
    id: 'troopsEmergencies',
    title,
    option: {
      ...base(title),
      title: { text: title, subtext: times, left: 'center', textStyle: { fontSize: 14 } },
      grid: { left: 16, right: 24, top: 88, bottom: 56, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((r) => t(`troops.emergency.status.${r.status}`)),
        axisLabel: { interval: 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        bar(
          t('troops.chart.col.requests'),
          rows.map((r) => r.n),
          '#fa8c16',
        ),
      ],
    },
    table: {
      columns: [
        { key: 'label', title: t('troops.chart.col.status') },
        { key: 'value', title: t('troops.chart.col.value') },
      ],
      rows: [
        ...rows.map((r) => ({ label: t(`troops.emergency.status.${r.status}`), value: r.n })),
        { label: t('troops.chart.avgDecision'), value: hours(e.avgDecisionHours) },
        { label: t('troops.chart.avgArrival'), value: hours(e.avgArrivalHours) },
        { label: t('troops.chart.overdue'), value: e.overdue },
      ],
    },
    link: (_s, i) => {
      const r = rows[i];
      return r ? `/troop-emergencies?${new URLSearchParams({ status: r.status })}` : null;
    },
  };
}

/** The troops' charts of the cockpit, in order; a chart with nothing to show keeps its card (empty). */
export function troopCharts(s: TroopStats): ChartDef[] {
  return [byTypeChart(s), byMonthChart(s), reachedChart(s), emergenciesChart(s)];
}
