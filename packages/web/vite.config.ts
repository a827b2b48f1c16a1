import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const sharedSrc = decodeURIComponent(new URL('../shared/src/', import.meta.url).pathname);

/**
 * antd components only the signed-in pages use. They stay out of the `antd` vendor chunk (which the
 * login page loads) and are split with the lazy pages instead.
 */
const PAGE_ONLY_ANTD = [
  'table',
  'date-picker',
  'calendar',
  'time-picker',
  'tree',
  'tree-select',
  'select',
  'steps',
  'descriptions',
  'pagination',
  'drawer',
  'menu',
  'layout',
  'result',
  'tag',
  'tabs',
  'dropdown',
  'checkbox',
  'radio',
  'skeleton',
  'card',
  'statistic',
  'list',
  'segmented',
];
const PAGE_ONLY_RC = [
  'picker',
  'table',
  'tree',
  'tree-select',
  'select',
  'steps',
  'tabs',
  'pagination',
  'drawer',
  'menu',
  'dropdown',
  'checkbox',
  'overflow',
  'virtual-list',
  'segmented',
];
const SEP = '[\\\\/]';
const pageOnly = new RegExp(
  `${SEP}node_modules${SEP}(antd${SEP}es${SEP}(${PAGE_ONLY_ANTD.join('|')})|@rc-component${SEP}(${PAGE_ONLY_RC.join('|')}))${SEP}`,
);
const antdVendor =
  /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|@babel[\\/]runtime|clsx|classnames|stylis|@emotion|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|json2mq|string-convert|toggle-selection|copy-to-clipboard)[\\/]/;

const iconsVendor = /[\\/]node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]/;

/**
 * Only modules the entry (the login page) imports statically: the `icons` and `antd` chunks hold what
 * the login page needs and nothing that just happens to match the test, so components and icons that
 * only signed-in pages use never reach the login bundle (a group also takes in the dependencies of
 * what it captures, e.g. Timeline brings Steps).
 */
const INITIAL_ONLY: '$initial'[] = ['$initial'];

/**
 * Vendor chunks: React (+ router), antd core and icons (what the login page needs); the rest of antd,
 * the icons of the pages and dayjs in `antd-pages`. Our own code splits automatically along the lazy
 * imports.
 */
const vendorGroups = [
  { name: 'icons', test: iconsVendor, tags: INITIAL_ONLY, priority: 30 },
  {
    name: 'react',
    test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/,
    priority: 20,
  },
  { name: 'antd', test: (id: string) => antdVendor.test(id) && !pageOnly.test(id), tags: INITIAL_ONLY, priority: 10 },
  // loaded with the first signed-in page, cached for the others
  {
    name: 'antd-pages',
    test: (id: string) => antdVendor.test(id) || iconsVendor.test(id) || /[\\/]node_modules[\\/]dayjs[\\/]/.test(id),
    priority: 5,
  },
];

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@shuangyong/shared': `${sharedSrc}index.ts` },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The shared package is declarative (schemas, enums, catalogue): modules the browser does not use are dropped.
      treeshake: {
        moduleSideEffects: (id: string) => !id.startsWith(sharedSrc),
      },
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
});
