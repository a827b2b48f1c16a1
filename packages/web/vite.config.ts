import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const sharedSrc = decodeURIComponent(new URL('../shared/src/', import.meta.url).pathname);

/** Vendor chunks: React (+ router), antd (+ its rc-components), icons. Everything else splits automatically. */
const vendorGroups = [
  { name: 'icons', test: /[\\/]node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]/, priority: 30 },
  {
    name: 'react',
    test: /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/,
    priority: 20,
  },
  {
    name: 'antd',
    test: /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|@babel[\\/]runtime|dayjs|clsx|classnames|stylis|@emotion|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|json2mq|string-convert|toggle-selection|copy-to-clipboard)[\\/]/,
    priority: 10,
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
