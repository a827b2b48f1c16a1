import { AWARD_LEVELS, CATEGORY_CODES, t } from '@shuangyong/shared';
import { type Expression, type RawBuilder, sql } from 'kysely';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import type { Dialect, Tx } from '../../platform/db/index.js';
import { uuidv7 } from '../../platform/ids.js';
import { tick } from '../../platform/tick.js';
import { birthCutoff, categoryLabel, type Reason, type SavedRule } from './rules.js';

/**
 * The rule targets of a draft plan, built inside the database (decisions/0010): a rule's matches
 * never pass through Node. Two stages inside the plan's transaction:
 *
 * 1. every rule's matching members (or citations) go into a temporary table with their reason text
 *    already rendered — one `INSERT … SELECT` per rule (on SQLite per rule and org, yielding the
 *    event loop between them);
 * 2. the hits are folded into one target per household by `INSERT INTO visit_targets … SELECT`
 *    (on SQLite key range by key range, yielding between them): the household's facts (active
 *    members, the oldest one), the living-alone filter, up to three members named per rule, the
 *    reasons as JSON text.
 *
 * Message templates come from the i18n catalogue: `sqlMessage` renders a message with SQL
 * expressions in its placeholders.
 */

const HITS = 'visit_target_hits';

/**
 * The other modules' rows a rule reads, as subqueries their owners export (decisions/0024): the
 * registry's people (`persons`: id, household_id, org_id, org_path, name, birth_date, status,
 * categories), their category rows (`categories`: beneficiary_id, code, status, org_path,
 * end_date) and households (`households`: id, org_id, org_path), honours' merit citations
 * (`citations`: household_id, member_name, award_level, award_year). The build embeds them in its
 * statements; both planners flatten such subqueries into the statement around them.
 */
export interface RuleSources {
  // biome-ignore lint/suspicious/noExplicitAny: subqueries over other modules' tables
  persons: Expression<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  categories: Expression<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  households: Expression<any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  citations: Expression<any>;
}

/** Target keys per stage-2 statement: each is a short statement (SQLite runs it on the event loop). */
const KEYS_PER_STATEMENT = 5000;

/** `YYYY-MM-DD` */
const DATE_LEN = 10;

/** A message of the catalogue with SQL expressions for its placeholders, concatenated in SQL. */
export function sqlMessage(key: string, params: Record<string, RawBuilder<unknown>>): RawBuilder<string> {
  const names = Object.keys(params);
  const marked = t(key, Object.fromEntries(names.map((n) => [n, `\u0000${n}\u0000`])));
  const parts = marked.split('\u0000').map((part, i) => {
    if (i % 2 === 0) return sql`cast(${part} as text)`;
    const expr = params[part];
    if (!expr) throw new Error(`sqlMessage: ${key} has no placeholder ${part}`);
    return sql`cast(${expr} as text)`;
  });
  return sql<string>`(${sql.join(parts, sql` || `)})`;
}

/** `CASE expr WHEN code THEN label … ELSE expr END` over a fixed list of codes. */
function labelOf(expr: RawBuilder<unknown>, codes: readonly string[], label: (code: string) => string) {
  return sql`(case ${expr} ${sql.join(
    codes.map((c) => sql`when ${c} then cast(${label(c)} as text)`),
    sql` `,
  )} else ${expr} end)`;
}

class Dialected {
  constructor(readonly dialect: Dialect) {}

  /** 1-based position of `needle` in `s`, 0 if absent. */
  pos(s: RawBuilder<unknown>, needle: string) {
    return this.dialect === 'postgres' ? sql`strpos(${s}, ${needle})` : sql`instr(${s}, ${needle})`;
  }

  /** The text up to the first comma (a person's first category code). */
  firstCode(s: RawBuilder<unknown>) {
    return this.dialect === 'postgres'
      ? sql`split_part(${s}, ',', 1)`
      : sql`(case when instr(${s}, ',') > 0 then substr(${s}, 1, instr(${s}, ',') - 1) else ${s} end)`;
  }

  /** A JSON string literal of `s`. */
  jsonQuote(s: RawBuilder<unknown>) {
    return this.dialect === 'postgres' ? sql`to_json(cast(${s} as text))::text` : sql`json_quote(${s})`;
  }

  /** The 36-character id: a v7 prefix of this build and a 6-hex-digit counter (ids ascend with the key). */
  idOf(prefix: string, n: RawBuilder<unknown>) {
    return this.dialect === 'postgres'
      ? sql`${prefix} || lpad(to_hex(${n}), 6, '0')`
      : sql`printf('%s%06x', ${prefix}, ${n})`;
  }
}

export interface BuildInput {
  planId: string;
  campaignId: string;
  rules: { rule: SavedRule; path: string }[];
  today: string;
  now: string;
  /** Households per stage-2 statement: SQLite KEYS_PER_STATEMENT, PostgreSQL all in one. */
  keysPerStatement?: number;
}

export interface BuildResult {
  /** Households per rule (after the living-alone filter). */
  matched: Record<string, number>;
  /** Rule targets added to the plan (hand-entered ones that a rule also matched are not counted). */
  inserted: number;
  /** Targets on the plan afterwards: the rule targets and the hand-entered ones. */
  total: number;
}

/**
 * The subtree `[path, prefixEnd(path))` cut into consecutive ranges, one per org in it, so that
 * SQLite reads a rule in short statements with the event loop free between them. The ranges cover
 * the subtree whole, whatever the org table holds.
 */
async function orgRanges(trx: Tx, path: string): Promise<[string, string][]> {
  const end = prefixEnd(path);
  const inner = await trx
    .selectFrom('orgs')
    .select('path')
    .where('path', '>', path)
    .where('path', '<', end)
    .orderBy('path')
    .execute();
  const cuts = [path, ...inner.map((o) => o.path), end];
  return cuts.slice(0, -1).map((from, i) => [from, cuts[i + 1]!]);
}

/**
 * Builds the rule targets of a draft plan whose rule targets were just deleted. Hand-entered
 * targets stay: when a rule matches one, its reasons are added to it instead of a second target.
 */
export async function buildRuleTargets(
  trx: Tx,
  scope: Scope,
  dialect: Dialect,
  input: BuildInput,
  src: RuleSources,
): Promise<BuildResult> {
  // the plan's rule targets were just deleted: what is left was entered by hand
  const manual = await trx
    .selectFrom('visit_targets')
    .select(['id', 'target_key', 'reasons'])
    .where('plan_id', '=', input.planId)
    .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
    .execute();
  if (!input.rules.length) return { matched: {}, inserted: 0, total: manual.length };
  const d = new Dialected(dialect);
  const pg = dialect === 'postgres';
  // SQLite folds the hits key range by key range (in the order of an index on them), yielding
  // between statements; PostgreSQL in one statement (nothing waits on its event loop meanwhile)
  const perStatement = input.keysPerStatement ?? (pg ? Number.POSITIVE_INFINITY : KEYS_PER_STATEMENT);
  const chunked = Number.isFinite(perStatement);
  await sql`drop table if exists ${sql.raw(HITS)}`.execute(trx);
  await sql`create temporary table ${sql.raw(HITS)} (
      seq ${sql.raw(pg ? 'bigserial' : 'integer primary key')},
      rule_idx integer not null,
      target_key text ${sql.raw(pg ? 'collate "C"' : '')} not null,
      household_id text,
      org_id text not null,
      org_path text not null,
      category text not null,
      fallback_name text not null,
      birth text,
      detail text not null
    )${sql.raw(pg ? ' on commit drop' : '')}`.execute(trx);

  // ---- stage 1: the hits of every rule
  const rangesOf = new Map<string, [string, string][]>();
  for (const [i, { rule, path }] of input.rules.entries()) {
    // PostgreSQL reads a rule in one statement; SQLite org by org, yielding the event loop between
    let ranges = rangesOf.get(path);
    if (!ranges) {
      ranges = pg ? [[path, prefixEnd(path)]] : await orgRanges(trx, path);
      rangesOf.set(path, ranges);
    }
    for (const [n, range] of ranges.entries()) {
      if (n || i) await tick();
      await stage1(d, src, rule, i, range, input.today).execute(trx);
    }
  }
  if (chunked)
    await sql`create index ${sql.raw(`${HITS}_key`)} on ${sql.raw(HITS)} (target_key, rule_idx, seq)`.execute(trx);
  // PostgreSQL sorts the hits once, in memory
  if (pg) await sql`set local work_mem = '256MB'`.execute(trx);

  // ---- hand-entered targets a rule matched too: they keep their row and gain the rule's reasons
  let merged = 0;
  if (manual.length) {
    const keys = manual.map((m) => m.target_key);
    const { rows } = await sql<{
      key: string;
      reasons: string;
    }>`with ${candidates(d, src, input.rules, sql`h.target_key in (${sql.join(keys)})`)}
      select target_key as key, reasons from c where rn_key = 1`.execute(trx);
    const byKey = new Map(rows.map((r) => [r.key, JSON.parse(`[${r.reasons}]`) as Reason[]]));
    for (const m of manual) {
      const ruleReasons = byKey.get(m.target_key);
      if (!ruleReasons) continue;
      merged++;
      const own = (JSON.parse(m.reasons) as Reason[]).filter((r) => r.ruleId === 'manual');
      await trx
        .updateTable('visit_targets')
        .set({ reasons: JSON.stringify([...own, ...ruleReasons]) })
        .where('id', '=', m.id)
        .execute();
    }
    // their hits are done with: stage 2 adds only households not yet on the plan
    await sql`delete from ${sql.raw(HITS)} where target_key in (${sql.join(keys)})`.execute(trx);
  }

  // ---- stage 2: one target per household, in key order, `perStatement` households a statement
  const cuts = !chunked
    ? []
    : (
        await sql<{ key: string }>`select target_key as key from (
            select target_key, row_number() over (order by target_key) as n
            from (select distinct target_key from ${sql.raw(HITS)}) as k
          ) as numbered where n % ${perStatement} = 0 order by target_key`.execute(trx)
      ).rows;
  const bounds = [...cuts.map((c) => c.key), null];
  const prefix = uuidv7().slice(0, 30);
  let inserted = 0;
  let after: string | null = null;
  for (const upto of bounds) {
    await tick();
    const conditions = [
      ...(after === null ? [] : [sql`h.target_key > ${after}`]),
      ...(upto === null ? [] : [sql`h.target_key <= ${upto}`]),
    ];
    const range = conditions.length ? sql.join(conditions, sql` and `) : sql`1 = 1`;
    const n = sql`${inserted} + row_number() over (order by c.target_key)`;
    const result = await sql`with ${candidates(d, src, input.rules, range)}
      insert into visit_targets (id, plan_id, campaign_id, org_id, org_path, kind, target_key, household_id,
        unit_org_id, name, category, reasons, manual, note, oldest_birth, priority_rank, team_id, planned_date,
        status, owner_key, excluded_by, visit_count, cash_fen, goods_fen, last_visit_at, version, created_at)
      select ${d.idOf(prefix, n)}, ${input.planId}, ${input.campaignId}, c.org_id, c.org_path, 'household', c.target_key,
        c.household_id, null,
        case when c.oldest <> '' then substr(c.oldest, ${DATE_LEN + 1}) else c.fallback_name end,
        c.category, '[' || c.reasons || ']', 0, null,
        case when c.oldest <> '' then substr(c.oldest, 1, ${DATE_LEN}) else coalesce(c.birth, '9999-12-31') end,
        case when c.alone = 1 then 0 else 1 end, '', null, 'draft', null, null, 0, 0, 0, null, 1, ${input.now}
      from c
      where c.rn_key = 1
      order by c.target_key`.execute(trx);
    inserted += Number(result.numAffectedRows ?? 0n);
    if (upto === null) break;
    after = upto;
  }
  await sql`drop table ${sql.raw(HITS)}`.execute(trx);

  // ---- households per rule: with one rule, every target; with more, the targets naming the rule
  const matched: Record<string, number> = {};
  if (input.rules.length === 1) matched[input.rules[0]!.rule.id] = inserted + merged;
  else {
    const row = await trx
      .selectFrom('visit_targets')
      .select(
        input.rules.map(({ rule }, i) =>
          sql<number>`sum(case when reasons like ${`%${likeEscape(reasonPrefix(rule))}%`} escape '!' then 1 else 0 end)`.as(
            `r${i}`,
          ),
        ),
      )
      .where('plan_id', '=', input.planId)
      .where((eb) => scopeWhere(eb, scope, { path: 'org_path', orgId: 'org_id' }))
      .executeTakeFirstOrThrow();
    const counts = row as Record<string, unknown>;
    for (const [i, { rule }] of input.rules.entries()) matched[rule.id] = Number(counts[`r${i}`] ?? 0);
  }
  return { matched, inserted, total: inserted + manual.length };
}

/** `s` as a LIKE pattern matching itself (escape character `!`). */
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

/** The start of a reason's JSON text up to its detail: `{"ruleId":…,"label":…,"detail":` */
function reasonPrefix(rule: SavedRule): string {
  return `${JSON.stringify({ ruleId: rule.id, label: rule.label }).slice(0, -1)},"detail":`;
}

/** Stage 1: the hits of one rule inside one org range, with the reason's detail rendered. */
function stage1(
  d: Dialected,
  src: RuleSources,
  rule: SavedRule,
  ruleIdx: number,
  [from, to]: [string, string],
  today: string,
) {
  const insert = sql`insert into ${sql.raw(HITS)}
    (rule_idx, target_key, household_id, org_id, org_path, category, fallback_name, birth, detail)`;
  if (rule.kind === 'merit_citation') {
    const member = sql.ref('c.member_name');
    const award = labelOf(sql.ref('c.award_level'), AWARD_LEVELS, (a) => t(`awardLevel.${a}`));
    return sql`${insert}
      select distinct cast(${ruleIdx} as integer), c.household_id, c.household_id, h.org_id, h.org_path, 'serving_member_family',
        ${sqlMessage('visits.citationFamily', { member })}, cast(null as text),
        ${sqlMessage('visits.rule.citationDetail', { member, award })}
      from ${src.citations} as c
      inner join ${src.households} as h on h.id = c.household_id
      where c.award_year = ${rule.meritCitationYear!} and h.org_path >= ${from} and h.org_path < ${to}`;
  }
  const year = Number(today.slice(0, 4));
  const age = sql`(cast(${year} as integer) - cast(substr(b.birth_date, 1, 4) as integer)
    - case when substr(b.birth_date, 6) > ${today.slice(5)} then 1 else 0 end)`;
  const cutoff = rule.minAge !== undefined ? sql`and b.birth_date <= ${birthCutoff(today, rule.minAge)}` : sql``;
  const detail = (code: RawBuilder<unknown>) =>
    sqlMessage('visits.rule.memberDetail', {
      name: sql.ref('b.name'),
      age,
      category: labelOf(code, CATEGORY_CODES, categoryLabel),
    });
  const columns = (
    code: RawBuilder<unknown>,
  ) => sql`cast(${ruleIdx} as integer), coalesce(b.household_id, 'person:' || b.id), b.household_id,
    b.org_id, b.org_path, ${code}, b.name, b.birth_date, ${detail(code)}`;
  if (rule.categories?.length) {
    const code = sql.ref('bc.code');
    return sql`${insert}
      select ${columns(code)}
      from ${src.categories} as bc
      inner join ${src.persons} as b on b.id = bc.beneficiary_id
      where bc.code in (${sql.join(rule.categories)}) and bc.status = 'active'
        and bc.org_path >= ${from} and bc.org_path < ${to}
        and (bc.end_date is null or bc.end_date >= ${today}) ${cutoff}`;
  }
  // a person's first category names them in the reason
  const code = d.firstCode(sql.ref('b.categories'));
  return sql`${insert}
    select ${columns(code)}
    from ${src.persons} as b
    where b.status = 'active' and b.categories <> '' and b.org_path >= ${from} and b.org_path < ${to} ${cutoff}`;
}

/**
 * Stage 2's common table expressions, ending in `c`: one row per hit that survives the
 * living-alone filter, with `rn_key = 1` on the household's lead hit (first rule, first hit),
 * its facts (`alone`, `oldest` as birth date + name, '' without one) and `reasons` (the JSON
 * objects of all its rules, comma-separated, in rule order). `where` restricts the hits (`h`).
 */
function candidates(d: Dialected, src: RuleSources, rules: { rule: SavedRule }[], where: RawBuilder<unknown>) {
  const facts = sql.ref('g.facts');
  const colon = d.pos(facts, ':');
  const aloneOnly = rules.flatMap(({ rule }, i) => (rule.livingAloneOnly ? [i] : []));
  const keep = aloneOnly.length ? sql`where a.alone = 1 or a.rule_idx not in (${sql.join(aloneOnly)})` : sql``;
  const prefix = sql`(case rule_idx ${sql.join(
    rules.map(({ rule }, i) => sql`when ${i} then cast(${reasonPrefix(rule)} as text)`),
    sql` `,
  )} end)`;
  const separator = t('visits.rule.detailSeparator');
  const more = t('visits.rule.detailMore');
  // a rule names its members oldest first (by birth date, then as found), whatever order the
  // planner read them in; the household's facts from active members only; the status is tested
  // inside the aggregates so both planners probe the household index (see migration 0008)
  return sql`g as (
      select h.*, count(*) over (partition by h.target_key, h.rule_idx) as n_rule,
        (select count(case when m.status = 'active' then 1 end) || ':'
            || coalesce(min(case when m.status = 'active' then m.birth_date || m.name end), '')
          from ${src.persons} as m where m.household_id = h.household_id) as facts
      from ${sql.raw(HITS)} as h where ${where}
    ), a as (
      select g.*,
        case when g.household_id is not null then
            case when cast(substr(${facts}, 1, ${colon} - 1) as integer) = 1 then 1 else 0 end
          when g.n_rule = 1 and g.birth is not null then 1 else 0 end as alone,
        coalesce(substr(${facts}, ${colon} + 1), '') as oldest
      from g
    ), k as (
      select a.*,
        row_number() over (partition by a.target_key, a.rule_idx order by a.birth, a.seq) as rn_rule,
        row_number() over (partition by a.target_key order by a.rule_idx, a.seq) as rn_key
      from a ${keep}
    ), rr as (
      select target_key, rule_idx, ${prefix} || ${d.jsonQuote(
        sql`string_agg(detail, cast(${separator} as text) order by birth, seq)
          || case when max(n_rule) > 3 then cast(${more} as text) else '' end`,
      )} || '}' as reason
      from k where rn_rule <= 3 group by target_key, rule_idx
    ), r as (
      select target_key, string_agg(reason, ',' order by rule_idx) as reasons from rr group by target_key
    ), c as (
      select k.*, r.reasons from k inner join r on r.target_key = k.target_key
    )`;
}
