import { expressionBuilder, sql } from 'kysely';
import { type Scope, SYSTEM_SCOPE, scopeWhere } from '../../platform/access/scope.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import { HANDLING_STATUSES } from './needs.machine.js';

// ---------------------------------------------------------------------------------------------
// The needs' maintained counter (decisions/0050): `need_counts` holds, per (reach, scope path,
// status, lead department, deadline), how many cases a caller of that scope sees. A case is
// counted once under every scope that sees it — `reach` 's' (a subtree scope, '' for the whole
// city) at each ancestor of its owner's org and of its active handlers' orgs, the union taken per
// case, and `reach` 'o' (an org scope) at its owner's org and its handlers' orgs, also deduplicated.
// Every write of the needs workflow applies the difference of the case's keys before and after,
// in the same transaction; the cockpit's needs widget reads the rows of one scope path.

/** What of a case the counter depends on. */
export interface NeedCountState {
  status: string;
  lead_org_id: string | null;
  deadline: string | null;
  org_path: string;
  /** Org paths of the case's active handlers. */
  handler_paths: readonly string[];
}

export interface NeedCountRow {
  reach: 's' | 'o';
  scope_path: string;
  status: string;
  lead_org_id: string;
  deadline: string;
  n: number;
}

/** The org path and every ancestor's ('a/b/' → 'a/', 'a/b/'). */
export function pathAncestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i + 1));
  return out;
}

/**
 * The counter rows a case adds (sign 1) or removes (sign -1). Merged cases are counted nowhere
 * (they live on in the case they joined); the deadline is kept only where it decides a colour.
 */
export function needCountKeys(s: NeedCountState, sign: 1 | -1): NeedCountRow[] {
  if (s.status === 'merged') return [];
  const timed = HANDLING_STATUSES.includes(s.status as never) && s.deadline;
  const base = { status: s.status, lead_org_id: s.lead_org_id ?? '', deadline: timed ? s.deadline! : '', n: sign };
  const subtree = new Set(['', ...pathAncestors(s.org_path), ...s.handler_paths.flatMap(pathAncestors)]);
  const org = new Set([s.org_path, ...s.handler_paths]);
  return [
    ...[...subtree].map((p) => ({ ...base, reach: 's' as const, scope_path: p })),
    ...[...org].map((p) => ({ ...base, reach: 'o' as const, scope_path: p })),
  ];
}

const keyOf = (r: Omit<NeedCountRow, 'n'>) =>
  `${r.reach}\u0000${r.scope_path}\u0000${r.status}\u0000${r.lead_org_id}\u0000${r.deadline}`;

const ROWS_PER_STATEMENT = 500;

/** Where a scope reads the counter; null for `own` (cases by their creator: read directly). */
export function counterScope(scope: Scope): { reach: 's' | 'o'; path: string } | null {
  switch (scope.kind) {
    case 'all':
      return { reach: 's', path: '' };
    case 'subtree':
      return { reach: 's', path: scope.path };
    case 'org':
      return { reach: 'o', path: scope.path };
    case 'own':
      return null;
  }
}

export const needCountsRepo = {
  /** The case's counted state as the tables hold it now (undefined: no such case). */
  async state(db: Queryable, scope: Scope, id: string): Promise<NeedCountState | undefined> {
    const n = await db
      .selectFrom('needs')
      .select(['status', 'lead_org_id', 'deadline', 'org_path'])
      .where('id', '=', id)
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id', owner: 'created_by' }))
      .executeTakeFirst();
    if (!n) return undefined;
    const h = await db
      .selectFrom('need_handlers')
      .select('org_path')
      .where('need_id', '=', id)
      .where('active', '=', 1)
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .execute();
    return { ...n, handler_paths: h.map((x) => x.org_path) };
  },

  /**
   * Adds rows to the counter, set-wise: rows of one key summed, zero sums dropped, the rest
   * upserted. Call it inside the transaction of the change.
   */
  async apply(db: Queryable, rows: readonly NeedCountRow[]) {
    const sum = new Map<string, NeedCountRow>();
    for (const r of rows) {
      const k = keyOf(r);
      const cur = sum.get(k);
      if (cur) cur.n += r.n;
      else sum.set(k, { ...r });
    }
    const out = [...sum.values()].filter((r) => r.n !== 0);
    for (let i = 0; i < out.length; i += ROWS_PER_STATEMENT)
      await db
        .insertInto('need_counts')
        .values(out.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc
            .columns(['reach', 'scope_path', 'status', 'lead_org_id', 'deadline'])
            .doUpdateSet((eb) => ({ n: eb('need_counts.n', '+', eb.ref('excluded.n')) })),
        )
        .execute();
  },

  /**
   * Runs a change of one case and moves the counter by the difference of the case's keys before
   * and after it, in the caller's transaction.
   */
  async around<T>(db: Queryable, id: string, change: () => Promise<T>): Promise<T> {
    const before = await this.state(db, SYSTEM_SCOPE, id);
    const result = await change();
    const after = await this.state(db, SYSTEM_SCOPE, id);
    await this.apply(db, [...(before ? needCountKeys(before, -1) : []), ...(after ? needCountKeys(after, 1) : [])]);
    return result;
  },

  /**
   * The counter as the base tables say it should be (what `rebuild` writes, with SYSTEM_SCOPE),
   * worked out in SQL; a narrower scope gives the rows its cases contribute.
   */
  async expected(db: Queryable, scope: Scope): Promise<NeedCountRow[]> {
    const handling = sql.join(HANDLING_STATUSES);
    const inScope = scopeWhere(expressionBuilder<Database, never>(), scope, {
      path: 'n.org_path',
      orgId: 'n.org_id',
      owner: 'n.created_by',
    });
    const r = await sql<NeedCountRow>`
      WITH up (path, anc) AS (
        -- every org path with each org path it starts with (itself included): the paths alone
        -- decide, so the rebuild inside an org move is right before the moved org's parent is set
        SELECT c.path, p.path FROM orgs c JOIN orgs p ON substr(c.path, 1, length(p.path)) = p.path
      ),
      reach (need_id, reach, scope_path) AS (
        SELECT id, 's', '' FROM needs
        UNION SELECT n.id, 's', up.anc FROM needs n JOIN up ON up.path = n.org_path
        UNION SELECT h.need_id, 's', up.anc FROM need_handlers h JOIN up ON up.path = h.org_path WHERE h.active = 1
        UNION SELECT id, 'o', org_path FROM needs
        UNION SELECT need_id, 'o', org_path FROM need_handlers WHERE active = 1
      )
      SELECT reach, scope_path, status, lead_org_id, deadline, count(*) AS n FROM (
        SELECT r.reach, r.scope_path, n.status, coalesce(n.lead_org_id, '') AS lead_org_id,
          CASE WHEN n.status IN (${handling}) AND n.deadline IS NOT NULL THEN n.deadline ELSE '' END AS deadline
        FROM reach r JOIN needs n ON n.id = r.need_id
        WHERE n.status <> 'merged' AND ${inScope}
      ) k
      GROUP BY reach, scope_path, status, lead_org_id, deadline`.execute(db);
    return r.rows.map((x) => ({ ...x, n: toNumber(x.n) }));
  },

  /** The maintained rows (zero rows left by changes dropped). */
  async stored(db: Queryable): Promise<NeedCountRow[]> {
    const rows = await db.selectFrom('need_counts').selectAll().where('n', '!=', 0).execute();
    return rows.map((r) => ({ ...r, reach: r.reach as 's' | 'o', n: toNumber(r.n) }));
  },

  /** Rewrites the counter from the base tables (after a bulk load, an org move, or a repair). */
  async rebuild(db: Queryable): Promise<number> {
    const rows = await this.expected(db, SYSTEM_SCOPE);
    await db.deleteFrom('need_counts').execute();
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
      await db
        .insertInto('need_counts')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .execute();
    return rows.length;
  },
};

/** Keys whose stored count is not the expected one (empty when the counter agrees with a rebuild). */
export function needCountDifferences(stored: readonly NeedCountRow[], expected: readonly NeedCountRow[]) {
  const want = new Map(expected.filter((r) => r.n !== 0).map((r) => [keyOf(r).replaceAll('\u0000', '|'), r.n]));
  const have = new Map(stored.filter((r) => r.n !== 0).map((r) => [keyOf(r).replaceAll('\u0000', '|'), r.n]));
  const out: { key: string; stored: number; expected: number }[] = [];
  for (const [k, n] of want) if (have.get(k) !== n) out.push({ key: k, stored: have.get(k) ?? 0, expected: n });
  for (const [k, n] of have) if (!want.has(k)) out.push({ key: k, stored: n, expected: 0 });
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}
