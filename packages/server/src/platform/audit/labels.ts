import type { Actor } from '../auth/actor.js';

/**
 * Names the records of one kind for the audit log, set-wise: id → what a person calls the record
 * (a campaign's title, an org's name, a person's name masked as the viewer's rights say). Only
 * records the viewer can see are named; the rest keep their id.
 */
export type RecordLabeler = (ids: readonly string[], actor: Actor) => Promise<Map<string, string>>;

/** The labelers modules declare (`ModuleParts.labels`), by the entity type they audit. */
export class RecordLabels {
  private readonly byKind = new Map<string, RecordLabeler>();

  register(kind: string, labeler: RecordLabeler): void {
    if (this.byKind.has(kind)) throw new Error(`record label kind ${kind} is already taken`);
    this.byKind.set(kind, labeler);
  }

  /** `type:id` → label for the rows' records, one call per kind present. */
  async resolve(
    rows: readonly { entity_type: string | null; entity_id: string | null }[],
    actor: Actor,
  ): Promise<Map<string, string>> {
    const ids = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!r.entity_type || !r.entity_id || !this.byKind.has(r.entity_type)) continue;
      const set = ids.get(r.entity_type) ?? new Set<string>();
      ids.set(r.entity_type, set.add(r.entity_id));
    }
    const out = new Map<string, string>();
    await Promise.all(
      [...ids].map(async ([kind, set]) => {
        const labels = await (this.byKind.get(kind) as RecordLabeler)([...set], actor);
        for (const [id, label] of labels) out.set(`${kind}:${id}`, label);
      }),
    );
    return out;
  }
}

/** id → label of rows a repository returned. */
export function labelMap(rows: readonly { id: string; label: string }[]): Map<string, string> {
  return new Map(rows.map((r) => [r.id, r.label]));
}
