import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs script without types
import { check, scopedTables } from '../../../scripts/check-scope-args.mjs';

/**
 * The rule `npm run lint` applies to repositories (scripts/check-scope-args.mjs, decisions/0060):
 * a repository function reading a scoped table takes a required Scope and uses it. Run on a small
 * tree written here: a repository keeping to it, then with deliberate unscoped reads.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHECK = path.join(repo, 'scripts/check-scope-args.mjs');
const dirs: string[] = [];

type Violation = { file: string; rule: string; name: string; table: string };

const REPO = 'packages/server/src/modules/stock/stock.repo.ts';

/** A checkout with two scoped tables (stock_items, stock_moves) and one that is not (stock_units). */
function tree(repoSource: string[], extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-scope-args-'));
  dirs.push(dir);
  const all: Record<string, string> = {
    'packages/server/src/platform/access/scoped-tables.ts': [
      'export const SCOPED_TABLES: readonly { table: string; pathColumn: string }[] = [',
      "  { table: 'stock_items', pathColumn: 'org_path' },",
      "  { table: 'stock_moves', pathColumn: 'org_path' },",
      '];',
    ].join('\n'),
    'packages/server/src/platform/access/scope.ts': [
      "export type Scope = { kind: 'all' } | { kind: 'subtree'; path: string };",
      "export const SYSTEM_SCOPE: Scope = { kind: 'all' };",
      'export declare function scopeWhere(eb: unknown, scope: Scope, cols: { path: string }): unknown;',
    ].join('\n'),
    [REPO]: repoSource.join('\n'),
    ...extra,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), `${text}\n`);
  }
  return dir;
}

/** `${expr}` inside a template of the written source. */
const hole = (expr: string) => ['$', '{', expr, '}'].join('');

const HEAD = [
  "import { sql } from 'kysely';",
  "import { type Scope, scopeWhere } from '../../platform/access/scope.js';",
];

/** A repository that keeps to the rule, in each shape the real ones use. */
const GOOD = [
  ...HEAD,
  'export interface Viewer { scope: Scope; admin: boolean }',
  'function onHand(scope: Scope) {',
  `  return sql\`EXISTS (SELECT 1 FROM stock_moves m WHERE m.item_id = i.id AND ${hole("scopeWhere(null, scope, { path: 'm.org_path' })")})\`;`,
  '}',
  'export async function rebuild(db: any, scope: Scope) {',
  `  await sql\`INSERT INTO stock_units SELECT id FROM stock_items i WHERE ${hole('onHand(scope)')}\`.execute(db);`,
  '}',
  'export const stockRepo = {',
  '  list(db: any, scope: Scope) {',
  "    return db.selectFrom('stock_items as i').where((eb: any) => scopeWhere(eb, scope, { path: 'i.org_path' })).execute();",
  '  },',
  '  visible: (db: any, v: Viewer, id: string) =>',
  "    db.selectFrom('stock_items').where('id', '=', id).where((eb: any) => scopeWhere(eb, v.scope, { path: 'org_path' })),",
  '  units(db: any) {',
  "    return db.selectFrom('stock_units').selectAll().execute();",
  '  },',
  '  insert(db: any, row: object) {',
  "    return db.insertInto('stock_items').values(row).execute();",
  '  },',
  '  move(db: any, id: string, version: number) {',
  "    return db.updateTable('stock_moves').set({ version: version + 1 }).where('id', '=', id).execute();",
  '  },',
  '};',
];

function cli(dir: string): number | null {
  return spawnSync(process.execPath, [CHECK, '--root', dir], { encoding: 'utf8' }).status;
}

afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the scope-argument rule', () => {
  it('reads the scoped tables from SCOPED_TABLES', () => {
    expect([...scopedTables(tree(GOOD))].sort()).toEqual(['stock_items', 'stock_moves']);
  });

  it('passes a repository whose scoped reads each take a required Scope they use', () => {
    const dir = tree(GOOD);
    expect(check(dir)).toEqual([]);
    expect(cli(dir)).toBe(0);
  });

  it('reports each unscoped read: no Scope, an optional or defaulted one, one not used, a sub-select in a write', () => {
    const dir = tree([
      ...HEAD,
      "import { SYSTEM_SCOPE } from '../../platform/access/scope.js';",
      'export const stockRepo = {',
      '  byId(db: any, id: string) {',
      "    return db.selectFrom('stock_items').where('id', '=', id).executeTakeFirst();",
      '  },',
      '  maybe(db: any, scope?: Scope) {',
      "    return db.selectFrom('stock_items as i').where((eb: any) => scopeWhere(eb, scope!, { path: 'i.org_path' }));",
      '  },',
      '  defaulted(db: any, scope: Scope = SYSTEM_SCOPE) {',
      "    return db.selectFrom('stock_items as i').where((eb: any) => scopeWhere(eb, scope, { path: 'i.org_path' }));",
      '  },',
      '  unused(db: any, _scope: Scope, id: string) {',
      "    return db.selectFrom('stock_moves').where('item_id', '=', id).execute();",
      '  },',
      '  clear(db: any, id: string) {',
      "    return db.deleteFrom('stock_units').where('item_id', 'in', db.selectFrom('stock_moves').select('item_id')).execute();",
      '  },',
      '};',
      'export const moved = (db: any) => sql`SELECT count(*) FROM stock_units u JOIN stock_moves m ON m.id = u.move_id`.execute(db);',
    ]);
    const found = (check(dir) as Violation[]).map(({ file, rule, name, table }) => ({ file, rule, name, table }));
    expect(found).toEqual(
      [
        ['stockRepo.byId', 'stock_items'],
        ['stockRepo.maybe', 'stock_items'],
        ['stockRepo.defaulted', 'stock_items'],
        ['stockRepo.unused', 'stock_moves'],
        ['stockRepo.clear', 'stock_moves'],
        ['moved', 'stock_moves'],
      ].map(([name, table]) => ({ file: REPO, rule: 'scope-argument', name, table })),
    );
    // and lint fails on it: the checker exits 1
    expect(cli(dir)).toBe(1);
  });

  it('checks only repositories: a scoped table named elsewhere is check-tables’ concern', () => {
    const dir = tree(GOOD, {
      'packages/server/src/modules/stock/stock.service.ts':
        "export const list = (db: any) => db.selectFrom('stock_items').execute();",
    });
    expect(check(dir)).toEqual([]);
  });

  it('holds on this repository as it is, with nothing tolerated', () => {
    expect(check(repo)).toEqual([]);
  });
});
