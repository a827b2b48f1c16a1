import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Platform } from '../../platform/context.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import { campaignsRepo } from './campaigns.repo.js';
import { CampaignsService } from './campaigns.service.js';
import type { CampaignsContext } from './context.js';
import { Dashboards } from './dashboard.js';
import { CampaignFiles } from './files.js';
import { defaultMetrics } from './metrics.js';
import { parseNotice } from './parse-notice/index.js';
import { campaignsReadModel } from './read-model.repo.js';
import { Reminders } from './reminders.js';
import { DocxSummaryWriter, type SummaryReportWriter } from './report.js';
import { SupervisionService } from './supervision.service.js';
import { WorkService } from './work.service.js';

/**
 * What the campaigns module exports (campaigns.module.ts): one object holding the parts of the
 * module, sharing one context (clock, notifications, metric registry, file store). `remind(now)`
 * is the reminder sweep the module's timer runs and tests call with a chosen time.
 */
export class Campaigns {
  readonly cx: CampaignsContext;
  readonly core: CampaignsService;
  readonly work: WorkService;
  readonly reminders: Reminders;
  readonly supervision: SupervisionService;
  readonly dashboards: Dashboards;
  readonly report: SummaryReportWriter = new DocxSummaryWriter();
  readonly parse = parseNotice;
  /** What other modules read of campaigns (read-model.repo.ts). */
  readonly readModel = campaignsReadModel;

  constructor(p: Platform, notifications: NotificationsService) {
    this.cx = {
      p,
      clock: { now: () => new Date() },
      notifications,
      metrics: defaultMetrics(),
      files: new CampaignFiles(p),
    };
    this.core = new CampaignsService(this.cx);
    this.work = new WorkService(this.cx);
    this.reminders = new Reminders(this.cx);
    this.supervision = new SupervisionService(this.cx);
    this.dashboards = new Dashboards(this.cx);
  }

  /** The clock every "today" of the module reads; tests replace `now`. */
  get clock() {
    return this.cx.clock;
  }

  /** Metric providers tasks can bind to; other modules register theirs here. */
  get metrics() {
    return this.cx.metrics;
  }

  /** Issued campaigns and the org that issued each (scheduled daily briefs). */
  issued() {
    return campaignsRepo.issued(this.cx.p.handle.db, SYSTEM_SCOPE);
  }

  /** Automatic reminders (due soon, overdue) as of `now`. */
  remind(now: Date = this.cx.clock.now()) {
    return this.reminders.sweep(now);
  }
}
