import { t } from '../i18n/index.js';
import type { Cockpit, SlaLevel } from '../schemas/cockpit.js';
import type { TroopChartId } from './troop-charts.js';

/**
 * The cockpit's charts as data (decisions/0036): each definition turns the cockpit's aggregates
 * into an ECharts option, a table (the same numbers, for screen readers and export) and the URL of
 * the filtered list behind each bar or point. The web app renders the option in the browser; the
 * daily brief renders the very same option on the server (ECharts' SSR SVG renderer), so a chart in
 * the brief is the chart on screen.
 */
export type ChartOption = Record<string, unknown>;

export interface ChartTable {
  columns: { key: string; title: string }[];
  rows: Record<string, string | number>[];
}

export interface ChartDef {
  id: CockpitChartId | TroopChartId;
  title: string;
  option: ChartOption;
  table: ChartTable;
  /** The list behind a clicked element (series index, data index), or null when there is none. */
  link(seriesIndex: number, dataIndex: number): string | null;
}

export const COCKPIT_CHARTS = [
  'completion',
  'coverage',
  'trend',
  'needsStatus',
  'needsDepartment',
  'spending',
] as const;
export type CockpitChartId = (typeof COCKPIT_CHARTS)[number];

export const SLA_COLOURS: Record<SlaLevel, string> = {
  ok: '#52c41a',
  dueSoon: '#faad14',
  overdue: '#ff4d4f',
  none: '#bfbfbf',
};
const SLA_ORDER: SlaLevel[] = ['ok', 'dueSoon', 'overdue', 'none'];

const yuan = (fen: number) => Math.round(fen) / 100;
const pct = (n: number, d: number) => (d ? Math.round((n * 1000) / d) / 10 : 0);
const q = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();

const base = (title: string): ChartOption => ({
  animation: false,
  title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
  tooltip: { trigger: 'axis', confine: true },
  grid: { left: 16, right: 24, top: 48, bottom: 56 },
  textStyle: { fontFamily: 'Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif' },
});

function completionChart(c: Cockpit): ChartDef {
  const rows = c.completion.filter((r) => r.group === 'district' || r.group === 'unit');
  const title = t('cockpit.chart.completion');
  return {
    id: 'completion',
    title,
    option: {
      ...base(title),
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.orgName),
        axisLabel: { width: 110, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('cockpit.col.completion'),
          data: rows.map((r) => r.completion),
          itemStyle: { color: '#1677ff' },
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    },
    table: {
      columns: [
        { key: 'orgName', title: t('cockpit.col.org') },
        { key: 'assigned', title: t('cockpit.col.assigned') },
        { key: 'accepted', title: t('cockpit.col.accepted') },
        { key: 'completion', title: t('cockpit.col.completionPct') },
      ],
      rows: rows.map((r) => ({
        orgName: r.orgName,
        assigned: r.assigned,
        accepted: r.accepted,
        completion: r.completion,
      })),
    },
    link: (_s, i) => {
      const r = rows[i];
      // the org's assignments in this campaign: as many as the bar's 任务数
      return r ? `/campaign-tasks?${q({ campaignId: c.campaign.id, orgId: r.orgId })}` : null;
    },
  };
}

function coverageChart(c: Cockpit): ChartDef {
  const { districts, categories, cells } = c.coverage;
  const cell = new Map(cells.map((x) => [`${x.district}|${x.category}`, x]));
  const data: [number, number, number][] = [];
  districts.forEach((d, di) => {
    categories.forEach((k, ki) => {
      const x = cell.get(`${d.key}|${k.key}`);
      if (x?.planned) data.push([ki, di, pct(x.visited, x.planned)]);
    });
  });
  const title = t('cockpit.chart.coverage');
  return {
    id: 'coverage',
    title,
    option: {
      ...base(title),
      tooltip: { position: 'top', confine: true },
      grid: { left: 16, right: 24, top: 48, bottom: 72 },
      xAxis: { type: 'category', data: categories.map((k) => k.label), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'category', data: districts.map((d) => d.label) },
      visualMap: {
        min: 0,
        max: 100,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 80,
        text: ['100%', '0%'],
        inRange: { color: ['#fff1f0', '#ffd591', '#95de64', '#389e0d'] },
      },
      series: [
        {
          type: 'heatmap',
          name: t('cockpit.col.coveragePct'),
          data,
          label: { show: true, formatter: (p: { value: number[] }) => `${p.value[2]}%` },
        },
      ],
    },
    table: {
      columns: [
        { key: 'district', title: t('cockpit.col.district') },
        { key: 'category', title: t('cockpit.col.category') },
        { key: 'planned', title: t('cockpit.col.planned') },
        { key: 'visited', title: t('cockpit.col.visited') },
        { key: 'coverage', title: t('cockpit.col.coveragePct') },
      ],
      rows: districts.flatMap((d) =>
        categories
          .map((k) => cell.get(`${d.key}|${k.key}`))
          .filter((x): x is NonNullable<typeof x> => !!x && x.planned > 0)
          .map((x) => ({
            district: d.label,
            category: categories.find((k) => k.key === x.category)?.label ?? x.category,
            planned: x.planned,
            visited: x.visited,
            coverage: pct(x.visited, x.planned),
          })),
      ),
    },
    link: (_s, i) => {
      const p = data[i];
      if (!p) return null;
      const category = categories[p[0]]!.key;
      const district = districts[p[1]]!.key;
      // the district's targets of that category: as many as the cell's 计划户数
      return `/visits/coverage?${q({ campaignId: c.campaign.id, orgId: district, category })}`;
    },
  };
}

function trendChart(c: Cockpit): ChartDef {
  const title = t('cockpit.chart.trend');
  return {
    id: 'trend',
    title,
    option: {
      ...base(title),
      xAxis: { type: 'category', data: c.trend.map((d) => d.day.slice(5)), boundaryGap: false },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'line',
          name: t('cockpit.col.visits'),
          data: c.trend.map((d) => d.visits),
          areaStyle: { opacity: 0.15 },
          symbolSize: 8,
          itemStyle: { color: '#1677ff' },
        },
      ],
    },
    table: {
      columns: [
        { key: 'day', title: t('cockpit.col.day') },
        { key: 'visits', title: t('cockpit.col.visits') },
        { key: 'money', title: t('cockpit.col.moneyYuan') },
      ],
      rows: c.trend.map((d) => ({ day: d.day, visits: d.visits, money: yuan(d.moneyFen) })),
    },
    link: (_s, i) => {
      const d = c.trend[i];
      // the visits recorded that day: as many as the point's 走访次数
      return d ? `/visits/coverage?${q({ campaignId: c.campaign.id, day: d.day })}` : null;
    },
  };
}

function slaSeries(rows: ({ [k in SlaLevel]: number } & { total: number })[]) {
  return SLA_ORDER.map((level) => ({
    type: 'bar',
    stack: 'sla',
    name: t(`cockpit.sla.${level}`),
    data: rows.map((r) => r[level]),
    itemStyle: { color: SLA_COLOURS[level] },
  }));
}

/** The list filter of an SLA segment: the same colour (`sla=dueSoon`), so the list has the segment's count. */
const slaParam = (seriesIndex: number) => SLA_ORDER[seriesIndex];

const slaColumns = SLA_ORDER.map((level) => ({ key: level, title: t(`cockpit.sla.${level}`) }));

function needsStatusChart(c: Cockpit): ChartDef {
  const rows = c.needs.byStatus;
  const title = t('cockpit.chart.needsStatus');
  return {
    id: 'needsStatus',
    title,
    option: {
      ...base(title),
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: slaSeries(rows),
    },
    table: {
      columns: [
        { key: 'label', title: t('cockpit.col.status') },
        ...slaColumns,
        { key: 'total', title: t('cockpit.col.total') },
      ],
      rows: rows.map((r) => ({
        label: r.label,
        ok: r.ok,
        dueSoon: r.dueSoon,
        overdue: r.overdue,
        none: r.none,
        total: r.total,
      })),
    },
    link: (s, i) => {
      const r = rows[i];
      return r ? `/needs?${q({ status: r.status, sla: slaParam(s) })}` : null;
    },
  };
}

function needsDepartmentChart(c: Cockpit): ChartDef {
  const rows = c.needs.byDepartment;
  const title = t('cockpit.chart.needsDepartment');
  return {
    id: 'needsDepartment',
    title,
    option: {
      ...base(title),
      legend: { bottom: 0 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.orgName),
        axisLabel: { width: 110, overflow: 'truncate' },
      },
      series: slaSeries(rows),
    },
    table: {
      columns: [
        { key: 'orgName', title: t('cockpit.col.department') },
        ...slaColumns,
        { key: 'total', title: t('cockpit.col.total') },
      ],
      rows: rows.map((r) => ({
        orgName: r.orgName,
        ok: r.ok,
        dueSoon: r.dueSoon,
        overdue: r.overdue,
        none: r.none,
        total: r.total,
      })),
    },
    link: (s, i) => {
      const r = rows[i];
      return r ? `/needs?${q({ leadOrgId: r.orgId, sla: slaParam(s) })}` : null;
    },
  };
}

function spendingChart(c: Cockpit): ChartDef {
  const rows = c.spending;
  const title = t('cockpit.chart.spending');
  const label = (r: (typeof rows)[number]) => `${r.orgName.replace(/退役军人事务局$/, '')} ${r.name}`;
  return {
    id: 'spending',
    title,
    option: {
      ...base(title),
      legend: { bottom: 0 },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map(label),
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: t('cockpit.col.budgetYuan'),
          data: rows.map((r) => yuan(r.budgetFen)),
          itemStyle: { color: '#d9d9d9' },
        },
        {
          type: 'bar',
          name: t('cockpit.col.spentYuan'),
          data: rows.map((r) => ({
            value: yuan(r.spentFen),
            itemStyle: { color: r.spentFen > r.budgetFen ? SLA_COLOURS.overdue : '#1677ff' },
          })),
        },
      ],
    },
    table: {
      columns: [
        { key: 'orgName', title: t('cockpit.col.org') },
        { key: 'name', title: t('cockpit.col.budgetLine') },
        { key: 'budget', title: t('cockpit.col.budgetYuan') },
        { key: 'spent', title: t('cockpit.col.spentYuan') },
        { key: 'share', title: t('cockpit.col.spentPct') },
      ],
      rows: rows.map((r) => ({
        orgName: r.orgName,
        name: r.name,
        budget: yuan(r.budgetFen),
        spent: yuan(r.spentFen),
        share: pct(r.spentFen, r.budgetFen),
      })),
    },
    link: (_s, i) => {
      const r = rows[i];
      return r ? `/visit-money?${q({ campaignId: c.campaign.id, budgetLineId: r.id })}` : null;
    },
  };
}

/** Every chart of the cockpit, in display order. */
export function cockpitCharts(c: Cockpit): ChartDef[] {
  return [
    completionChart(c),
    coverageChart(c),
    trendChart(c),
    needsStatusChart(c),
    needsDepartmentChart(c),
    spendingChart(c),
  ];
}

/** The league table's rank label: "并列第 2" for a shared place, "第 2" otherwise. */
export function rankLabel(rank: number, tied: boolean): string {
  return t(tied ? 'cockpit.rankTied' : 'cockpit.rank', { rank });
}
