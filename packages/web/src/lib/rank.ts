/** Ranks held by more than one row (competition ranking: 1, 1, 3 — the server ranks, the page says 并列). */
export function tiedRanks(rows: readonly { rank: number }[]): Set<number> {
  const seen = new Map<number, number>();
  for (const r of rows) seen.set(r.rank, (seen.get(r.rank) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([rank]) => rank));
}
