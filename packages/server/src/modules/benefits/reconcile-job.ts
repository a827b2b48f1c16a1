import type { AuditActor } from '../../platform/audit/audit.js';
import { withTightHeap } from '../../platform/heap-growth.js';
import type { JobContext, JobHandler } from '../../platform/jobs/jobs.js';
import type { BenefitsService } from './benefits.service.js';

/**
 * Reconciliation of a bank's return file as a job (decisions/0045, 0052): the request only stores
 * the sealed upload; the job streams it, writes its lines as a new batch in chunks, and puts the
 * batch and its findings in force in one short transaction, reporting progress. One phase: there is
 * nothing to preview — a file imported again replaces the earlier results — so the work runs in
 * `validate`, and after a crash `resume` runs it again from the start (the crashed run's batch was
 * never in force; the next run deletes its rows).
 */
/**
 * The main heap's growing factor while a file is reconciled (platform/heap-growth.ts): 1.6× its live
 * size. At 10^5 persons × 12 months on SQLite V8's own choice let the heap reach ~200 MB of garbage
 * (peak RSS 554 MB); 1.6× keeps it ~110 MB (~450 MB) for ~8 % more CPU, where the import's 1.3× costs
 * ~30 % here (decisions/0070).
 */
const RECONCILE_HEAP_GROWING_PERCENT = 60;

export class ReconcileJob implements JobHandler {
  readonly permission = 'benefit:pay' as const;
  constructor(private readonly benefits: BenefitsService) {}

  async validate(ctx: JobContext) {
    const { rosterId, fileName, actor } = ctx.params as { rosterId: string; fileName: string; actor: AuditActor };
    return withTightHeap(
      async () => this.benefits.reconcileFile(rosterId, await ctx.readUpload(), fileName, actor, ctx.progress),
      RECONCILE_HEAP_GROWING_PERCENT,
    );
  }
}
