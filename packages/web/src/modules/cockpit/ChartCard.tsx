import type { ChartDef, Permission } from '@shuangyong/shared';
import { Button, Card, Segmented, Table } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useCan } from '../../app/auth';
import { t } from '../../i18n';
import styles from './cockpit.module.css';
import { echarts } from './echarts';

/** The permission the list behind a link needs (the leader reads the figures, not the needs' list). */
const LIST_PERMISSION: [string, Permission][] = [
  ['/needs', 'need:read'],
  ['/visit', 'visit:read'],
  ['/campaigns', 'campaign:read'],
  ['/campaign-tasks', 'campaign:read'],
  ['/troop', 'troops:read'],
];

/** The table view as CSV (UTF-8 with BOM so Excel reads the Chinese). */
function exportCsv(def: Pick<ChartDef, 'title' | 'table'>) {
  const cell = (v: string | number) => {
    const s = String(v);
    // formulas never run when the file is opened
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [
    def.table.columns.map((c) => cell(c.title)).join(','),
    ...def.table.rows.map((r) => def.table.columns.map((c) => cell(r[c.key] ?? '')).join(',')),
  ];
  const blob = new Blob([`\uFEFF${lines.join('\r\n')}`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${def.title}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/**
 * One cockpit chart with its table view: the chart (ECharts, SVG) clicks through to the filtered
 * list behind the clicked bar or point; the table shows the same numbers for screen readers and
 * exports them.
 */
export function ChartCard({ def }: { def: Omit<ChartDef, 'id'> & { id: string } }) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const can = useCan();
  const empty = def.table.rows.length === 0;

  useEffect(() => {
    if (view !== 'chart' || empty || !ref.current) return;
    const chart = echarts.init(ref.current, null, { renderer: 'svg' });
    chart.setOption(def.option);
    chart.on('click', (p) => {
      const to = def.link(p.seriesIndex ?? 0, p.dataIndex);
      const needs = to && LIST_PERMISSION.find(([prefix]) => to.startsWith(prefix))?.[1];
      if (to && (!needs || can(needs))) navigate(to);
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(ref.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [def, view, empty, navigate, can]);

  return (
    <Card size="small" title={def.title} data-testid={`cockpit-chart-${def.id}`}>
      <div className={styles.toolbar}>
        <Segmented
          size="small"
          value={view}
          onChange={(v) => setView(v as 'chart' | 'table')}
          options={[
            { value: 'chart', label: t('cockpit.chartView') },
            { value: 'table', label: t('cockpit.tableView') },
          ]}
          data-testid={`cockpit-toggle-${def.id}`}
        />
      </div>
      {empty ? (
        <div className={styles.empty}>{t('cockpit.empty')}</div>
      ) : view === 'chart' ? (
        <div
          ref={ref}
          className={styles.chart}
          role="img"
          aria-label={def.title}
          data-testid={`cockpit-canvas-${def.id}`}
        />
      ) : (
        <>
          <Table
            size="small"
            rowKey={(_, i) => String(i)}
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={def.table.rows}
            columns={def.table.columns.map((c) => ({ title: c.title, dataIndex: c.key, key: c.key }))}
            data-testid={`cockpit-table-${def.id}`}
          />
          <Button size="small" className={styles.export} onClick={() => exportCsv(def)}>
            {t('cockpit.exportTable')}
          </Button>
        </>
      )}
    </Card>
  );
}
