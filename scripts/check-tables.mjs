#!/usr/bin/env node
// Table ownership and "SQL only in repositories", checked by `npm run lint` (docs/architecture.md,
// "Boundaries"). Reads the TypeScript sources as syntax trees (nothing runs):
//   - each module declares its tables in `defineModule({ tables, joinable })` (<name>.module.ts);
//     the platform's own tables are PLATFORM_TABLES in platform/module.ts;
//   - a table is named where a string is exactly `<table>` or `<table> as <alias>` (Kysely's
//     selectFrom/insertInto/…/joins, bulkInsert, bulkInsertFlat, flatStatements) and in raw `sql` text after FROM/JOIN/INTO/UPDATE;
//   - rules: a module names only its own tables (another module's `joinable` tables may be joined
//     read-only by a repo); only `*.repo.ts` files name tables; only repos call `scopeWhere`;
//     no module writes the unrestricted scope `{ kind: 'all' }` itself: reads outside the caller's
//     scope pass the named SYSTEM_SCOPE (platform/access/scope.ts), so each one can be found.
// There is no list of tolerated violations: any one fails (decisions/0048).
// Usage: node scripts/check-tables.mjs [--root DIR] [--json]; exits 1 on a violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const WRITES = new Set([
  'insertInto',
  'updateTable',
  'deleteFrom',
  'replaceInto',
  'mergeInto',
  'bulkInsert',
  'bulkInsertFlat',
  'flatStatements',
  'updateVersioned',
]);
/** Files of a module that are not queries: seeds of synthetic data write tables directly, for speed. */
const EXEMPT = /(^|\/)synthetic\.ts$/;

/** The TypeScript sources below `dir` (declarations left out). */
export function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

export const parse = (file) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const strings = (node) =>
  node && ts.isArrayLiteralExpression(node) ? node.elements.filter(ts.isStringLiteralLike).map((e) => e.text) : [];

/** `defineModule({ name, tables, joinable })` of each module, and PLATFORM_TABLES. */
function ownership(SERVER, MODULES) {
  const owner = new Map(); // table → module
  const joinable = new Set();
  const problems = [];
  const claim = (table, who, file) => {
    if (owner.has(table) && owner.get(table) !== who)
      problems.push({
        file,
        line: 1,
        rule: 'one-owner',
        message: `table ${table} is claimed by ${owner.get(table)} and ${who}`,
      });
    owner.set(table, who);
  };
  const platformFile = path.join(SERVER, 'platform/module.ts');
  if (fs.existsSync(platformFile)) {
    ts.forEachChild(parse(platformFile), function visit(n) {
      if (ts.isVariableDeclaration(n) && n.name.getText() === 'PLATFORM_TABLES' && n.initializer) {
        const init = ts.isAsExpression(n.initializer) ? n.initializer.expression : n.initializer;
        for (const t of strings(init)) claim(t, 'platform', platformFile);
      }
      ts.forEachChild(n, visit);
    });
  }
  for (const file of walk(MODULES).filter((f) => f.endsWith('.module.ts'))) {
    ts.forEachChild(parse(file), function visit(n) {
      if (ts.isCallExpression(n) && n.expression.getText() === 'defineModule' && n.arguments[0]) {
        const obj = n.arguments[0];
        if (!ts.isObjectLiteralExpression(obj)) return;
        const prop = (k) => obj.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === k);
        const name = prop('name')?.initializer;
        const who = name && ts.isStringLiteralLike(name) ? name.text : path.basename(path.dirname(file));
        for (const t of strings(prop('tables')?.initializer)) claim(t, who, file);
        for (const t of strings(prop('joinable')?.initializer)) joinable.add(t);
      }
      ts.forEachChild(n, visit);
    });
  }
  return { owner, joinable, problems };
}

const SQL_TABLE = /\b(from|join|into|update|table)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/** Every place a file (or a node of file `sf`) names a table: { table, line, write }. */
export function tableRefs(node, known, sf = node) {
  const refs = [];
  const at = (node) => sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const callee = (node) => {
    const call = node.parent;
    if (!call || !ts.isCallExpression(call)) return '';
    const e = call.expression;
    return ts.isPropertyAccessExpression(e) ? e.name.text : e.getText();
  };
  ts.forEachChild(node, function visit(n) {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
    if (ts.isStringLiteralLike(n) && !ts.isNoSubstitutionTemplateLiteral(n)) {
      const m = /^([a-z_][a-z0-9_]*)(\s+as\s+\w+)?$/.exec(n.text);
      // a property name, a literal type or a path segment (`path.join(dataDir, 'campaigns')`) is no table
      const pathSegment = ts.isCallExpression(n.parent) && /^path\.(join|resolve)$/.test(n.parent.expression.getText());
      if (m && known.has(m[1]) && !ts.isPropertyAssignment(n.parent) && !ts.isLiteralTypeNode(n.parent) && !pathSegment)
        refs.push({ table: m[1], line: at(n), write: WRITES.has(callee(n)) });
    }
    if (ts.isTaggedTemplateExpression(n) && /^sql\b/.test(n.tag.getText())) {
      const t = n.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(t)
        ? [t.text]
        : [t.head.text, ...t.templateSpans.map((s) => s.literal.text)];
      for (const part of parts)
        for (const m of part.matchAll(SQL_TABLE))
          if (known.has(m[2]))
            refs.push({
              table: m[2],
              line: at(n),
              write: /^(into|update)$/i.test(m[1]) || /delete\s+from/i.test(part),
            });
    }
    ts.forEachChild(n, visit);
  });
  return refs;
}

/** `{ kind: 'all' }` written out: the scope that reads everything. */
const isUnrestrictedScope = (n) =>
  n.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) &&
      p.name.getText() === 'kind' &&
      ts.isStringLiteralLike(p.initializer) &&
      p.initializer.text === 'all',
  );

/** The violations under `root` (a checkout: packages/server/src/…), each with its `key`. */
export function check(root) {
  const SERVER = path.join(root, 'packages/server/src');
  const MODULES = path.join(SERVER, 'modules');
  const { owner, joinable, problems } = ownership(SERVER, MODULES);
  const known = new Set(owner.keys());
  const out = [...problems];
  for (const file of walk(MODULES)) {
    const rel = path.relative(root, file);
    const mod = path.relative(MODULES, file).split(path.sep)[0];
    if (file.endsWith('.module.ts') || file.endsWith('.schema.ts') || EXEMPT.test(file)) continue;
    const sf = parse(file);
    const isRepo = file.endsWith('.repo.ts');
    for (const r of tableRefs(sf, known)) {
      const own = owner.get(r.table);
      if (own !== mod && !(joinable.has(r.table) && !r.write && isRepo))
        out.push({
          file: rel,
          line: r.line,
          rule: 'table-of-another-module',
          table: r.table,
          message: `${r.table} belongs to ${own}; use the service ${own} exports`,
        });
      else if (!isRepo)
        out.push({
          file: rel,
          line: r.line,
          rule: 'sql-outside-repo',
          table: r.table,
          message: `${r.table} is named outside a *.repo.ts`,
        });
    }
    ts.forEachChild(sf, function visit(n) {
      const line = () => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
      if (!isRepo && ts.isCallExpression(n) && n.expression.getText() === 'scopeWhere')
        out.push({
          file: rel,
          line: line(),
          rule: 'scope-outside-repo',
          table: '',
          message: 'scopeWhere is called only by repositories',
        });
      if (ts.isObjectLiteralExpression(n) && isUnrestrictedScope(n))
        out.push({
          file: rel,
          line: line(),
          rule: 'scope-literal',
          table: '',
          message: "write SYSTEM_SCOPE (platform/access/scope.ts), not { kind: 'all' }",
        });
      ts.forEachChild(n, visit);
    });
  }
  return out.map((v) => ({ ...v, key: `${v.file.split(path.sep).join('/')}|${v.rule}|${v.table ?? ''}` }));
}

/**
 * The command line of a checker script: `check(root)` on `--root` (default: here), the findings as
 * lines (or `--json`), then `ok` or `failed(n)`; exits 1 on any finding.
 */
export function runChecker(check, ok, failed) {
  const args = process.argv.slice(2);
  const root = path.resolve(args.includes('--root') ? args[args.indexOf('--root') + 1] : '.');
  const found = check(root);
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  else for (const v of found) process.stdout.write(`${v.file}:${v.line}  ${v.rule}  ${v.message}\n`);
  process.stdout.write(found.length ? `\n✘ ${failed(found.length)}\n` : `✔ ${ok}\n`);
  process.exit(found.length ? 1 : 0);
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url))
  runChecker(
    check,
    'table boundaries hold',
    (n) => `${n} table-boundary violations (docs/architecture.md, "Boundaries")`,
  );
