import { hasMessage, t, type VisitRule } from '@shuangyong/shared';
import { sql } from 'kysely';
import { prefixEnd } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { tick } from '../../platform/tick.js';

/**
 * Target lists from saved rules over the registry. Every rule yields households (one target per
 * household however many members or rules match), and each target keeps, per rule, the reason it
 * is on the list: the members that matched with their age and category, or the citation.
 */
export interface Reason {
  ruleId: string;
  label: string;
  detail: string;
}

export interface Candidate {
  key: string;
  householdId: string | null;
  orgId: string;
  orgPath: string;
  name: string;
  category: string;
  oldestBirth: string;
  livesAlone: boolean;
  reasons: Reason[];
}

/** A rule as stored on the plan: with its id and a readable label. */
export type SavedRule = VisitRule & { id: string; label: string };

export function categoryLabel(code: string): string {
  for (const key of [`category.${code}`, `visits.kind.${code}`]) if (hasMessage(key)) return t(key);
  if (code === 'merit_citation') return t('visits.rule.merit', { year: '' }).trim();
  return code;
}

/** A label in Chinese made of the rule's conditions, unless the user named it. */
export function ruleLabel(rule: VisitRule, orgName?: string): string {
  if (rule.label) return rule.label;
  if (rule.kind === 'merit_citation') return t('visits.rule.merit', { year: rule.meritCitationYear ?? '' });
  const parts: string[] = [];
  if (rule.categories?.length) parts.push(rule.categories.map(categoryLabel).join('、'));
  if (orgName) parts.push(orgName);
  if (rule.minAge !== undefined) parts.push(t('visits.rule.age', { age: rule.minAge }));
  if (rule.livingAloneOnly) parts.push(t('visits.rule.livingAlone'));
  return parts.join(' · ');
}

export function ageOn(birth: string, today: string): number {
  // both are YYYY-MM-DD: the years apart, less one if the birthday (MM-DD) is still to come
  return Number(today.slice(0, 4)) - Number(birth.slice(0, 4)) - (today.slice(5) < birth.slice(5) ? 1 : 0);
}

/** Latest birth date of someone aged at least `age` on `today`. */
export function birthCutoff(today: string, age: number): string {
  const y = Number(today.slice(0, 4)) - age;
  return `${String(y).padStart(4, '0')}${today.slice(4)}`;
}

interface Hit {
  key: string;
  householdId: string | null;
  orgId: string;
  orgPath: string;
  detail: string;
  category: string;
  fallbackName: string;
  birth: string | null;
  /** Active members of the household and its oldest active member (birth date + name); null without a household. */
  active: number | null;
  oldest: string | null;
}

/**
 * The subtree `[path, prefixEnd(path))` cut into consecutive ranges, one per org in it, so a rule is
 * read org by org: each statement stays short (SQLite runs it on the event loop, and the build
 * yields between them) and PostgreSQL can run two at once. The ranges cover the subtree whole,
 * whatever the org table holds.
 */
async function orgRanges(db: Queryable, path: string): Promise<[string, string][]> {
  const end = prefixEnd(path);
  const inner = await db
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
 * Household facts of a matched row, read beside it in one probe of the household index: the count
 * of active members and the oldest active one, as `count:birth_datename` (parsed by `parseFacts`).
 * The status is tested inside the aggregates, not in WHERE, so both planners probe the household
 * index (with `status = 'active'` in WHERE SQLite may pick the (status, org_path) index and scan
 * the city for every row).
 */
function householdFacts(household: 'b.household_id' | 'h.id') {
  return sql<
    string | null
  >`(select count(case when m.status = 'active' then 1 end) || ':' || coalesce(min(case when m.status = 'active' then m.birth_date || m.name end), '')
    from beneficiaries as m where m.household_id = ${sql.ref(household)})`.as('hh_facts');
}

/** Length of the `YYYY-MM-DD` prefix of the oldest member in a household's facts. */
const DATE_LEN = 10;

function parseFacts(facts: string | null): { active: number | null; oldest: string | null } {
  if (!facts) return { active: null, oldest: null };
  const colon = facts.indexOf(':');
  const oldest = facts.slice(colon + 1);
  return { active: Number(facts.slice(0, colon)), oldest: oldest || null };
}

/** Members matched by a registry rule inside `path`, as (household, detail) hits. */
async function registryHits(
  db: Queryable,
  rule: SavedRule,
  path: string,
  today: string,
  concurrency: number,
): Promise<Hit[]> {
  const ranges = await orgRanges(db, path);
  const parts: Hit[][] = [];
  let next = 0;
  const reader = async () => {
    while (next < ranges.length) {
      const i = next++;
      if (i && concurrency === 1) await tick();
      parts[i] = await rangeHits(db, rule, ranges[i]!, today);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ranges.length) }, reader));
  return parts.flat();
}

async function rangeHits(db: Queryable, rule: SavedRule, [from, to]: [string, string], today: string): Promise<Hit[]> {
  const cutoff = rule.minAge !== undefined ? birthCutoff(today, rule.minAge) : null;
  let rows: {
    id: string;
    household_id: string | null;
    name: string;
    birth_date: string;
    org_id: string;
    org_path: string;
    code: string;
    hh_facts: string | null;
  }[];
  if (rule.categories?.length) {
    let q = db
      .selectFrom('beneficiary_categories as bc')
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .select(['b.id', 'b.household_id', 'b.name', 'b.birth_date', 'b.org_id', 'b.org_path', 'bc.code'])
      .select(householdFacts('b.household_id'))
      .where('bc.code', 'in', rule.categories)
      .where('bc.status', '=', 'active')
      .where('bc.org_path', '>=', from)
      .where('bc.org_path', '<', to)
      .where((eb) => eb.or([eb('bc.end_date', 'is', null), eb('bc.end_date', '>=', today)]));
    if (cutoff) q = q.where('b.birth_date', '<=', cutoff);
    rows = await q.execute();
  } else {
    let q = db
      .selectFrom('beneficiaries as b')
      .select(['b.id', 'b.household_id', 'b.name', 'b.birth_date', 'b.org_id', 'b.org_path', 'b.categories as code'])
      .select(householdFacts('b.household_id'))
      .where('b.status', '=', 'active')
      .where('b.categories', '<>', '')
      .where('b.org_path', '>=', from)
      .where('b.org_path', '<', to);
    if (cutoff) q = q.where('b.birth_date', '<=', cutoff);
    rows = await q.execute();
    // a person's first category names them in the reason
    for (const r of rows) {
      const comma = r.code.indexOf(',');
      if (comma >= 0) r.code = r.code.slice(0, comma);
    }
  }
  return rows.map((r) => ({
    key: r.household_id ?? `person:${r.id}`,
    householdId: r.household_id,
    orgId: r.org_id,
    orgPath: r.org_path,
    category: r.code,
    fallbackName: r.name,
    birth: r.birth_date,
    ...(r.household_id ? parseFacts(r.hh_facts) : { active: null, oldest: null }),
    detail: t('visits.rule.memberDetail', {
      name: r.name,
      age: ageOn(r.birth_date, today),
      category: categoryLabel(r.code),
    }),
  }));
}

async function citationHits(db: Queryable, rule: SavedRule, path: string): Promise<Hit[]> {
  const rows = await db
    .selectFrom('merit_citations as c')
    .innerJoin('households as h', 'h.id', 'c.household_id')
    .select(['c.household_id', 'c.member_name', 'c.award_level', 'h.org_id', 'h.org_path'])
    .select(householdFacts('h.id'))
    .where('c.award_year', '=', rule.meritCitationYear!)
    .where('h.org_path', '>=', path)
    .where('h.org_path', '<', prefixEnd(path))
    .execute();
  return rows.map((r) => ({
    key: r.household_id,
    householdId: r.household_id,
    orgId: r.org_id,
    orgPath: r.org_path,
    category: 'serving_member_family',
    fallbackName: t('visits.citationFamily', { member: r.member_name }),
    birth: null,
    ...parseFacts(r.hh_facts),
    detail: t('visits.rule.citationDetail', { member: r.member_name, award: t(`awardLevel.${r.award_level}`) }),
  }));
}

/**
 * Evaluates the rules inside `planPath` (each rule's org path, already checked to lie inside it).
 * Returns one candidate per household and the number of households each rule matched.
 */
export async function evaluateRules(
  db: Queryable,
  rules: { rule: SavedRule; path: string }[],
  today: string,
  concurrency = 1,
): Promise<{ candidates: Map<string, Candidate>; matched: Record<string, number> }> {
  const perRule: { rule: SavedRule; hits: Map<string, Hit[]> }[] = [];
  for (const { rule, path } of rules) {
    const hits =
      rule.kind === 'merit_citation'
        ? await citationHits(db, rule, path)
        : await registryHits(db, rule, path, today, concurrency);
    const byKey = new Map<string, Hit[]>();
    for (const h of hits) {
      const list = byKey.get(h.key);
      if (list) list.push(h);
      else byKey.set(h.key, [h]);
    }
    perRule.push({ rule, hits: byKey });
  }
  const candidates = new Map<string, Candidate>();
  const matched: Record<string, number> = {};
  for (const { rule, hits } of perRule) {
    let n = 0;
    for (const [key, list] of hits) {
      const first = list[0]!;
      const oldest = first.oldest;
      const livesAlone = first.active !== null ? first.active === 1 : list.length === 1 && !!first.birth;
      if (rule.livingAloneOnly && !livesAlone) continue;
      n++;
      const reason: Reason = { ruleId: rule.id, label: rule.label, detail: joinDetails(list) };
      const c = candidates.get(key);
      if (c) {
        c.reasons.push(reason);
        continue;
      }
      candidates.set(key, {
        key,
        householdId: first.householdId,
        orgId: first.orgId,
        orgPath: first.orgPath,
        name: oldest ? oldest.slice(DATE_LEN) : first.fallbackName,
        category: first.category,
        oldestBirth: oldest ? oldest.slice(0, DATE_LEN) : (first.birth ?? '9999-12-31'),
        livesAlone,
        reasons: [reason],
      });
    }
    matched[rule.id] = n;
  }
  return { candidates, matched };
}

/** The matched members of one household under one rule, at most three named (most lists hold one). */
function joinDetails(list: Hit[]): string {
  if (list.length === 1) return list[0]!.detail;
  const details = [...new Set(list.map((h) => h.detail))];
  return details.slice(0, 3).join('；') + (details.length > 3 ? ' 等' : '');
}

/** Today's date in the display time zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
