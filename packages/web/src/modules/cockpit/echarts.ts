import { COCKPIT_ECHARTS_PARTS } from '@shuangyong/shared/echarts';
import * as echarts from 'echarts/core';

/**
 * ECharts with only what the cockpit draws (the shared list of parts; the SVG renderer — crisp on
 * phones, and the same renderer the daily brief uses on the server). Imported only by the
 * cockpit's lazy route, so the login page never loads it.
 */
echarts.use(COCKPIT_ECHARTS_PARTS);

export { echarts };
