import type { Actor } from '../../platform/auth/actor.js';
import type { Queryable } from '../../platform/db/index.js';

/** One line another module adds to a household's timeline (a unit's visit, …): never military-only content. */
export interface HouseholdLine {
  source: string;
  id: string;
  date: string;
  label: string;
  orgName: string;
}

export type HouseholdLineSource = (db: Queryable, householdId: string, actor: Actor) => Promise<HouseholdLine[]>;

/**
 * The lines other modules add to a household's timeline. The owner of the line registers a source
 * (troops: its units' visits); the registry never reads their tables (decisions/0024). The caller
 * has already checked that the household is in the actor's scope.
 */
export function householdLines() {
  const sources: HouseholdLineSource[] = [];
  return {
    register(source: HouseholdLineSource) {
      sources.push(source);
    },
    async of(db: Queryable, householdId: string, actor: Actor): Promise<HouseholdLine[]> {
      const all = (await Promise.all(sources.map((s) => s(db, householdId, actor)))).flat();
      return all.sort((a, b) => (a.date === b.date ? a.id.localeCompare(b.id) : a.date < b.date ? 1 : -1));
    },
  };
}
export type HouseholdLines = ReturnType<typeof householdLines>;
