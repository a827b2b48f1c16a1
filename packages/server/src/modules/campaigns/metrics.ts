import { prefixEnd } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { toNumber } from '../../platform/db/index.js';

/**
 * The metric hook: a task may be bound to a live figure ("coverage of category X in your region")
 * that a module computes for the assignee org's region, instead of asking the org to type it. The
 * campaigns module owns the registry; other modules register providers for what they own — the
 * visits module, for example, would register `visits.coverage.martyr_survivor` (visited ÷ planned
 * of that category in the org's region for this campaign) from its maintained coverage counters.
 * A provider must be cheap (an index range or a maintained counter): the assignment page and the
 * report read it on every view.
 */
export interface MetricProvider {
  /** Stable key stored on the task, e.g. `registry.martyr_survivors.active`. */
  key: string;
  /** Chinese label shown next to the figure. */
  label: string;
  /** The figure for the region below `orgPath` (that org and its subtree) in `campaignId`. */
  compute(db: Queryable, orgPath: string, campaignId: string): Promise<number>;
}

export class MetricRegistry {
  private readonly providers = new Map<string, MetricProvider>();

  register(provider: MetricProvider): void {
    if (this.providers.has(provider.key)) throw new Error(`metric ${provider.key} is already registered`);
    this.providers.set(provider.key, provider);
  }

  get(key: string): MetricProvider | undefined {
    return this.providers.get(key);
  }

  list(): { key: string; label: string }[] {
    return [...this.providers.values()].map((p) => ({ key: p.key, label: p.label }));
  }
}

/**
 * 在册烈士遗属人数: active persons with the martyr_survivor category registered in the org's region,
 * counted from the registry's covering index (code, status, org_path). Read-only use of the
 * registry's table, kept to this one provider.
 */
export const activeMartyrSurvivors: MetricProvider = {
  key: 'registry.martyr_survivors.active',
  label: '辖区在册烈士遗属（人）',
  async compute(db, orgPath) {
    const r = await db
      .selectFrom('beneficiary_categories')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('code', '=', 'martyr_survivor')
      .where('status', '=', 'active')
      .where('org_path', '>=', orgPath)
      .where('org_path', '<', prefixEnd(orgPath))
      .executeTakeFirstOrThrow();
    return toNumber(r.n);
  },
};

export function defaultMetrics(): MetricRegistry {
  const registry = new MetricRegistry();
  registry.register(activeMartyrSurvivors);
  return registry;
}
