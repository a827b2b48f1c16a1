import { hasMessage, t, type VisitRule } from '@shuangyong/shared';

/**
 * Saved rules of target lists and their labels. Every rule yields households (one target per
 * household however many members or rules match), and each target keeps, per rule, the reason it
 * is on the list: the members that matched with their age and category, or the citation. The
 * lists are built inside the database (target-build.repo.ts).
 */
export interface Reason {
  ruleId: string;
  label: string;
  detail: string;
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

/** Latest birth date of someone aged at least `age` on `today`. */
export function birthCutoff(today: string, age: number): string {
  const y = Number(today.slice(0, 4)) - age;
  return `${String(y).padStart(4, '0')}${today.slice(4)}`;
}
