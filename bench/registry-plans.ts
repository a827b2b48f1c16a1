// npx tsx bench/registry-plans.ts [--db sqlite|postgres] [--seed 50000]
// Which index of `beneficiaries` serves which query (decisions/0064): a fresh database with the demo
// city and N synthetic persons (statistics refreshed), then the registry's list, search, count,
// household, blind-index and target-build statements as the platform builds them, each shown with
// its plan (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN) and the beneficiaries indexes it names.
// Ends with every index of the table and the statements that used it. Prints Markdown; writes nothing.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { householdsRepo } from '../packages/server/src/modules/registry/households.repo.js';
import { registryReadModel } from '../packages/server/src/modules/registry/read-model.repo.js';
import { importRepo, type ListFilter, registryRepo } from '../packages/server/src/modules/registry/registry.repo.js';
import { type Scope, SYSTEM_SCOPE } from '../packages/server/src/platform/access/scope.js';
import { migrateToLatest } from '../packages/server/src/platform/db/index.js';
import { seedDemo } from '../packages/server/src/seed/demo.js';
import { seedSynthetic } from '../packages/server/src/seed/synthetic.js';
import { freshPlatform } from './lib/platform.js';

const { values: opt } = parseArgs({
  options: { db: { type: 'string', default: 'sqlite' }, seed: { type: 'string', default: '50000' } },
});

interface Captured {
  text: string;
  params: unknown[];
}
let captured: Captured[] = [];

async function main() {
  const dialect = opt.db === 'postgres' ? 'postgres' : 'sqlite';
  const { p, close } = await freshPlatform(dialect, 'plans');
  try {
    await migrateToLatest(p.handle);
    await seedDemo(p);
    await seedSynthetic(p, { count: Number(opt.seed) });
    const db = p.handle.db;
    if (dialect === 'sqlite') p.handle.sqlite!.exec('ANALYZE');
    else await sql`ANALYZE`.execute(db);
    // capture every SELECT the main connection runs, with its parameters
    if (dialect === 'sqlite') {
      const s = p.handle.sqlite!;
      const prepare = s.prepare.bind(s);
      // biome-ignore lint/suspicious/noExplicitAny: a trace wrapper over the driver
      (s as any).prepare = (text: string) => {
        const stmt = prepare(text);
        if (!/^\s*(select|with)/i.test(text)) return stmt;
        return new Proxy(stmt, {
          get(target, prop) {
            // biome-ignore lint/suspicious/noExplicitAny: see above
            const v = (target as any)[prop];
            if (typeof v !== 'function') return v;
            if (prop === 'all' || prop === 'get' || prop === 'iterate' || prop === 'run')
              return (...params: unknown[]) => {
                captured.push({ text, params: params.flat() });
                return v.apply(target, params);
              };
            return v.bind(target);
          },
        });
      };
    } else {
      const require = createRequire(import.meta.url);
      const pg = require('pg');
      const query = pg.Client.prototype.query;
      pg.Client.prototype.query = function (cfg: unknown, values?: unknown) {
        const text = typeof cfg === 'string' ? cfg : (cfg as { text: string }).text;
        const params = (Array.isArray(values) ? values : (cfg as { values?: unknown[] }).values) ?? [];
        if (text && /^\s*(select|with)/i.test(text)) captured.push({ text, params });
        // biome-ignore lint/complexity/noArguments: passes the driver's own arguments through
        return query.apply(this, arguments);
      };
    }
    const district = await db
      .selectFrom('orgs')
      .select(['id', 'path'])
      .where('depth', '=', 1)
      .where('path', 'like', '%650203/')
      .executeTakeFirstOrThrow();
    const street = await db
      .selectFrom('orgs')
      .select(['id', 'path'])
      .where('depth', '=', 2)
      .where('path', 'like', `${district.path}%`)
      .orderBy('path')
      .executeTakeFirstOrThrow();
    const station = await db
      .selectFrom('beneficiaries')
      .select(['org_id', 'org_path', 'household_id', 'id_bi'])
      .where('org_path', 'like', `${district.path}%`)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const cityPath = `${district.path.split('/').slice(0, 1).join('/')}/`;
    const scopes: Record<string, Scope> = {
      district: { kind: 'subtree', path: district.path },
      city: { kind: 'subtree', path: cityPath },
      street: { kind: 'subtree', path: street.path },
      station: { kind: 'org', orgId: station.org_id, path: station.org_path },
    };
    const page = { page: 1, pageSize: 20, sort: 'name' as const, order: 'asc' as const };
    const cases: [string, () => Promise<unknown>][] = [];
    const list = (label: string, scope: Scope, f: ListFilter, o: Partial<typeof page> & { exact?: boolean } = {}) =>
      cases.push([label, () => registryRepo.page(db, scope, f, { ...page, exact: true, ...o })]);
    for (const [s, scope] of Object.entries(scopes)) {
      list(`list ${s}`, scope, {});
      list(`list ${s} + status`, scope, { status: 'active' });
      list(`list ${s} + category + status`, scope, { category: 'veteran', status: 'active' });
    }
    list('list district, sort by birth date', scopes.district!, {}, { sort: 'birthDate' as never });
    list('list city, sort by birth date', scopes.city!, {}, { sort: 'birthDate' as never });
    list('list district + birth range', scopes.district!, { birthFrom: '1950-01-01', birthTo: '1960-12-31' });
    list('list city + birth range', scopes.city!, { birthFrom: '1950-01-01', birthTo: '1950-01-31' });
    list('list district + plaque', scopes.district!, { plaque: 'hung' });
    list('list district, filter street', scopes.district!, { orgPath: street.path });
    list('search 张 (district)', scopes.district!, { q: { kind: 'han', text: '张' } });
    list('search 建国 (district)', scopes.district!, { q: { kind: 'han', text: '建国' } });
    list('search 建国 (city)', scopes.city!, { q: { kind: 'han', text: '建国' } });
    list('search zjg (district)', scopes.district!, { q: { kind: 'latin', text: 'zjg' } });
    list('search zhang (city)', scopes.city!, { q: { kind: 'latin', text: 'zhang' } });
    list('search 张 + category', scopes.district!, { q: { kind: 'han', text: '张' }, category: 'veteran' });
    cases.push([
      'capped count district + birth range',
      () => registryRepo.cappedCount(db, scopes.district!, { birthFrom: '1950-01-01' }),
    ]);
    cases.push(['household members', () => householdsRepo.members(db, SYSTEM_SCOPE, [station.household_id!])]);
    cases.push([
      'household active members',
      () => householdsRepo.activeMembers(db, SYSTEM_SCOPE, station.household_id!),
    ]);
    cases.push(['import: by blind indexes', () => importRepo.byBlindIndexes(db, SYSTEM_SCOPE, [station.id_bi])]);
    cases.push([
      'benefits: persons by blind index',
      () => registryReadModel.personsByBlindIndex(db, SYSTEM_SCOPE, [station.id_bi]),
    ]);
    cases.push([
      'visits: persons of a rule (status, path, birth cutoff)',
      () =>
        registryReadModel
          .persons(db, SYSTEM_SCOPE)
          .where('status', '=', 'active')
          .where('org_path', '>=', district.path)
          .where('org_path', '<', `${district.path}\uffff`)
          .where('birth_date', '<=', '1946-12-03')
          .where('categories', '<>', '')
          .execute(),
    ]);
    cases.push([
      'visits: household facts',
      () =>
        sql`select count(case when m.status = 'active' then 1 end), min(case when m.status = 'active' then m.birth_date || m.name end)
          from beneficiaries m where m.household_id = ${station.household_id}`.execute(db),
    ]);
    const used = new Map<string, Set<string>>();
    const out: string[] = [`## ${dialect}: plans at ${Number(opt.seed).toLocaleString('en')} synthetic persons`];
    for (const [label, run] of cases) {
      captured = [];
      await run();
      const stmts = captured;
      captured = [];
      out.push(`\n### ${label}`);
      for (const c of stmts) {
        let plan: string[];
        if (dialect === 'sqlite')
          plan = (
            p.handle.sqlite!.prepare(`EXPLAIN QUERY PLAN ${c.text}`).all(...(c.params as never[])) as {
              detail: string;
            }[]
          ).map((r) => r.detail);
        else {
          const r = await p.handle.pool!.query(`EXPLAIN ${c.text}`, c.params);
          captured = [];
          plan = r.rows.map((x: Record<string, string>) => x['QUERY PLAN']!.trim());
        }
        const names = new Set<string>();
        for (const line of plan)
          for (const m of line.matchAll(/(beneficiaries_\w+|sqlite_autoindex_beneficiaries_\d+)/g)) names.add(m[1]!);
        for (const n of names) used.set(n, (used.get(n) ?? new Set()).add(label));
        out.push(`- \`${c.text.slice(0, 160).replace(/\s+/g, ' ')}…\``);
        out.push(`  - ${plan.filter((l) => /beneficiar|SCAN|TEMP|Sort|Seq Scan/.test(l)).join(' | ')}`);
      }
    }
    const indexes =
      dialect === 'sqlite'
        ? (
            await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'beneficiaries'`.execute(db)
          ).rows
        : (
            await sql<{
              name: string;
            }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'beneficiaries'`.execute(db)
          ).rows;
    out.push('\n### Indexes of beneficiaries and the statements above that use them');
    for (const { name } of indexes) out.push(`- ${name}: ${[...(used.get(name) ?? [])].join('; ') || '**none**'}`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await close();
  }
}

await main();
