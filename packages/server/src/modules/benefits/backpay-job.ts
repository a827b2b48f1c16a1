import type { Permission } from '@shuangyong/shared';
import type { JobContext, JobHandler } from '../../platform/jobs/jobs.js';
import type { BackpayCauses, BenefitsService } from './benefits.service.js';

/**
 * The back pay of causes recorded late — standards starting in months already paid, late annual
 * confirmations — as a job whose row is inserted in the transaction that records them
 * (decisions/0052, 0057): per district-month, what is owed is read on the SQLite readers and the
 * lines are written in chunks with a turn of the loop between; progress per district-month. One
 * phase, like the reconciliation: after a crash `resume` runs it again from the start, which adds
 * no line twice. One handler per kind, each with the permission of who records its cause.
 */
export class BackpayJob implements JobHandler {
  constructor(
    private readonly benefits: BenefitsService,
    readonly permission: Permission,
  ) {}

  async validate(ctx: JobContext) {
    return this.benefits.runBackpay(ctx.params as BackpayCauses, ctx.progress);
  }
}
