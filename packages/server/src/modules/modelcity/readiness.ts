import type { ElementStatus, EvidenceKind } from '@shuangyong/shared';
import type { ElementRow, ItemRow, StandardRow } from './modelcity.repo.js';

/** Evidence counts of one element within a scope: dated inside the period, and before it (stale). */
export interface ElementCounts {
  fresh: number;
  stale: number;
}

export interface ScoredElement {
  row: ElementRow;
  code: string;
  status: ElementStatus;
  score: number;
  fresh: number;
  stale: number;
}
export interface ScoredItem {
  row: ItemRow;
  code: string;
  score: number;
  elements: ScoredElement[];
}
export interface ScoredStandard {
  row: StandardRow;
  code: string;
  points: number;
  score: number;
  items: ScoredItem[];
}

export const kindsOf = (e: Pick<ElementRow, 'evidence_kinds'>) => e.evidence_kinds.split(',') as EvidenceKind[];

/**
 * The scoring rule of an element (decisions/0041): it asks for `min_count` pieces of evidence
 * dated inside the period the inspectors look at. Enough → met, full points; fewer → partly, the
 * points in proportion, rounded down to the hundredth; only stale evidence → partly, no points;
 * none → missing. An item scores the sum of its elements (never above its total), a standard the
 * sum of its items.
 */
export function scoreElement(e: Pick<ElementRow, 'points' | 'min_count'>, c: ElementCounts | undefined) {
  const fresh = c?.fresh ?? 0;
  const stale = c?.stale ?? 0;
  const min = Math.max(1, e.min_count);
  if (fresh >= min) return { status: 'met' as const, score: e.points, fresh, stale };
  const score = Math.floor((e.points * fresh) / min);
  return { status: fresh + stale > 0 ? ('partly' as const) : ('missing' as const), score, fresh, stale };
}

/** Scores a round's table (rows in their order) against the evidence counts per element. */
export function scoreTable(
  table: { standards: StandardRow[]; items: ItemRow[]; elements: ElementRow[] },
  counts: ReadonlyMap<string, ElementCounts>,
): { standards: ScoredStandard[]; points: number; score: number } {
  const elementsOf = new Map<string, ElementRow[]>();
  for (const e of table.elements) elementsOf.set(e.item_id, [...(elementsOf.get(e.item_id) ?? []), e]);
  const itemsOf = new Map<string, ItemRow[]>();
  for (const i of table.items) itemsOf.set(i.standard_id, [...(itemsOf.get(i.standard_id) ?? []), i]);
  let points = 0;
  let score = 0;
  const standards = table.standards.map((s) => {
    const items = (itemsOf.get(s.id) ?? []).map((i) => {
      const code = `${s.seq}.${i.seq}`;
      const elements = (elementsOf.get(i.id) ?? []).map((e) => ({
        row: e,
        code: `${code}.${e.seq}`,
        ...scoreElement(e, counts.get(e.id)),
      }));
      const sum = elements.reduce((n, e) => n + e.score, 0);
      return { row: i, code, score: Math.min(i.points, sum), elements };
    });
    const sPoints = items.reduce((n, i) => n + i.row.points, 0);
    const sScore = items.reduce((n, i) => n + i.score, 0);
    points += sPoints;
    score += sScore;
    return { row: s, code: String(s.seq), points: sPoints, score: sScore, items };
  });
  return { standards, points, score };
}

/** 50 → "0.5", 125 → "1.25". */
export const pointsText = (hundredths: number) => String(hundredths / 100);
