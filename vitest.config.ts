import { defineConfig } from 'vitest/config';

// Server tests run on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set
// (scripts/test.mjs sets it under CI=true). Pure unit tests (*.unit.test.ts) run once; tests of
// PostgreSQL alone (*.pg.test.ts) run in the postgres project only.
const pg = process.env.TEST_DATABASE_URL;
const env = { SCRYPT_LOG2N: '10', TZ: 'UTC' };
// the subpath first: an alias also rewrites everything below its name
const alias = {
  '@shuangyong/shared/echarts': new URL('./packages/shared/src/cockpit/echarts-parts.ts', import.meta.url).pathname,
  '@shuangyong/shared/wall-clock': new URL('./packages/shared/src/wall-clock.ts', import.meta.url).pathname,
  '@shuangyong/shared': new URL('./packages/shared/src/index.ts', import.meta.url).pathname,
};

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './scripts/summary-reporter.mjs'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/test/**/*.unit.test.ts'], env },
      },
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/server/test/**/*.test.ts'],
          exclude: ['**/*.unit.test.ts', '**/*.pg.test.ts'],
          env: { ...env, TEST_DB: 'sqlite' },
        },
      },
      ...(pg
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: ['packages/server/test/**/*.test.ts'],
                exclude: ['**/*.unit.test.ts'],
                env: { ...env, TEST_DB: 'postgres', TEST_DATABASE_URL: pg },
              },
            },
          ]
        : []),
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.test.ts'], env, fileParallelism: false, testTimeout: 90_000 },
      },
    ],
  },
});
