// Bundles the server (and the shared package it imports as TypeScript) into dist/cli.js, and the
// worker_threads entries the server starts by their paths, beside cli.js: dist/thumbnail-worker.js
// and dist/table-export-worker.js. Runtime dependencies stay external and load from node_modules.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const shared = JSON.parse(readFileSync(new URL('../shared/package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(shared.dependencies ?? {})];

await build({
  entryPoints: {
    cli: 'src/cli.ts',
    'thumbnail-worker': 'src/platform/files/thumbnail.worker.ts',
    'table-export-worker': 'src/platform/files/table-export.worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
