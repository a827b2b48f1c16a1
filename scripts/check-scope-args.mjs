#!/usr/bin/env node
// "A read of a scoped table takes the caller's Scope", checked by `npm run lint` (decisions/0060,
// docs/architecture.md "Module shape"). Reads the TypeScript sources as syntax trees (nothing runs):
//   - the scoped tables are those of SCOPED_TABLES (packages/server/src/platform/access/scoped-tables.ts);
//   - a repository function is a named function of a `*.repo.ts` file: a function declaration, a
//     `const f = (…) => …`, a method (or function-valued property) of a top-level object literal
//     such as `export const fooRepo = { … }`, at any depth, or a method of a top-level class;
//   - it reads a scoped table where it names one (scripts/check-tables.mjs `tableRefs`) other than as
//     the target of a write (insertInto, updateTable, deleteFrom, bulkInsert[Flat], flatStatements, updateVersioned, or
//     INSERT INTO / UPDATE / DELETE FROM in raw `sql`); a sub-select inside a write is a read;
//   - such a function must have a required parameter typed `Scope`, or typed with a view carrying
//     a required `scope: Scope` (ExemplarViewer, …), and use it in its body. Optional parameters,
//     defaults and `Scope | undefined` do not count: a read outside the caller's scope passes the
//     named SYSTEM_SCOPE, so each one can be found.
// A helper that builds SQL for others (a join, a condition) is a repository function too: what
// it reads is scoped where it is written, and the type checker carries the argument to its callers.
// There is no list of tolerated violations: any one fails.
// Usage: node scripts/check-scope-args.mjs [--root DIR] [--json]; exits 1 on a violation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parse, runChecker, tableRefs, walk } from './check-tables.mjs';

const unwrap = (n) => {
  while (n && (ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isParenthesizedExpression(n)))
    n = n.expression;
  return n;
};
const isScopeType = (t) => !!t && ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Scope' && !t.typeArguments;
/** `{ …; scope: Scope; … }` with `scope` required. */
const carriesScope = (members) =>
  members.some(
    (m) => ts.isPropertySignature(m) && m.name.getText() === 'scope' && !m.questionToken && isScopeType(m.type),
  );

/** The table names of SCOPED_TABLES (`{ table: '…', pathColumn: '…' }` entries). */
export function scopedTables(root) {
  const file = path.join(root, 'packages/server/src/platform/access/scoped-tables.ts');
  const out = new Set();
  if (!fs.existsSync(file)) return out;
  ts.forEachChild(parse(file), function visit(n) {
    if (ts.isVariableDeclaration(n) && n.name.getText() === 'SCOPED_TABLES' && n.initializer) {
      const list = unwrap(n.initializer);
      if (ts.isArrayLiteralExpression(list))
        for (const e of list.elements) {
          if (!ts.isObjectLiteralExpression(e)) continue;
          const t = e.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'table');
          if (t && ts.isStringLiteralLike(t.initializer)) out.add(t.initializer.text);
        }
    }
    ts.forEachChild(n, visit);
  });
  return out;
}

/** Names of interfaces and type aliases (anywhere in the server) with a required `scope: Scope`. */
function scopeCarriers(files) {
  const out = new Set();
  for (const sf of files)
    ts.forEachChild(sf, function visit(n) {
      if (ts.isInterfaceDeclaration(n) && carriesScope(n.members)) out.add(n.name.text);
      if (ts.isTypeAliasDeclaration(n) && ts.isTypeLiteralNode(n.type) && carriesScope(n.type.members))
        out.add(n.name.text);
      ts.forEachChild(n, visit);
    });
  return out;
}

/** The named functions of a repository file: [{ name, fn }]. */
function repoFunctions(sf) {
  const out = [];
  const isFn = (n) => n && (ts.isArrowFunction(n) || ts.isFunctionExpression(n));
  const members = (obj, prefix) => {
    for (const p of obj.properties) {
      const name = p.name ? `${prefix}.${p.name.getText()}` : prefix;
      if (ts.isMethodDeclaration(p)) out.push({ name, fn: p });
      else if (ts.isPropertyAssignment(p)) {
        const v = unwrap(p.initializer);
        if (isFn(v)) out.push({ name, fn: v });
        else if (ts.isObjectLiteralExpression(v)) members(v, name);
      }
    }
  };
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name && s.body) out.push({ name: s.name.text, fn: s });
    if (ts.isClassDeclaration(s))
      for (const m of s.members)
        if (ts.isMethodDeclaration(m) && m.body)
          out.push({ name: `${s.name?.text ?? 'class'}.${m.name.getText()}`, fn: m });
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        const v = unwrap(d.initializer);
        const name = d.name.getText();
        if (isFn(v)) out.push({ name, fn: v });
        else if (v && ts.isObjectLiteralExpression(v)) members(v, name);
      }
  }
  return out;
}

/** Does `fn` have a required Scope (or scope-carrying) parameter that its body uses? */
function takesScope(fn, carriers) {
  const names = [];
  for (const p of fn.parameters) {
    if (p.questionToken || p.initializer || p.dotDotDotToken || !p.type) continue;
    const t = p.type;
    const ok =
      isScopeType(t) ||
      (ts.isTypeReferenceNode(t) && !t.typeArguments && carriers.has(t.typeName.getText())) ||
      (ts.isTypeLiteralNode(t) && carriesScope(t.members));
    if (!ok) continue;
    if (ts.isIdentifier(p.name)) names.push(p.name.text);
    else
      ts.forEachChild(p.name, function bind(b) {
        if (ts.isBindingElement(b) && ts.isIdentifier(b.name)) names.push(b.name.text);
        ts.forEachChild(b, bind);
      });
  }
  if (!names.length || !fn.body) return false;
  let used = false;
  ts.forEachChild(fn.body, function visit(n) {
    if (used) return;
    if (
      ts.isIdentifier(n) &&
      names.includes(n.text) &&
      !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
    )
      used = true;
    ts.forEachChild(n, visit);
  });
  if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && ts.isIdentifier(fn.body) && names.includes(fn.body.text))
    used = true;
  return used;
}

/** The violations under `root` (a checkout: packages/server/src/…), each with its `key`. */
export function check(root) {
  const SERVER = path.join(root, 'packages/server/src');
  const scoped = scopedTables(root);
  const all = walk(SERVER).map((f) => ({ file: f, sf: parse(f) }));
  const carriers = scopeCarriers(all.map((x) => x.sf));
  const out = [];
  for (const { file, sf } of all.filter((x) => x.file.endsWith('.repo.ts'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    for (const { name, fn } of repoFunctions(sf)) {
      const reads = tableRefs(fn, scoped, sf).filter((r) => !r.write);
      if (!reads.length || takesScope(fn, carriers)) continue;
      const tables = [...new Set(reads.map((r) => r.table))];
      out.push({
        file: rel,
        line: sf.getLineAndCharacterOfPosition(fn.getStart()).line + 1,
        rule: 'scope-argument',
        name,
        table: tables.join(','),
        message: `${name} reads ${tables.join(', ')} without a required Scope argument it uses (pass SYSTEM_SCOPE where the caller reads outside its scope)`,
        key: `${rel}|scope-argument|${name}`,
      });
    }
  }
  return out;
}

if (path.resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url))
  runChecker(
    check,
    'every scoped read takes a Scope',
    (n) => `${n} scoped reads without a Scope argument (decisions/0060)`,
  );
