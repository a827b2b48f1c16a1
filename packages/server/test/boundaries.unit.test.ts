import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { check } from '../../../scripts/check-tables.mjs';

/**
 * The boundary rules `npm run lint` applies (.dependency-cruiser.cjs, scripts/check-tables.mjs),
 * run on a small tree written here: two modules, first keeping to their own, then with a
 * deliberate cross-module table read and a routes → routes import.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEPCRUISE = path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CHECK_TABLES = path.join(repo, 'scripts/check-tables.mjs');
const dirs: string[] = [];

type Violation = { file: string; rule: string; table: string };

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-boundaries-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
    'packages/server/src/platform/module.ts': [
      "export const PLATFORM_TABLES = ['jobs'] as const;",
      'export const defineModule = <T>(def: T) => def;',
    ].join('\n'),
    'packages/server/src/modules/stock/stock.module.ts': [
      "import { defineModule } from '../../platform/module.js';",
      "export const stockModule = defineModule({ name: 'stock', tables: ['stock_items'] });",
    ].join('\n'),
    'packages/server/src/modules/stock/stock.repo.ts': [
      "export const stockRepo = { list: (db: any) => db.selectFrom('stock_items as s').selectAll().execute() };",
    ].join('\n'),
    'packages/server/src/modules/stock/stock.routes.ts': "export const label = (n: string) => '[' + n + ']';",
    'packages/server/src/modules/orders/orders.module.ts': [
      "import { defineModule } from '../../platform/module.js';",
      "import { stockModule } from '../stock/stock.module.js';",
      "export const ordersModule = defineModule({ name: 'orders', tables: ['orders'], requires: [stockModule] });",
    ].join('\n'),
    'packages/server/src/modules/orders/orders.repo.ts': [
      "export const ordersRepo = { list: (db: any) => db.selectFrom('orders').selectAll().execute() };",
    ].join('\n'),
    'packages/server/src/modules/orders/orders.routes.ts': 'export const routes = [];',
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${text}\n`);
  }
  return dir;
}

/** dependency-cruiser with the project's rules file, as `npm run lint:boundaries` runs it. */
function depcruise(dir: string): { code: number | null; rules: string[] } {
  const r = spawnSync(
    process.execPath,
    [DEPCRUISE, 'packages', '--config', path.join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd: dir, encoding: 'utf8' },
  );
  return { code: r.status, rules: [...r.stdout.matchAll(/^\s*error ([a-z-]+):/gm)].map((m) => m[1]!) };
}

/** scripts/check-tables.mjs as `npm run lint:boundaries` runs it (no list of tolerated violations). */
function checkTablesCli(dir: string): number | null {
  return spawnSync(process.execPath, [CHECK_TABLES, '--root', dir], { encoding: 'utf8' }).status;
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('module boundaries', () => {
  it('pass on modules that keep to their own tables and imports', () => {
    const dir = tree({});
    expect(check(dir)).toEqual([]);
    expect(depcruise(dir)).toEqual({ code: 0, rules: [] });
  });

  it('fail on a repository reading another module’s table', () => {
    const dir = tree({
      'packages/server/src/modules/orders/orders.repo.ts': [
        'export const ordersRepo = {',
        "  list: (db: any) => db.selectFrom('orders as o').innerJoin('stock_items as s', 's.id', 'o.item_id').execute(),",
        '};',
      ].join('\n'),
    });
    const found = check(dir) as Violation[];
    expect(found.map(({ file, rule, table }) => ({ file, rule, table }))).toEqual([
      {
        file: 'packages/server/src/modules/orders/orders.repo.ts',
        rule: 'table-of-another-module',
        table: 'stock_items',
      },
    ]);
    // and lint fails on it: the checker exits 1
    expect(checkTablesCli(dir)).toBe(1);
    expect(checkTablesCli(tree({}))).toBe(0);
  });

  it('fail on a table named in raw SQL outside a repository, and on scopeWhere outside one', () => {
    const dir = tree({
      'packages/server/src/modules/orders/orders.service.ts': [
        "import { sql } from 'kysely';",
        'declare const scopeWhere: (...a: unknown[]) => unknown;',
        'export const count = (db: any) => sql`SELECT count(*) FROM orders`.execute(db);',
        'export const scoped = (eb: unknown, s: unknown) => scopeWhere(eb, s, {});',
      ].join('\n'),
    });
    expect((check(dir) as Violation[]).map((v) => v.rule)).toEqual(['sql-outside-repo', 'scope-outside-repo']);
  });

  it('fail on a module writing the unrestricted scope itself instead of SYSTEM_SCOPE', () => {
    const dir = tree({
      'packages/server/src/modules/orders/orders.jobs.ts': [
        'declare const list: (scope: unknown) => unknown;',
        "export const nightly = () => list({ kind: 'all' });",
      ].join('\n'),
    });
    expect((check(dir) as Violation[]).map(({ file, rule }) => ({ file, rule }))).toEqual([
      { file: 'packages/server/src/modules/orders/orders.jobs.ts', rule: 'scope-literal' },
    ]);
    expect(checkTablesCli(dir)).toBe(1);
  });

  it('fail on a routes → routes import and on another module’s repository', () => {
    const dir = tree({
      'packages/server/src/modules/orders/orders.routes.ts': [
        "import { label } from '../stock/stock.routes.js';",
        "import { stockRepo } from '../stock/stock.repo.js';",
        'export const routes = [label, stockRepo];',
      ].join('\n'),
    });
    const r = depcruise(dir);
    expect(r.code).not.toBe(0);
    expect(r.rules.sort()).toEqual(['no-repo-across-modules', 'no-routes-across-modules']);
  });

  it('hold on this repository as it is, with nothing tolerated', () => {
    expect(check(repo)).toEqual([]);
  });

  it('fail on importing another module’s internals, and on a cycle', () => {
    const dir = tree({
      'packages/server/src/modules/stock/stock.service.ts': [
        "import { total } from '../orders/orders.service.js';",
        'export const left = () => 10 - total();',
      ].join('\n'),
      'packages/server/src/modules/orders/orders.service.ts': [
        "import { left } from '../stock/stock.service.js';",
        'export const total = () => 1;',
        'export const check = () => left() > 0;',
      ].join('\n'),
    });
    const r = depcruise(dir);
    expect(r.code).not.toBe(0);
    expect(new Set(r.rules)).toEqual(new Set(['only-module-entry-across-modules', 'no-cycles']));
  });
});
