// Bundles the server (and the shared package it imports as TypeScript) into dist/cli.js, and the
// worker_threads entries the server starts by their paths, beside cli.js: dist/thumbnail-worker.js,
// dist/table-export-worker.js, dist/render-worker.js, dist/xlsx-read-worker.js,
// dist/name-keys-worker.js and dist/import-check-worker.js. Runtime dependencies stay external and
// load from node_modules.
// Code splitting: a module the server loads with `import()` (the document writers, the chart
// renderer, the zip writer, the CLI's other commands) becomes a chunk of its own beside cli.js, and
// the packages it imports load with it, not at start-up (docs/decisions/0063).
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const shared = JSON.parse(readFileSync(new URL('../shared/package.json', import.meta.url), 'utf8'));
// Pure-JS packages the start-up path loads file by file are bundled in instead (decisions/0068):
// kysely (~260 files) and zod (~95, with its locales) cost more in resolving and reading files than
// in compiling. fastify-type-provider-zod goes with zod, so the server has one zod (its registry,
// its locale) and not a bundled one beside node_modules' one. prom-client (/metrics, recording from
// the first request) brings @opentelemetry/api's ~50 files with it. Fastify and the plugins the
// server registers at start bring theirs (avvio, find-my-way, pino, semver, glob…: ~330 files opened
// and ~1,200 stat calls at every start, decisions/0072); none reads a file beside its sources on the
// server's paths (pino only for a transport, which the server does not use).
const BUNDLED = new Set([
  'kysely',
  'zod',
  'fastify-type-provider-zod',
  'prom-client',
  'fastify',
  '@fastify/cookie',
  '@fastify/helmet',
  '@fastify/rate-limit',
  '@fastify/static',
]);
// packages a bundled one requires only on a path the server does not take at start (Fastify's own
// schema compilers, inject, pretty logs): kept out of the chunks so they are not compiled at start
const LAZY = [
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'ajv',
  'ajv-formats',
  'light-my-request',
  'pino-pretty',
];
const external = [
  ...[...Object.keys(pkg.dependencies ?? {}), ...Object.keys(shared.dependencies ?? {})].filter(
    (name) => !BUNDLED.has(name),
  ),
  ...LAZY,
];

// no chunks of an earlier build left behind (their names carry a content hash)
rmSync(new URL('./dist/', import.meta.url), { recursive: true, force: true });

// zod's `z.locales` namespace (`export * as locales`) holds its ~60 locales, all kept by the bundle
// since `z` is one object: the server speaks zh-CN (platform/http/server.ts `z.config(z.locales.zhCN())`),
// so its locales index is the English default and zh-CN only (decisions/0072)
const zodLocales = {
  name: 'zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(args.importer)
        ? {
            path: fileURLToPath(new URL('../locales/index.js', pathToFileURL(args.importer))),
            namespace: 'zod-locales',
          }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';\nexport { default as zhCN } from './zh-CN.js';\n",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: {
    // src/entry.ts sets what must be set before the modules load, then imports src/cli.ts
    cli: 'src/entry.ts',
    'thumbnail-worker': 'src/platform/files/thumbnail.worker.ts',
    'table-export-worker': 'src/platform/files/table-export.worker.ts',
    'render-worker': 'src/render.worker.ts',
    'xlsx-read-worker': 'src/platform/files/xlsx-read.worker.ts',
    'name-keys-worker': 'src/platform/text/name-keys.worker.ts',
    'import-check-worker': 'src/modules/registry/import-check.worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // whitespace and syntax only (names kept, so stack traces still name their functions; the source
  // maps map them back): ~4.1 -> 2.8 MB of chunks, less for V8 to scan at start and fewer source
  // bytes held in memory (decisions/0072)
  minifyWhitespace: true,
  minifySyntax: true,
  external,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  plugins: [zodLocales],
});
