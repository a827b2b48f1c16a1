import type { JobContext, JobHandler } from '../../platform/jobs/jobs.js';
import type { BenefitsService } from './benefits.service.js';

/**
 * The back pay of standards starting in months already paid, as a job queued once the standards
 * are committed (decisions/0052): one district-month per statement with a turn of the loop between,
 * progress per district-month. One phase, like the reconciliation: after a crash `resume` runs it
 * again from the start, which adds no line twice.
 */
export class BackpayJob implements JobHandler {
  readonly permission = 'benefit:standards' as const;
  constructor(private readonly benefits: BenefitsService) {}

  async validate(ctx: JobContext) {
    const { standardIds } = ctx.params as { standardIds: string[] };
    return this.benefits.runBackpay(standardIds, ctx.progress);
  }
}
