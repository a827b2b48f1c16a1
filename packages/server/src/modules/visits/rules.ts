import { hasMessage, t, type VisitRule } from '@shuangyong/shared';
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
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
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
}

const CHUNK = 500;

/** Members matched by a registry rule inside `path`, as (household, detail) hits. */
async function registryHits(db: Queryable, rule: SavedRule, path: string, today: string): Promise<Hit[]> {
  const cutoff = rule.minAge !== undefined ? birthCutoff(today, rule.minAge) : null;
  let rows: {
    id: string;
    household_id: string | null;
    name: string;
    birth_date: string;
    org_id: string;
    org_path: string;
    code: string;
  }[];
  if (rule.categories?.length) {
    let q = db
      .selectFrom('beneficiary_categories as bc')
      .innerJoin('beneficiaries as b', 'b.id', 'bc.beneficiary_id')
      .select(['b.id', 'b.household_id', 'b.name', 'b.birth_date', 'b.org_id', 'b.org_path', 'bc.code'])
      .where('bc.code', 'in', rule.categories)
      .where('bc.status', '=', 'active')
      .where('bc.org_path', '>=', path)
      .where('bc.org_path', '<', prefixEnd(path))
      .where((eb) => eb.or([eb('bc.end_date', 'is', null), eb('bc.end_date', '>=', today)]));
    if (cutoff) q = q.where('b.birth_date', '<=', cutoff);
    rows = await q.execute();
  } else {
    let q = db
      .selectFrom('beneficiaries as b')
      .select(['b.id', 'b.household_id', 'b.name', 'b.birth_date', 'b.org_id', 'b.org_path', 'b.categories as code'])
      .where('b.status', '=', 'active')
      .where('b.categories', '<>', '')
      .where('b.org_path', '>=', path)
      .where('b.org_path', '<', prefixEnd(path));
    if (cutoff) q = q.where('b.birth_date', '<=', cutoff);
    rows = (await q.execute()).map((r) => ({ ...r, code: r.code.split(',')[0] ?? r.code }));
  }
  return rows.map((r) => ({
    key: r.household_id ?? `person:${r.id}`,
    householdId: r.household_id,
    orgId: r.org_id,
    orgPath: r.org_path,
    category: r.code,
    fallbackName: r.name,
    birth: r.birth_date,
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
    detail: t('visits.rule.citationDetail', { member: r.member_name, award: t(`awardLevel.${r.award_level}`) }),
  }));
}

/**
 * Oldest active member and number of active members of each household. All members are read by
 * household and filtered here: with `status = 'active'` in the WHERE clause SQLite's planner picks
 * the (status, org_path) index and scans every active person of the city for each chunk (seconds
 * at 10^6) instead of probing the household index; a household has a handful of members.
 */
async function householdFacts(db: Queryable, ids: string[]) {
  const out = new Map<string, { name: string; birth: string; active: number }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    if (i) await tick();
    const rows = await db
      .selectFrom('beneficiaries')
      .select(['household_id', 'name', 'birth_date', 'status'])
      .where('household_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      if (r.status !== 'active') continue;
      const f = out.get(r.household_id!);
      if (!f) out.set(r.household_id!, { name: r.name, birth: r.birth_date, active: 1 });
      else {
        f.active++;
        if (r.birth_date < f.birth) {
          f.birth = r.birth_date;
          f.name = r.name;
        }
      }
    }
  }
  return out;
}

/**
 * Evaluates the rules inside `planPath` (each rule's org path, already checked to lie inside it).
 * Returns one candidate per household and the number of households each rule matched.
 */
export async function evaluateRules(
  db: Queryable,
  rules: { rule: SavedRule; path: string }[],
  today: string,
): Promise<{ candidates: Map<string, Candidate>; matched: Record<string, number> }> {
  const perRule: { rule: SavedRule; hits: Map<string, Hit[]> }[] = [];
  const allHouseholds = new Set<string>();
  for (const { rule, path } of rules) {
    const hits =
      rule.kind === 'merit_citation' ? await citationHits(db, rule, path) : await registryHits(db, rule, path, today);
    const byKey = new Map<string, Hit[]>();
    for (const h of hits) {
      const list = byKey.get(h.key);
      if (list) list.push(h);
      else byKey.set(h.key, [h]);
      if (h.householdId) allHouseholds.add(h.householdId);
    }
    perRule.push({ rule, hits: byKey });
  }
  const facts = await householdFacts(db, [...allHouseholds]);
  const candidates = new Map<string, Candidate>();
  const matched: Record<string, number> = {};
  for (const { rule, hits } of perRule) {
    let n = 0;
    for (const [key, list] of hits) {
      const first = list[0]!;
      const f = first.householdId ? facts.get(first.householdId) : undefined;
      const livesAlone = f ? f.active === 1 : list.length === 1 && !!first.birth;
      if (rule.livingAloneOnly && !livesAlone) continue;
      n++;
      const details = [...new Set(list.map((h) => h.detail))];
      const reason: Reason = {
        ruleId: rule.id,
        label: rule.label,
        detail: details.slice(0, 3).join('；') + (details.length > 3 ? ' 等' : ''),
      };
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
        name: f?.name ?? first.fallbackName,
        category: first.category,
        oldestBirth: f?.birth ?? first.birth ?? '9999-12-31',
        livesAlone,
        reasons: [reason],
      });
    }
    matched[rule.id] = n;
  }
  return { candidates, matched };
}

/** Today's date in the display time zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
