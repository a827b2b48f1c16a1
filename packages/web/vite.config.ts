import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { webOfflineMessages as m } from '../shared/src/i18n/web-offline.zh-CN.js';

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

/**
 * The installable field app (decisions/0016): a manifest whose start URL is the visit form, and a
 * Workbox service worker that precaches the built app (shell and every page's bundle, so a lazy
 * page opens offline too) and answers navigations with index.html. It caches no API answer: the
 * data the field pages need offline is kept by the pages themselves, per user, in IndexedDB. A new
 * deployment's worker waits until the user accepts "新版本可用，刷新" (registerType 'prompt').
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false, // main.tsx registers it after the first render
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
  manifest: {
    id: '/visits/record',
    name: m['pwa.name'],
    short_name: m['pwa.shortName'],
    description: m['pwa.description'],
    lang: 'zh-CN',
    start_url: '/visits/record',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    theme_color: '#c8102e',
    background_color: '#ffffff',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
    navigateFallback: '/index.html',
    // the API, its docs and the probes are never answered from the cache
    navigateFallbackDenylist: [/^\/api\//, /^\/(healthz|readyz|metrics)\b/],
    cleanupOutdatedCaches: true,
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    runtimeCaching: [],
  },
});

export default defineConfig({
  plugins: [react(), pwa],
  resolve: {
    // the subpath first: an alias also rewrites everything below its name
    alias: {
      '@shuangyong/shared/echarts': `${sharedSrc}cockpit/echarts-parts.ts`,
      '@shuangyong/shared': `${sharedSrc}index.ts`,
    },
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
