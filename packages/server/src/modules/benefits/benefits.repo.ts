import { CONFIRMATION_GRACE_MONTHS, nextMonth } from '@shuangyong/shared';
import { expressionBuilder, type OperationNodeSource, type RawBuilder, type Selectable, sql } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { bulkInsert } from '../../platform/db/bulk.js';
import { type DbHandle, type Queryable, toNumber } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import { updateVersioned } from '../../platform/db/versioned.js';
import { nowIso } from '../../platform/ids.js';
import { tick } from '../../platform/tick.js';
import type {
  BenefitAccountsTable,
  BenefitBackpayTable,
  BenefitConfirmationsTable,
  BenefitDiscrepanciesTable,
  BenefitReturnsTable,
  BenefitRosterLinesTable,
  BenefitRostersTable,
  BenefitStandardsTable,
} from './benefits.schema.js';

export type StandardRow = Selectable<BenefitStandardsTable>;
export type RosterRow = Selectable<BenefitRostersTable> & { org_name: string; open_discrepancies: number };
export type RosterLineRow = Selectable<BenefitRosterLinesTable>;
export type ConfirmationRow = Selectable<BenefitConfirmationsTable>;
export type DiscrepancyRow = Selectable<BenefitDiscrepanciesTable> & {
  org_name: string;
  owner_org_name: string | null;
};
export interface DiscrepancyFilter {
  status?: string;
  kind?: string;
  rosterId?: string;
  id?: string;
  /** Open with a deadline before this day (today: overdue). */
  overdueBefore?: string;
  /** Owned by this org (no user named) or by this user. */
  mine?: { orgId: string; userId: string };
}

/** The registry's read models (subqueries), handed in by the service: this repo never names its tables. */
export interface Basis {
  /** One row per (person, category): person_id, id_bi, name, id_masked, district_path, status, status_date, registered_at, code, start_date, end_date, disability_grade, disability_cause. */
  categories: OperationNodeSource;
  /** Accepted transfers: beneficiary_id, from_path, to_path, decided_at. */
  transfers: OperationNodeSource;
  /** Disability grade changes (decisions/0056): beneficiary_id, code, effective_date, from_month, grade_from, grade_to, cause_from, cause_to, document_no. */
  gradeChanges: OperationNodeSource;
}

/**
 * What a back-pay line owes its existence to: a new standard (its benefit type, everyone it
 * reaches), a late annual confirmation or a disability grade change recorded late (one person,
 * every type; decisions/0056).
 */
export type BackpayCause =
  | { standardId: string; benefitType: string }
  | { confirmationId: string; personId: string }
  | { gradeChangeId: string; personId: string };

/** The id of a back-pay cause and the column of `benefit_backpay` that names it. */
function causeKey(cause: BackpayCause) {
  if ('standardId' in cause) return { id: cause.standardId, column: 'standard_id' as const };
  if ('gradeChangeId' in cause) return { id: cause.gradeChangeId, column: 'grade_change_id' as const };
  return { id: cause.confirmationId, column: 'confirmation_id' as const };
}

const ROSTER_SCOPE = { path: 'r.org_path', orgId: 'r.org_id' } as const;
const DISC_SCOPE = { path: 'd.org_path', orgId: 'd.org_id' } as const;
/** A discrepancy is assigned or closed only while open. */
const OPEN = { where: { status: 'open' } };
/** Another district's roster, joined as `o` (reconciliation's "paid elsewhere"). */
const OTHER_ROSTER_SCOPE = { path: 'o.org_path', orgId: 'o.org_id' } as const;

/** `scopeWhere` for raw SQL: the scope's condition on the columns of one table alias. */
const inScope = (scope: Scope, cols: Parameters<typeof scopeWhere>[2]) =>
  scopeWhere(expressionBuilder<Database, never>(), scope, cols);

/** A text parameter with its type stated (PostgreSQL cannot infer one in a select list). */
const txt = (v: string) => sql`CAST(${v} AS text)`;

/** First day of a month as ISO date text: '2026-03' → '2026-03-01'. */
const startOf = (month: string) => `${month}-01`;

/**
 * The standards in force in `month` for a person-category row `p` (aliased so), one per key
 * (benefit type, category, grade band, layer, region): of several the latest start wins (then the
 * latest entered) — a new standard never edits an old one. `region` is the district the month is
 * paid by. Layers add up. `scope` limits the standards read (by their region); the callers read
 * the standards city-wide (SYSTEM_SCOPE): a district is paid by the city's and the province's too.
 */
function standardsJoin(scope: Scope, month: string, region: RawBuilder<unknown>, benefitType?: string) {
  return sql`JOIN benefit_standards s ON s.category = p.code
    AND ${inScope(scope, { path: 's.region_path' })}
    AND s.withdrawn_at IS NULL
    AND s.valid_from <= ${month} AND (s.valid_to IS NULL OR s.valid_to >= ${month})
    ${benefitType ? sql`AND s.benefit_type = ${benefitType}` : sql``}
    AND (s.grade_min IS NULL OR (p.disability_grade >= s.grade_min AND p.disability_grade <= s.grade_max))
    AND (s.disability_cause IS NULL OR s.disability_cause = p.disability_cause)
    AND (s.region_path = '' OR ${region} LIKE s.region_path || '%')
    AND NOT EXISTS (SELECT 1 FROM benefit_standards s2
      WHERE s2.category = s.category AND s2.benefit_type = s.benefit_type AND s2.layer = s.layer
        AND s2.region_path = s.region_path
        AND COALESCE(s2.grade_min, 0) = COALESCE(s.grade_min, 0) AND COALESCE(s2.grade_max, 0) = COALESCE(s.grade_max, 0)
        AND COALESCE(s2.disability_cause, '') = COALESCE(s.disability_cause, '')
        AND ${inScope(scope, { path: 's2.region_path' })}
        AND s2.withdrawn_at IS NULL
        AND s2.valid_from <= ${month} AND (s2.valid_to IS NULL OR s2.valid_to >= ${month})
        AND (s2.valid_from > s.valid_from OR (s2.valid_from = s.valid_from AND s2.created_at > s.created_at)))`;
}

/**
 * The person-category rows with the disability grade and 性质 in force in `month` (decisions/0056):
 * a change is paid from its `from_month` (the month after the decision), so a month before the
 * first change not yet in force is paid by that change's `grade_from` / `cause_from`; otherwise by
 * the category row's (the grade in force now). One index probe per graded row.
 */
function categoriesAt(basis: Basis, month: string) {
  const pending = sql`FROM (${basis.gradeChanges}) g
    WHERE g.beneficiary_id = c.person_id AND g.code = c.code AND g.from_month > ${month}
    ORDER BY g.from_month, g.effective_date LIMIT 1`;
  return sql`(SELECT c.person_id, c.id_bi, c.name, c.id_masked, c.org_id, c.org_path, c.district_path, c.status,
      c.status_date, c.registered_at, c.code, c.start_date, c.end_date,
      CASE WHEN c.disability_grade IS NULL THEN NULL
        ELSE COALESCE((SELECT g.grade_from ${pending}), c.disability_grade) END AS disability_grade,
      CASE WHEN c.disability_grade IS NULL THEN c.disability_cause
        WHEN EXISTS (SELECT 1 ${pending}) THEN (SELECT g.cause_from ${pending})
        ELSE c.disability_cause END AS disability_cause
    FROM (${basis.categories}) c)`;
}

/**
 * Is the annual confirmation (年度确认) of person-category row `p` in place for `month`
 * (decisions/0045)? A month of year Y needs the confirmation of Y; in the first
 * CONFIRMATION_GRACE_MONTHS months that of Y − 1 still holds. The year a person was registered
 * needs none (the register was checked on entry), nor do the years before it. `scope` limits the
 * confirmations read.
 */
export function confirmedRule(scope: Scope, month: string) {
  const year = Number(month.slice(0, 4));
  const grace = Number(month.slice(5, 7)) <= CONFIRMATION_GRACE_MONTHS;
  const years = grace ? [year, year - 1] : [year];
  return sql`(p.registered_at >= ${String(years.at(-1))}
    OR EXISTS (SELECT 1 FROM benefit_confirmations cf
      WHERE cf.beneficiary_id = p.person_id AND cf.year IN (${sql.join(years)})
        AND ${inScope(scope, { path: 'cf.org_path', orgId: 'cf.org_id' })}))`;
}

/**
 * Is person-category row `p` owed anything for `month`? The category holds in the month (started
 * before its end, not ended before its start); the person is active, or died / left the city in
 * or after the month (the month of death is paid in full), or was suspended only after it; and
 * the annual confirmation is in place (`confirmedRule`).
 */
function monthRule(scope: Scope, month: string) {
  const start = startOf(month);
  const next = startOf(nextMonth(month));
  return sql`(p.start_date IS NULL OR p.start_date < ${next})
    AND (p.end_date IS NULL OR p.end_date >= ${start})
    AND (p.status = 'active'
      OR (p.status IN ('deceased', 'moved_out') AND p.status_date >= ${start})
      OR (p.status = 'suspended' AND p.status_date >= ${next}))
    AND ${confirmedRule(scope, month)}`;
}

/**
 * The people a district pays for `month` (decisions/0039): those registered there now who have
 * not moved since the month began, and those who moved away in or after the month from there
 * (the old district pays through the month of the transfer, the new one from the next month).
 * Two disjoint sets, so each is one index-driven walk.
 */
function districtParts(basis: Basis, month: string, district: string) {
  const start = startOf(month);
  const stayed = sql`p.district_path = ${district} AND NOT EXISTS (SELECT 1 FROM (${basis.transfers}) t
    WHERE t.beneficiary_id = p.person_id AND t.decided_at >= ${start})`;
  const movedAway = sql`p.person_id IN (SELECT t.beneficiary_id FROM (${basis.transfers}) t
    WHERE t.decided_at >= ${start} AND t.from_path LIKE ${`${district}%`}
      AND NOT EXISTS (SELECT 1 FROM (${basis.transfers}) t2
        WHERE t2.beneficiary_id = t.beneficiary_id AND t2.decided_at >= ${start} AND t2.decided_at < t.decided_at))`;
  return [stayed, movedAway];
}

/**
 * Entitlement of one month, set-wise: one row per (person, benefit type) with the amount in fen —
 * of one district (who it pays that month) or of the whole city. One statement, no per-person loop.
 * `scope` limits the standards and confirmations read (`standardsJoin`, `confirmedRule`).
 */
export function entitlementSql(
  scope: Scope,
  basis: Basis,
  opts: { month: string; district?: string; benefitType?: string; personId?: string },
): RawBuilder<{
  person_id: string;
  id_bi: string;
  name: string;
  id_masked: string;
  benefit_type: string;
  amount_fen: number;
}> {
  const region = opts.district ? sql`${opts.district}` : sql`p.district_path`;
  const part = (where: RawBuilder<unknown>) => sql`SELECT p.person_id, p.id_bi, p.name, p.id_masked, s.benefit_type,
      SUM(s.amount_fen) AS amount_fen
    FROM ${categoriesAt(basis, opts.month)} p
    ${standardsJoin(scope, opts.month, region, opts.benefitType)}
    WHERE ${monthRule(scope, opts.month)} AND ${where}
      ${opts.personId ? sql`AND p.person_id = ${opts.personId}` : sql``}
    GROUP BY p.person_id, p.id_bi, p.name, p.id_masked, s.benefit_type
    HAVING SUM(s.amount_fen) > 0`;
  if (!opts.district) return part(sql`1 = 1`) as never;
  const [stayed, movedAway] = districtParts(basis, opts.month, opts.district);
  return sql`${part(stayed!)} UNION ALL ${part(movedAway!)}` as never;
}

/** What a person is owed of one benefit type in one month. */
export interface EntitlementRow {
  person_id: string;
  id_bi: string;
  name: string;
  id_masked: string;
  benefit_type: string;
  amount_fen: number;
}

/** Names of the rosters, standards and discrepancies among `ids` the scope sees (the audit log's labels). */
export const benefitLabels = {
  rosters(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('benefit_rosters as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .select(['r.id', sql<string>`o.name || ' ' || r.period`.as('label')])
      .where('r.id', 'in', [...ids])
      .where((eb) => scopeWhere(eb, scope, ROSTER_SCOPE))
      .execute();
  },
  standards(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('benefit_standards')
      .select(['id', sql<string>`doc_no || ' ' || valid_from`.as('label')])
      .where('id', 'in', [...ids])
      .where((eb) => scopeWhere(eb, scope, { path: 'region_path' }))
      .execute();
  },
  discrepancies(db: Queryable, scope: Scope, ids: readonly string[]) {
    return db
      .selectFrom('benefit_discrepancies as d')
      .select(['d.id', sql<string>`d.period || ' ' || d.id_masked`.as('label')])
      .where('d.id', 'in', [...ids])
      .where((eb) => scopeWhere(eb, scope, DISC_SCOPE))
      .execute();
  },
};

/** Every query on the benefits tables (the module owns them; nobody else names them). */
/** A roster's lines summed per person, in the one order `rosterPersons` and `rosterAmounts` share. */
function rosterGroups(db: Queryable, scope: Scope, rosterId: string) {
  return db
    .selectFrom('benefit_roster_lines')
    .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
    .where('roster_id', '=', rosterId)
    .select((eb) => eb.fn.sum<number>('amount_fen').as('fen'))
    .groupBy(['beneficiary_id', 'id_bi', 'name', 'id_masked'])
    .orderBy('name')
    .orderBy('beneficiary_id')
    .orderBy('id_bi')
    .orderBy('id_masked');
}

export const benefitsRepo = {
  // ---- standards
  standards(db: Queryable, scope: Scope, f: { benefitType?: string; category?: string; includeWithdrawn?: boolean }) {
    let q = db
      .selectFrom('benefit_standards')
      .where((eb) => scopeWhere(eb, scope, { path: 'region_path' }))
      .selectAll();
    if (f.benefitType) q = q.where('benefit_type', '=', f.benefitType);
    if (f.category) q = q.where('category', '=', f.category);
    if (!f.includeWithdrawn) q = q.where('withdrawn_at', 'is', null);
    return q.orderBy('category').orderBy('benefit_type').orderBy('layer').orderBy('valid_from', 'desc').execute();
  },
  standard(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('benefit_standards')
      .where((eb) => scopeWhere(eb, scope, { path: 'region_path' }))
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  },
  insertStandard(db: Queryable, row: StandardRow) {
    return db.insertInto('benefit_standards').values(row).execute();
  },
  withdrawStandard(db: Queryable, id: string, at: string) {
    return db
      .updateTable('benefit_standards')
      .set({ withdrawn_at: at })
      .where('id', '=', id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
  },

  /** A district org (joinable orgs table) inside the scope. */
  org(db: Queryable, id: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'name', 'type']).where('id', '=', id).executeTakeFirst();
  },
  /** A registered person's name and masked ID number, through the registry's read model. */
  async personName(db: Queryable, basis: Basis, personId: string) {
    const { rows } = await sql<{ name: string; id_masked: string }>`SELECT c.name, c.id_masked
      FROM (${basis.categories}) c WHERE c.person_id = ${personId}`.execute(db);
    return rows[0];
  },
  /** Orgs in scope by path (the caller keeps the districts). */
  districtOrgs(db: Queryable, scope: Scope) {
    return db
      .selectFrom('orgs')
      .select(['id', 'path', 'name', 'type'])
      .where((eb) => scopeWhere(eb, scope, { path: 'path', orgId: 'id' }))
      .orderBy('path')
      .execute();
  },
  orgByPath(db: Queryable, path: string) {
    return db.selectFrom('orgs').select(['id', 'path', 'name', 'type']).where('path', '=', path).executeTakeFirst();
  },

  /** Entitlement rows of one month (see `entitlementSql`). */
  async entitlement(
    db: Queryable,
    scope: Scope,
    basis: Basis,
    opts: Parameters<typeof entitlementSql>[2],
  ): Promise<EntitlementRow[]> {
    return (await entitlementSql(scope, basis, opts).execute(db)).rows.map((r) => ({
      ...r,
      amount_fen: toNumber(r.amount_fen),
    }));
  },

  /** Count and sum of a month's entitlement (benchmarks, totals), computed in the database. */
  async entitlementTotals(db: Queryable, scope: Scope, basis: Basis, opts: Parameters<typeof entitlementSql>[2]) {
    const { rows } = await sql<{ n: number; fen: number | null }>`SELECT COUNT(*) AS n, SUM(e.amount_fen) AS fen
      FROM (${entitlementSql(scope, basis, opts)}) e`.execute(db);
    return { lines: toNumber(rows[0]?.n ?? 0), fen: toNumber(rows[0]?.fen ?? 0) };
  },

  /** Names of the orgs standards are scoped to (a standard's region), by path. */
  regionNames(db: Queryable, scope: Scope) {
    return db
      .selectFrom('orgs')
      .select(['path', 'name'])
      .where(
        'path',
        'in',
        db
          .selectFrom('benefit_standards')
          .where((eb) => scopeWhere(eb, scope, { path: 'region_path' }))
          .select('region_path')
          .where('region_path', '!=', ''),
      )
      .execute();
  },

  /**
   * The standards behind one person's month, for the explanation ("残疾军人 6级→5级 因公 …"), with
   * the grade change in force that month, if any (decisions/0056), and each standard's region.
   */
  async explainRows(db: Queryable, scope: Scope, basis: Basis, personId: string, month: string) {
    const inForce = (col: string) => sql`(SELECT ${sql.ref(`g.${col}`)} FROM (${basis.gradeChanges}) g
      WHERE g.beneficiary_id = p.person_id AND g.code = p.code AND g.from_month <= ${month}
      ORDER BY g.from_month DESC, g.effective_date DESC LIMIT 1)`;
    const { rows } = await sql<{
      code: string;
      disability_grade: number | null;
      disability_cause: string | null;
      benefit_type: string;
      layer: string;
      amount_fen: number;
      valid_from: string;
      doc_no: string;
      change_grade_from: number | null;
      change_effective_date: string | null;
      change_document_no: string | null;
      change_from_month: string | null;
      region_path: string;
    }>`SELECT p.code, p.disability_grade, p.disability_cause, s.benefit_type, s.layer, s.amount_fen, s.valid_from, s.doc_no,
        s.region_path,
        ${inForce('grade_from')} AS change_grade_from, ${inForce('effective_date')} AS change_effective_date,
        ${inForce('document_no')} AS change_document_no, ${inForce('from_month')} AS change_from_month
      FROM ${categoriesAt(basis, month)} p
      ${standardsJoin(scope, month, sql`p.district_path`)}
      WHERE ${monthRule(scope, month)} AND p.person_id = ${personId}
      ORDER BY s.benefit_type, CASE s.layer WHEN 'national' THEN 0 WHEN 'province' THEN 1 ELSE 2 END`.execute(db);
    return rows.map((r) => ({
      ...r,
      amount_fen: toNumber(r.amount_fen),
      change_grade_from: r.change_grade_from == null ? null : toNumber(r.change_grade_from),
    }));
  },

  // ---- rosters
  rosters(db: Queryable, scope: Scope, f: { period?: string; status?: string; ids?: string[] }) {
    let q = db
      .selectFrom('benefit_rosters as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .where((eb) => scopeWhere(eb, scope, ROSTER_SCOPE));
    if (f.period) q = q.where('r.period', '=', f.period);
    if (f.status) q = q.where('r.status', '=', f.status);
    if (f.ids) q = q.where('r.id', 'in', f.ids.length ? f.ids : ['']);
    return q;
  },
  async rosterPage(db: Queryable, scope: Scope, f: { period?: string; status?: string }, page: number, size: number) {
    const [items, total] = await Promise.all([
      this.rosters(db, scope, f)
        .selectAll('r')
        .select('o.name as org_name')
        .select((eb) =>
          eb
            .selectFrom('benefit_discrepancies as d')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('d.roster_id', '=', 'r.id')
            .where('d.status', '=', 'open')
            .as('open_discrepancies'),
        )
        .orderBy('r.period_from', 'desc')
        .orderBy('o.path')
        .limit(size)
        .offset((page - 1) * size)
        .execute(),
      this.rosters(db, scope, f)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: items.map((r) => ({ ...r, open_discrepancies: toNumber(r.open_discrepancies) })) as RosterRow[],
      total: toNumber(total.n),
    };
  },
  async roster(db: Queryable, scope: Scope, id: string): Promise<RosterRow | undefined> {
    const r = await this.rosters(db, scope, { ids: [id] })
      .selectAll('r')
      .select('o.name as org_name')
      .select((eb) =>
        eb
          .selectFrom('benefit_discrepancies as d')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('d.roster_id', '=', 'r.id')
          .where('d.status', '=', 'open')
          .as('open_discrepancies'),
      )
      .executeTakeFirst();
    return r ? ({ ...r, open_discrepancies: toNumber(r.open_discrepancies) } as RosterRow) : undefined;
  },
  rosterFor(db: Queryable, scope: Scope, orgPath: string, period: string) {
    return db
      .selectFrom('benefit_rosters')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('org_path', '=', orgPath)
      .where('period', '=', period)
      .executeTakeFirst();
  },
  insertRoster(db: Queryable, row: Selectable<BenefitRostersTable>) {
    return db.insertInto('benefit_rosters').values(row).execute();
  },
  /** False when the roster's version moved on (the caller answers 409). */
  updateRoster(db: Queryable, id: string, version: number, set: Partial<Selectable<BenefitRostersTable>>) {
    return updateVersioned(db, 'benefit_rosters', id, version, set);
  },

  /** Counts and sums of a roster just (re)built; a rebuilt draft gets a new version. */
  setTotals(
    db: Queryable,
    id: string,
    set: { line_count: number; total_fen: number; updated_at: string },
    bump: boolean,
  ) {
    return db
      .updateTable('benefit_rosters')
      .set((eb) => ({ ...set, version: bump ? eb('version', '+', 1) : eb.ref('version') }))
      .where('id', '=', id)
      .execute();
  },

  /** Clears a draft roster's lines and gives its back-pay lines back (regenerating). */
  async clearRoster(db: Queryable, rosterId: string) {
    await db.updateTable('benefit_backpay').set({ roster_id: null }).where('roster_id', '=', rosterId).execute();
    await db.deleteFrom('benefit_roster_lines').where('roster_id', '=', rosterId).execute();
  },

  /**
   * The entitlement rows of a district for some months (one statement per month), read where
   * `db` is — the SQLite readers' worker threads for a roster (decisions/0031), so the scan never
   * holds the event loop.
   */
  async districtEntitlement(db: Queryable, scope: Scope, basis: Basis, district: string, months: readonly string[]) {
    const out: { month: string; rows: EntitlementRow[] }[] = [];
    for (const month of months)
      out.push({ month, rows: await this.entitlement(db, scope, basis, { month, district }) });
    return out;
  },

  /**
   * Fills a roster: the months' entitlement computed beforehand (`districtEntitlement`), inserted in
   * chunks with a turn of the loop between, and the back pay the district owes that is on no roster
   * yet (one INSERT … SELECT); then counts and sums it. `scope` limits the back pay and lines read.
   */
  async fillRoster(
    db: Queryable,
    scope: Scope,
    basis: Basis,
    roster: { id: string; org_path: string },
    entitled: readonly { month: string; rows: readonly EntitlementRow[] }[],
  ) {
    for (const { month, rows } of entitled)
      for (let i = 0; i < rows.length; i += 500) {
        await db
          .insertInto('benefit_roster_lines')
          .values(
            rows.slice(i, i + 500).map((e) => ({
              id: `${roster.id}:${month}:${e.person_id}:${e.benefit_type}`,
              roster_id: roster.id,
              org_path: roster.org_path,
              beneficiary_id: e.person_id,
              id_bi: e.id_bi,
              name: e.name,
              id_masked: e.id_masked,
              month,
              benefit_type: e.benefit_type,
              kind: 'regular',
              amount_fen: e.amount_fen,
            })),
          )
          .execute();
        await tick();
      }
    await sql`INSERT INTO benefit_roster_lines
        (id, roster_id, org_path, beneficiary_id, id_bi, name, id_masked, month, benefit_type, kind, amount_fen)
      SELECT ${txt(roster.id)} || ':bp:' || bp.id, ${txt(roster.id)}, ${txt(roster.org_path)}, bp.beneficiary_id, p.id_bi, p.name,
        p.id_masked, bp.month, bp.benefit_type, 'backpay', bp.owed_fen
      FROM benefit_backpay bp
      JOIN (SELECT DISTINCT c.person_id, c.id_bi, c.name, c.id_masked FROM (${basis.categories}) c) p
        ON p.person_id = bp.beneficiary_id
      WHERE bp.org_path = ${roster.org_path} AND bp.roster_id IS NULL
        AND ${inScope(scope, { path: 'bp.org_path' })}`.execute(db);
    await db
      .updateTable('benefit_backpay')
      .set({ roster_id: roster.id })
      .where('org_path', '=', roster.org_path)
      .where('roster_id', 'is', null)
      .execute();
    const t = await db
      .selectFrom('benefit_roster_lines')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('fen')])
      .where('roster_id', '=', roster.id)
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .executeTakeFirstOrThrow();
    return { lines: toNumber(t.n), fen: toNumber(t.fen ?? 0) };
  },

  rosterLines(db: Queryable, scope: Scope, rosterId: string, page?: { page: number; size: number }) {
    let q = db
      .selectFrom('benefit_roster_lines')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .selectAll()
      .where('roster_id', '=', rosterId)
      .orderBy('name')
      .orderBy('beneficiary_id')
      .orderBy('month')
      .orderBy('benefit_type');
    if (page) q = q.limit(page.size).offset((page.page - 1) * page.size);
    return q.execute();
  },
  async rosterLineCount(db: Queryable, scope: Scope, rosterId: string) {
    const r = await db
      .selectFrom('benefit_roster_lines')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('roster_id', '=', rosterId)
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },

  /**
   * What the roster pays each person (all lines summed): the bank list, and the texts of the people
   * a reconciliation names (`bis`: only those blind indexes, the same groups in the same order).
   */
  async rosterPersons(db: Queryable, scope: Scope, rosterId: string, bis?: readonly string[]) {
    if (bis && !bis.length) return [];
    const rows = await rosterGroups(db, scope, rosterId)
      .select(['beneficiary_id', 'id_bi', 'name', 'id_masked'])
      .$if(bis !== undefined, (qb) => qb.where('id_bi', 'in', bis!))
      .execute();
    return rows.map((r) => ({ ...r, fen: toNumber(r.fen) }));
  },

  /**
   * The groups of `rosterPersons` in the same order, each only as its blind index and amount (`fen`
   * as the driver gives it: `toNumber` it): what a reconciliation holds of its roster while it
   * reads the file — no texts per person (decisions/0070). Streamed `chunk` rows at a time: a
   * district's roster is tens of thousands of groups, and received (SQLite) or parsed (pg) at once
   * they held the event loop for up to 180 ms (decisions/0075).
   */
  rosterAmounts(db: Queryable, scope: Scope, rosterId: string, chunk: number) {
    return rosterGroups(db, scope, rosterId).select('id_bi').stream(chunk);
  },

  // ---- back pay
  /**
   * Back pay for one month a district has already paid (a released roster's month), set-wise: what
   * the district owes each person for that month now, minus what released rosters paid for it and
   * the back pay already owed. The cause is a new standard (its benefit type only), a late annual
   * confirmation or a late grade change (one person, every type). Only reads: run it where `db` is — the SQLite readers for
   * the back-pay job (decisions/0057), so the district-month's scan never holds the event loop —
   * and write the rows with `insertBackpay`. `scope` limits every table read (`paidDifferences`).
   */
  async backpayRows(
    db: Queryable,
    scope: Scope,
    basis: Basis,
    at: { org_path: string; month: string },
    cause: BackpayCause,
    now: string,
  ): Promise<Selectable<BenefitBackpayTable>[]> {
    const key = causeKey(cause);
    const causeId = key.id;
    const rows = await this.paidDifferences(db, scope, basis, at, cause, 'owed');
    return rows.map((r) => {
      const due = toNumber(r.due_fen);
      const paid = toNumber(r.paid_fen);
      return {
        id: `${causeId}:${at.org_path}:${r.beneficiary_id}:${at.month}:${r.benefit_type}`,
        org_path: at.org_path,
        beneficiary_id: r.beneficiary_id,
        month: at.month,
        benefit_type: r.benefit_type,
        standard_id: key.column === 'standard_id' ? causeId : null,
        confirmation_id: key.column === 'confirmation_id' ? causeId : null,
        grade_change_id: key.column === 'grade_change_id' ? causeId : null,
        due_fen: due,
        paid_fen: paid,
        owed_fen: due - paid,
        roster_id: null,
        created_at: now,
      };
    });
  },

  /**
   * Per person and benefit type of one district-month already paid: what is due now and what was
   * paid (released rosters' lines of the month, and back pay owed on no released roster yet) —
   * `owed` keeps the rows where more is due than was paid (back pay), `overpaid` those where more
   * was paid than is due (a grade lowered late, decisions/0065). `paid_fen` is the sum of
   * `released_fen` (released rosters) and `pending_fen` (back pay on no released roster yet, which
   * a grade lowered late cuts, decisions/0073). Only reads; `scope` limits every table read (the
   * entitlement's standards and confirmations, the rosters' lines, the back pay).
   */
  async paidDifferences(
    db: Queryable,
    scope: Scope,
    basis: Basis,
    at: { org_path: string; month: string },
    cause: BackpayCause,
    which: 'owed' | 'overpaid',
  ) {
    const byStandard = 'standardId' in cause;
    const e = entitlementSql(scope, basis, {
      month: at.month,
      district: at.org_path,
      ...(byStandard ? { benefitType: cause.benefitType } : { personId: cause.personId }),
    });
    const owed = sql`e.amount_fen - COALESCE(r.fen, 0) - COALESCE(o.fen, 0)`;
    const typeFilter = (col: string) => (byStandard ? sql`AND ${sql.ref(col)} = ${cause.benefitType}` : sql``);
    const { rows } = await sql<{
      beneficiary_id: string;
      benefit_type: string;
      due_fen: unknown;
      paid_fen: unknown;
      released_fen: unknown;
      pending_fen: unknown;
    }>`
      SELECT e.person_id AS beneficiary_id, e.benefit_type, e.amount_fen AS due_fen,
        COALESCE(r.fen, 0) + COALESCE(o.fen, 0) AS paid_fen, COALESCE(r.fen, 0) AS released_fen,
        COALESCE(o.fen, 0) AS pending_fen
      FROM (${e}) e
      LEFT JOIN (SELECT l.beneficiary_id, l.benefit_type, SUM(l.amount_fen) AS fen FROM benefit_roster_lines l
          JOIN benefit_rosters x ON x.id = l.roster_id AND x.status IN ('released', 'reconciled')
          WHERE l.month = ${at.month} ${typeFilter('l.benefit_type')} AND ${inScope(scope, { path: 'l.org_path' })}
          GROUP BY l.beneficiary_id, l.benefit_type) r ON r.beneficiary_id = e.person_id AND r.benefit_type = e.benefit_type
      LEFT JOIN (SELECT b.beneficiary_id, b.benefit_type, SUM(b.owed_fen) AS fen FROM benefit_backpay b
          WHERE b.month = ${at.month} ${typeFilter('b.benefit_type')} AND ${inScope(scope, { path: 'b.org_path' })}
            AND (b.roster_id IS NULL OR b.roster_id IN (SELECT y.id FROM benefit_rosters y WHERE y.status IN ('draft', 'pending')))
          GROUP BY b.beneficiary_id, b.benefit_type) o ON o.beneficiary_id = e.person_id AND o.benefit_type = e.benefit_type
      WHERE ${owed} ${which === 'owed' ? sql`> 0` : sql`< 0`}
      ORDER BY e.person_id, e.benefit_type`.execute(db);
    return rows;
  },

  /**
   * The overpayment of one person's district-month after a grade lowered late (decisions/0065):
   * over the benefit types paid more than is due now, what is due and what was paid, less what
   * other changes' cases already found overpaid for that month (each month is recovered once).
   * Null when nothing is overpaid. Only reads; `scope` limits every table read.
   */
  async gradeOverpaid(
    db: Queryable,
    scope: Scope,
    basis: Basis,
    at: { org_path: string; month: string },
    cause: { gradeChangeId: string; personId: string },
  ) {
    const rows = await this.paidDifferences(db, scope, basis, at, cause, 'overpaid');
    if (!rows.length) return null;
    let due = 0;
    let paid = 0;
    for (const r of rows) {
      due += toNumber(r.due_fen);
      paid += toNumber(r.paid_fen);
    }
    const found = await db
      .selectFrom('benefit_discrepancies')
      .select((eb) => eb.fn.sum<number>(eb('paid_fen', '-', eb.ref('expected_fen'))).as('fen'))
      .where('beneficiary_id', '=', cause.personId)
      .where('month', '=', at.month)
      .where('kind', '=', 'grade_overpaid')
      .where('grade_change_id', '!=', cause.gradeChangeId)
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .executeTakeFirstOrThrow();
    const earlier = toNumber(found.fen ?? 0);
    if (paid - due - earlier <= 0) return null;
    // the earlier cases' overpayment counts as already expected back
    return { expected_fen: due + earlier, paid_fen: paid };
  },

  /**
   * The back-pay lines of one person, month and benefit type owed on no released roster yet (none,
   * or a draft or pending one): what a grade lowered late cuts first (decisions/0073), newest first.
   */
  pendingBackpay(db: Queryable, scope: Scope, personId: string, month: string, benefitType: string) {
    return db
      .selectFrom('benefit_backpay as b')
      .leftJoin('benefit_rosters as y', 'y.id', 'b.roster_id')
      .select([
        'b.id',
        'b.org_path',
        'b.owed_fen',
        'b.roster_id',
        'b.standard_id',
        'b.confirmation_id',
        'b.grade_change_id',
      ])
      .where('b.beneficiary_id', '=', personId)
      .where('b.month', '=', month)
      .where('b.benefit_type', '=', benefitType)
      .where((eb) => eb.or([eb('b.roster_id', 'is', null), eb('y.status', 'in', ['draft', 'pending'])]))
      .where((eb) => scopeWhere(eb, scope, { path: 'b.org_path' }))
      .orderBy('b.created_at', 'desc')
      .orderBy('b.id', 'desc')
      .execute();
  },

  /**
   * Cuts back-pay lines not yet released (`pendingBackpay`) to `owed_fen` (decisions/0073): a line
   * cut to nothing is deleted, one cut part-way owes less (its due with it); a draft or pending
   * roster carrying it has its line cut or dropped the same way and its totals counted again, with
   * a new version (who decides sees it changed). `scope` limits the roster lines read.
   */
  async cutBackpay(
    db: Queryable,
    scope: Scope,
    cuts: readonly { id: string; roster_id: string | null; from_fen: number; owed_fen: number }[],
    now: string,
  ) {
    const rosters = new Set<string>();
    for (const c of cuts) {
      const line = c.roster_id ? `${c.roster_id}:bp:${c.id}` : null;
      if (c.owed_fen <= 0) {
        await db.deleteFrom('benefit_backpay').where('id', '=', c.id).execute();
        if (line) await db.deleteFrom('benefit_roster_lines').where('id', '=', line).execute();
      } else {
        const by = c.from_fen - c.owed_fen;
        await db
          .updateTable('benefit_backpay')
          .set((eb) => ({ owed_fen: c.owed_fen, due_fen: eb('due_fen', '-', by) }))
          .where('id', '=', c.id)
          .execute();
        if (line)
          await db.updateTable('benefit_roster_lines').set({ amount_fen: c.owed_fen }).where('id', '=', line).execute();
      }
      if (c.roster_id) rosters.add(c.roster_id);
    }
    for (const id of rosters) {
      const t = await db
        .selectFrom('benefit_roster_lines')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_fen').as('fen')])
        .where('roster_id', '=', id)
        .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
        .executeTakeFirstOrThrow();
      await this.setTotals(
        db,
        id,
        { line_count: toNumber(t.n), total_fen: toNumber(t.fen ?? 0), updated_at: now },
        true,
      );
    }
  },

  /** The grade-overpaid cases a change opened in one district-month (all runs together). */
  async gradeOverpaidOf(db: Queryable, scope: Scope, at: { org_path: string; month: string }, gradeChangeId: string) {
    const t = await db
      .selectFrom('benefit_discrepancies')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb('paid_fen', '-', eb.ref('expected_fen'))).as('fen'),
      ])
      .where('grade_change_id', '=', gradeChangeId)
      .where('month', '=', at.month)
      .where('org_path', '=', at.org_path)
      .executeTakeFirstOrThrow();
    return { cases: toNumber(t.n), fen: toNumber(t.fen ?? 0) };
  },

  /**
   * Writes back-pay rows computed by `backpayRows`, `chunk` per statement (each committed on its
   * own outside a transaction) with a turn of the loop between. A row already there (a rerun, a
   * race with another run) is left as it is: a line's id is its cause, district, person, month, type.
   */
  async insertBackpay(db: Queryable, rows: readonly Selectable<BenefitBackpayTable>[], chunk = 500) {
    for (let i = 0; i < rows.length; i += chunk) {
      await db
        .insertInto('benefit_backpay')
        .values(rows.slice(i, i + chunk))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      if (i + chunk < rows.length) await tick();
    }
  },

  /** The lines and fen a cause owes in one district-month (all runs together). */
  async backpayOf(db: Queryable, scope: Scope, at: { org_path: string; month: string }, cause: BackpayCause) {
    const key = causeKey(cause);
    const t = await db
      .selectFrom('benefit_backpay')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('owed_fen').as('fen')])
      .where(key.column, '=', key.id)
      .where('month', '=', at.month)
      .where('org_path', '=', at.org_path)
      .executeTakeFirstOrThrow();
    return { lines: toNumber(t.n), fen: toNumber(t.fen ?? 0) };
  },

  /** Released rosters paying any month of from..to (money has gone out for those months). */
  paidRosters(db: Queryable, scope: Scope, from: string, to: string | null, regionPath: string) {
    let q = db
      .selectFrom('benefit_rosters')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'org_id', 'org_path', 'period', 'period_from', 'period_to'])
      .where('status', 'in', ['released', 'reconciled'])
      .where('period_to', '>=', from);
    if (to) q = q.where('period_from', '<=', to);
    if (regionPath) q = q.where('org_path', 'like', `${regionPath}%`);
    return q.orderBy('period_from').execute();
  },

  /** Another roster of the district paying one of these months (a month is paid by one roster only). */
  overlappingRoster(db: Queryable, scope: Scope, orgPath: string, from: string, to: string, period: string) {
    return db
      .selectFrom('benefit_rosters')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'period'])
      .where('org_path', '=', orgPath)
      .where('period_from', '<=', to)
      .where('period_to', '>=', from)
      .where('period', '!=', period)
      .executeTakeFirst();
  },

  // ---- annual confirmation
  confirmation(db: Queryable, scope: Scope, beneficiaryId: string, year: number) {
    return db
      .selectFrom('benefit_confirmations')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .where('year', '=', year)
      .executeTakeFirst();
  },
  confirmationById(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('benefit_confirmations')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  },
  insertConfirmation(db: Queryable, row: Selectable<BenefitConfirmationsTable>) {
    return db.insertInto('benefit_confirmations').values(row).execute();
  },
  confirmations(db: Queryable, scope: Scope, f: { year?: number; beneficiaryId?: string }) {
    let q = db
      .selectFrom('benefit_confirmations as c')
      .selectAll('c')
      .where((eb) => scopeWhere(eb, scope, { path: 'c.org_path', orgId: 'c.org_id' }));
    if (f.year) q = q.where('c.year', '=', f.year);
    if (f.beneficiaryId) q = q.where('c.beneficiary_id', '=', f.beneficiaryId);
    return q.orderBy('c.year', 'desc').orderBy('c.confirmed_on', 'desc').limit(500).execute();
  },
  /**
   * People of a district owed something in `month` but for the annual confirmation: the worklist
   * of whom to call in (one row per person, the first 500 by name).
   */
  async unconfirmed(db: Queryable, scope: Scope, basis: Basis, month: string, district: string) {
    const start = startOf(month);
    const next = startOf(nextMonth(month));
    const { rows } = await sql<{
      person_id: string;
      name: string;
      id_masked: string;
    }>`SELECT DISTINCT p.person_id, p.name,
        p.id_masked
      FROM ${categoriesAt(basis, month)} p
      ${standardsJoin(scope, month, sql`p.district_path`)}
      WHERE p.district_path LIKE ${`${district}%`}
        AND (p.start_date IS NULL OR p.start_date < ${next}) AND (p.end_date IS NULL OR p.end_date >= ${start})
        AND p.status = 'active' AND NOT ${confirmedRule(scope, month)}
      ORDER BY p.name, p.person_id
      LIMIT 500`.execute(db);
    return rows;
  },

  // ---- bank accounts
  account(db: Queryable, scope: Scope, beneficiaryId: string) {
    return db
      .selectFrom('benefit_accounts')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .selectAll()
      .where('beneficiary_id', '=', beneficiaryId)
      .executeTakeFirst();
  },
  async saveAccount(db: Queryable, row: Selectable<BenefitAccountsTable>) {
    await db.deleteFrom('benefit_accounts').where('beneficiary_id', '=', row.beneficiary_id).execute();
    await db.insertInto('benefit_accounts').values(row).execute();
  },
  /** Sealed and masked accounts of some people (the bank list, the roster's lines). */
  accounts(db: Queryable, scope: Scope, beneficiaryIds: readonly string[]) {
    return db
      .selectFrom('benefit_accounts')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['beneficiary_id', 'bank_name', 'account_enc', 'account_masked'])
      .where('beneficiary_id', 'in', beneficiaryIds.length ? [...beneficiaryIds] : [''])
      .execute();
  },

  // ---- returns and discrepancies
  /** Return lines of one import, in statements of 500 rows (bulkInsert), each committed on its own. */
  insertReturns(handle: DbHandle, rows: Selectable<BenefitReturnsTable>[]) {
    return bulkInsert(handle, 'benefit_returns', rows as unknown as Record<string, unknown>[]);
  },
  /** Rows of the roster's return files other than the batch in force (an earlier import, a crashed run), some at a time. */
  async deleteStaleReturns(db: Queryable, scope: Scope, rosterId: string, keepBatch: string | null, limit: number) {
    const res = await db
      .deleteFrom('benefit_returns')
      .where(
        'id',
        'in',
        db
          .selectFrom('benefit_returns')
          .where((eb) => scopeWhere(eb, scope, { path: 'org_path' }))
          .select('id')
          .where('roster_id', '=', rosterId)
          .where((eb) =>
            keepBatch === null ? eb.val(true) : eb.or([eb('batch_id', 'is', null), eb('batch_id', '!=', keepBatch)]),
          )
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  },
  /** Reconciliation's cases of the roster (a late grade's overpayment is not the file's, decisions/0065). */
  clearDiscrepancies(db: Queryable, rosterId: string) {
    return db
      .deleteFrom('benefit_discrepancies')
      .where('roster_id', '=', rosterId)
      .where('grade_change_id', 'is', null)
      .execute();
  },
  /**
   * Blind indexes paid by the file in force of another roster whose months overlap `from`..`to` —
   * another district's, monthly or quarterly (a district's own rosters never overlap). A file keeps
   * only the lines of its findings (decisions/0054), so "paid by that file" is: a paid line kept in
   * its batch, or a person on that roster who is not `missing` or `failed` there (a roster person
   * without a paid line is always one of the two; the findings are switched in with the batch).
   * `persons` are the registered people among `bis` (roster persons always are). `scope` limits the
   * other rosters read; reconciliation reads every district's (SYSTEM_SCOPE).
   */
  async paidElsewhere(
    db: Queryable,
    scope: Scope,
    rosterId: string,
    from: string,
    to: string,
    bis: readonly string[],
    persons: readonly { id: string; id_bi: string }[],
  ) {
    const out = new Set<string>();
    if (!bis.length) return out;
    const lines = await db
      .selectFrom('benefit_returns as x')
      .innerJoin('benefit_rosters as o', (j) =>
        j.onRef('o.id', '=', 'x.roster_id').onRef('o.returns_batch', '=', 'x.batch_id'),
      )
      .select('x.id_bi')
      .distinct()
      .where('x.id_bi', 'in', [...bis])
      .where('x.paid', '=', 1)
      .where('x.roster_id', '!=', rosterId)
      .where('o.period_from', '<=', to)
      .where('o.period_to', '>=', from)
      .where((eb) => scopeWhere(eb, scope, OTHER_ROSTER_SCOPE))
      .execute();
    for (const r of lines) out.add(r.id_bi);
    if (!persons.length) return out;
    const onRoster = await db
      .selectFrom('benefit_roster_lines as l')
      .innerJoin('benefit_rosters as o', 'o.id', 'l.roster_id')
      .select('l.beneficiary_id')
      .distinct()
      .where(
        'l.beneficiary_id',
        'in',
        persons.map((x) => x.id),
      )
      .where('l.roster_id', '!=', rosterId)
      .where('o.returns_batch', 'is not', null)
      .where('o.period_from', '<=', to)
      .where('o.period_to', '>=', from)
      .where((eb) => scopeWhere(eb, scope, OTHER_ROSTER_SCOPE))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('benefit_discrepancies as d')
              .select('d.id')
              .whereRef('d.roster_id', '=', 'o.id')
              .whereRef('d.beneficiary_id', '=', 'l.beneficiary_id')
              .where('d.kind', 'in', ['missing', 'failed']),
          ),
        ),
      )
      .execute();
    const biOf = new Map(persons.map((x) => [x.id, x.id_bi]));
    for (const r of onRoster) out.add(biOf.get(r.beneficiary_id)!);
    return out;
  },
  /** Other rosters whose months overlap `from`..`to` and that have a return file in force, of those `scope` sees. */
  overlappingReconciled(db: Queryable, scope: Scope, rosterId: string, from: string, to: string) {
    return db
      .selectFrom('benefit_rosters')
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .select(['id', 'returns_batch'])
      .where('id', '!=', rosterId)
      .where('returns_batch', 'is not', null)
      .where('period_from', '<=', to)
      .where('period_to', '>=', from)
      .execute();
  },
  /**
   * Of the persons on roster `rosterId`, the blind indexes paid by the file in force of one of
   * `others` (overlappingReconciled), set-wise — `paidElsewhere` for a whole roster at once. `scope`
   * limits the other rosters' lines and files read.
   */
  async rosterPaidElsewhere(
    db: Queryable,
    scope: Scope,
    rosterId: string,
    others: readonly { id: string; returns_batch: string | null }[],
  ) {
    const out = new Set<string>();
    if (!others.length) return out;
    const mine = db.selectFrom('benefit_roster_lines as m').select('m.id_bi').where('m.roster_id', '=', rosterId);
    const onRoster = await db
      .selectFrom('benefit_roster_lines as l')
      .select('l.id_bi')
      .distinct()
      .where(
        'l.roster_id',
        'in',
        others.map((o) => o.id),
      )
      .where('l.id_bi', 'in', mine)
      .where((eb) => scopeWhere(eb, scope, { path: 'l.org_path' }))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('benefit_discrepancies as d')
              .select('d.id')
              .whereRef('d.roster_id', '=', 'l.roster_id')
              .whereRef('d.beneficiary_id', '=', 'l.beneficiary_id')
              .where('d.kind', 'in', ['missing', 'failed']),
          ),
        ),
      )
      .execute();
    for (const r of onRoster) out.add(r.id_bi);
    const kept = await db
      .selectFrom('benefit_returns as x')
      .innerJoin('benefit_rosters as o', (j) =>
        j.onRef('o.id', '=', 'x.roster_id').onRef('o.returns_batch', '=', 'x.batch_id'),
      )
      .select('x.id_bi')
      .distinct()
      .where(
        'x.roster_id',
        'in',
        others.map((o) => o.id),
      )
      .where('x.paid', '=', 1)
      .where('x.id_bi', 'in', mine)
      .where((eb) => scopeWhere(eb, scope, OTHER_ROSTER_SCOPE))
      .execute();
    for (const r of kept) out.add(r.id_bi);
    return out;
  },
  /**
   * The persons on roster `rosterId` whose register status can make a paid line a finding (deceased,
   * moved out, suspended): what reconciliation needs of the register for the roster's own people.
   * `persons` is the registry's read model (personStatuses); `scope` limits the roster's lines read.
   */
  async rosterStatuses(db: Queryable, scope: Scope, persons: OperationNodeSource, rosterId: string) {
    const { rows } = await sql<{
      id: string;
      id_bi: string;
      district_path: string;
      status: string;
      status_date: string | null;
    }>`SELECT b.id, b.id_bi, b.district_path, b.status, b.status_date FROM (${persons}) b
      WHERE b.status IN ('deceased', 'moved_out', 'suspended')
        AND b.id IN (SELECT m.beneficiary_id FROM benefit_roster_lines m
          WHERE m.roster_id = ${rosterId} AND ${inScope(scope, { path: 'm.org_path' })})`.execute(db);
    return rows;
  },
  /** Of these people, those who moved away from the district by an accepted transfer. */
  async movedFrom(db: Queryable, basis: Basis, district: string, personIds: readonly string[]) {
    if (!personIds.length) return new Set<string>();
    const { rows } = await sql<{ beneficiary_id: string }>`SELECT DISTINCT t.beneficiary_id FROM (${basis.transfers}) t
      WHERE t.from_path LIKE ${`${district}%`} AND t.beneficiary_id IN (${sql.join([...personIds])})`.execute(db);
    return new Set(rows.map((r) => r.beneficiary_id));
  },

  insertDiscrepancies(db: Queryable, rows: Selectable<BenefitDiscrepanciesTable>[]) {
    return rows.length ? db.insertInto('benefit_discrepancies').values(rows).execute() : Promise.resolve();
  },
  /** A case whose id is its cause (a rerun of the job adds it once). */
  insertDiscrepancyOnce(db: Queryable, row: Selectable<BenefitDiscrepanciesTable>) {
    return db
      .insertInto('benefit_discrepancies')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
  },
  /**
   * The discrepancies `scope` sees (the district's path), with filters: open past the deadline
   * (`overdueBefore` = today), owned by `mine` (the caller's org, or the caller named as owner).
   */
  discrepancies(db: Queryable, scope: Scope, f: DiscrepancyFilter) {
    let q = db
      .selectFrom('benefit_discrepancies as d')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .leftJoin('orgs as oo', 'oo.id', 'd.owner_org_id')
      .where((eb) => scopeWhere(eb, scope, DISC_SCOPE));
    if (f.status) q = q.where('d.status', '=', f.status);
    if (f.kind) q = q.where('d.kind', '=', f.kind);
    if (f.rosterId) q = q.where('d.roster_id', '=', f.rosterId);
    if (f.id) q = q.where('d.id', '=', f.id);
    if (f.overdueBefore) q = q.where('d.status', '=', 'open').where('d.deadline', '<', f.overdueBefore);
    if (f.mine) {
      const { orgId, userId } = f.mine;
      q = q.where((eb) =>
        eb.or([
          eb('d.owner_user_id', '=', userId),
          eb.and([eb('d.owner_org_id', '=', orgId), eb('d.owner_user_id', 'is', null)]),
        ]),
      );
    }
    return q;
  },
  async discrepancyPage(db: Queryable, scope: Scope, f: DiscrepancyFilter, page: number, size: number) {
    const [items, total] = await Promise.all([
      this.discrepancies(db, scope, f)
        .selectAll('d')
        .select(['o.name as org_name', 'oo.name as owner_org_name'])
        .orderBy('d.status', 'desc')
        .orderBy('d.period', 'desc')
        .orderBy('d.kind')
        .orderBy('d.name')
        .orderBy('d.id')
        .limit(size)
        .offset((page - 1) * size)
        .execute(),
      this.discrepancies(db, scope, f)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: items as DiscrepancyRow[], total: toNumber(total.n) };
  },
  discrepancy(db: Queryable, scope: Scope, id: string) {
    return this.discrepancies(db, scope, { id })
      .selectAll('d')
      .select(['o.name as org_name', 'oo.name as owner_org_name'])
      .executeTakeFirst() as Promise<DiscrepancyRow | undefined>;
  },
  /** Closes an open discrepancy; false when its version moved on or it is closed already. */
  closeDiscrepancy(
    db: Queryable,
    id: string,
    version: number,
    set: { resolution: string; resolution_note: string; closed_by: string; closed_at: string },
  ) {
    return updateVersioned(db, 'benefit_discrepancies', id, version, { ...set, status: 'closed' }, OPEN);
  },
  /** Gives an open discrepancy to another owner; its deadline stands, the sweep's reminder may come again. */
  assignDiscrepancy(
    db: Queryable,
    id: string,
    version: number,
    set: { owner_org_id: string; owner_user_id: string | null; assigned_at: string },
  ) {
    return updateVersioned(db, 'benefit_discrepancies', id, version, { ...set, reminded_at: null }, OPEN);
  },
  /** Open discrepancies not escalated yet, by deadline: the deadline sweep's candidates (all districts). */
  sweepCandidates(db: Queryable, scope: Scope) {
    return db
      .selectFrom('benefit_discrepancies as d')
      .where((eb) => scopeWhere(eb, scope, { path: 'd.org_path', orgId: 'd.org_id' }))
      .leftJoin('orgs as oo', 'oo.id', 'd.owner_org_id')
      .select([
        'd.id',
        'd.kind',
        'd.period',
        'd.deadline',
        'd.org_path',
        'd.owner_org_id',
        'd.owner_user_id',
        'd.reminded_at',
        'oo.name as owner_org_name',
      ])
      .where('d.status', '=', 'open')
      .where('d.escalated_at', 'is', null)
      .orderBy('d.deadline')
      .orderBy('d.id')
      .execute();
  },
  /** Sets `escalated_at` / `reminded_at` if still unset; false when another process did it first. */
  async claimSweep(db: Queryable, id: string, column: 'escalated_at' | 'reminded_at'): Promise<boolean> {
    const claim = await db
      .updateTable('benefit_discrepancies')
      .set({ [column]: nowIso() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where(column, 'is', null)
      .executeTakeFirst();
    return Number(claim.numUpdatedRows) === 1;
  },
  /**
   * Orgs that may own a discrepancy kept under `casePath` (a district's path): active civilian
   * veterans bureaus of the district's subtree and its ancestors (the city), as `scope` sees them.
   */
  ownerOrgs(db: Queryable, scope: Scope, casePath: string, ids?: readonly string[]) {
    const segments = casePath.split('/').filter(Boolean);
    const ancestors = segments.slice(0, -1).map((_, i) => `${segments.slice(0, i + 1).join('/')}/`);
    let q = db
      .selectFrom('orgs as oo')
      .select(['oo.id', 'oo.name', 'oo.path', 'oo.side', 'oo.active'])
      .where('oo.active', '=', 1)
      .where('oo.side', '=', 'civilian')
      .where('oo.type', '=', 'veterans_bureau')
      .where((eb) =>
        eb.or([
          eb.and([eb('oo.path', '>=', casePath), eb('oo.path', '<', prefixEnd(casePath))]),
          ...(ancestors.length ? [eb('oo.path', 'in', ancestors)] : []),
        ]),
      )
      .where((eb) => scopeWhere(eb, scope, { path: 'oo.path', orgId: 'oo.id' }));
    if (ids) q = q.where('oo.id', 'in', ids.length ? [...ids] : ['']);
    return q.orderBy('oo.path').execute();
  },
  /** Per district, period and kind: open, overdue (deadline before `today`) and closed discrepancies. */
  async totalsByKind(db: Queryable, scope: Scope, from: string, to: string, today: string) {
    const rows = await db
      .selectFrom('benefit_discrepancies as d')
      .innerJoin('benefit_rosters as r', 'r.id', 'd.roster_id')
      .innerJoin('orgs as o', 'o.id', 'd.org_id')
      .where((eb) => scopeWhere(eb, scope, DISC_SCOPE))
      .where('r.period_from', '>=', from)
      .where('r.period_from', '<=', to)
      .select(['o.name as org_name', 'o.path', 'r.period_from', 'd.period', 'd.kind'])
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('d.status', '=', 'open').then(1).else(0).end()).as('open_n'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.and([eb('d.status', '=', 'open'), eb('d.deadline', '<', today)]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('overdue_n'),
        eb.fn.sum<number>(eb.case().when('d.status', '=', 'closed').then(1).else(0).end()).as('closed_n'),
      ])
      .groupBy(['o.name', 'o.path', 'r.period_from', 'd.period', 'd.kind'])
      .orderBy('r.period_from')
      .orderBy('o.path')
      .orderBy('d.kind')
      .execute();
    return rows.map((r) => ({
      org_name: r.org_name,
      period: r.period,
      kind: r.kind,
      open_n: toNumber(r.open_n),
      overdue_n: toNumber(r.overdue_n),
      closed_n: toNumber(r.closed_n),
    }));
  },

  /** Per district and period: roster totals, paid, open and closed discrepancies. */
  async totals(db: Queryable, scope: Scope, from: string, to: string) {
    const rows = await db
      .selectFrom('benefit_rosters as r')
      .innerJoin('orgs as o', 'o.id', 'r.org_id')
      .where((eb) => scopeWhere(eb, scope, ROSTER_SCOPE))
      .where('r.period_from', '>=', from)
      .where('r.period_from', '<=', to)
      .select(['o.name as org_name', 'r.period', 'r.status', 'r.total_fen', 'r.paid_fen'])
      .select((eb) => [
        eb
          .selectFrom('benefit_discrepancies as d')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('d.roster_id', '=', 'r.id')
          .where('d.status', '=', 'open')
          .as('open_n'),
        eb
          .selectFrom('benefit_discrepancies as d')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('d.roster_id', '=', 'r.id')
          .where('d.status', '=', 'closed')
          .as('closed_n'),
      ])
      .orderBy('r.period_from')
      .orderBy('o.path')
      .execute();
    return rows.map((r) => ({
      ...r,
      total_fen: toNumber(r.total_fen),
      paid_fen: r.paid_fen === null ? null : toNumber(r.paid_fen),
      open_n: toNumber(r.open_n),
      closed_n: toNumber(r.closed_n),
    }));
  },
};
