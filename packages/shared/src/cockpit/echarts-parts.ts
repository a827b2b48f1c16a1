import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/**
 * The parts of ECharts the cockpit's charts (charts.ts) draw with — bar, line, heatmap; title,
 * grid, legend, tooltip, visual map; the SVG renderer — registered by the web app (the cockpit's
 * lazy route, never the login page) and by the daily brief's server-side rendering, so the two
 * cannot drift apart (decisions/0037). A subpath export (`@shuangyong/shared/echarts`): the
 * package's main entry stays free of ECharts.
 */
export const COCKPIT_ECHARTS_PARTS = [
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
];
