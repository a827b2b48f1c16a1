import type { Queryable } from '../../platform/db/index.js';

/**
 * The metric hook: a task may be bound to a live figure ("coverage of category X in your region")
 * that a module computes for the assignee org's region, instead of asking the org to type it. The
 * campaigns module owns the metric registry; other modules register providers for what they own
 * (visits its coverage counters); the registry's head count is read through its read model.
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

/** An empty registry: figures are added when the modules are built (campaigns.module.ts, visits). */
export function defaultMetrics(): MetricRegistry {
  return new MetricRegistry();
}
