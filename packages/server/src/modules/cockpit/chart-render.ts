import { renderAsync } from '@resvg/resvg-js';
import type { ChartOption } from '@shuangyong/shared';
import { COCKPIT_ECHARTS_PARTS } from '@shuangyong/shared/echarts';
import * as echarts from 'echarts/core';
import { textToPaths } from './text-paths.js';

/**
 * The server's half of the chart definitions (decisions/0037): the same ECharts option the browser
 * shows, rendered with ECharts' server-side SVG renderer (no DOM); for Word and PDF, rasterised to
 * PNG by resvg after its text became outlines of the system's Noto CJK font (text-paths.ts).
 */
echarts.use(COCKPIT_ECHARTS_PARTS);

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;

/** The option as an SVG document, rendered without a browser (no tooltips on paper). */
export function chartSvg(option: ChartOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const { tooltip: _t, ...paper } = option;
    chart.setOption({ ...paper, animation: false });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The SVG as PNG at `scale`, rasterised on libuv's thread pool (off the event loop). */
export async function chartPng(svg: string, scale = 2): Promise<Buffer> {
  const outlined = textToPaths(svg);
  const image = await renderAsync(outlined, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    // text is outlines already; without a CJK font file, let resvg find what the system has
    font: { loadSystemFonts: outlined === svg },
  });
  return image.asPng();
}

export function chartPngs(svgs: string[], scale = 2): Promise<Buffer[]> {
  return Promise.all(svgs.map((s) => chartPng(s, scale)));
}
