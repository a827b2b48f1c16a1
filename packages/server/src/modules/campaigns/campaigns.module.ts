import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/context.js';
import type { TargetResolver } from '../../platform/http/pipeline.js';
import type { NotificationsService } from '../notifications/notifications.service.js';
import { campaignsRepo } from './campaigns.repo.js';
import { campaignsRoutes } from './campaigns.routes.js';
import { CampaignsCore } from './campaigns.service.js';
import type { CampaignsContext } from './context.js';
import { Dashboards } from './dashboard.js';
import { CampaignFiles } from './files.js';
import { defaultMetrics } from './metrics.js';
import { parseNotice } from './parse-notice/index.js';
import { Reminders } from './reminders.js';
import { DocxSummaryWriter, type SummaryReportWriter } from './report-docx.js';
import { SupervisionService } from './supervision.service.js';
import { workRoutes } from './work.routes.js';
import { WorkService } from './work.service.js';

/**
 * 工作部署 as the app sees it: one object holding the parts of the module, sharing one context
 * (clock, notifications, metric registry, file store). `remind(now)` is the reminder sweep that
 * `cli.ts serve` runs on an interval and tests call with a chosen time.
 */
export class CampaignsService {
  readonly cx: CampaignsContext;
  readonly core: CampaignsCore;
  readonly work: WorkService;
  readonly reminders: Reminders;
  readonly supervision: SupervisionService;
  readonly dashboards: Dashboards;
  readonly report: SummaryReportWriter = new DocxSummaryWriter();
  readonly parse = parseNotice;

  constructor(p: Platform, notifications: NotificationsService) {
    this.cx = {
      p,
      clock: { now: () => new Date() },
      notifications,
      metrics: defaultMetrics(),
      files: new CampaignFiles(p),
    };
    this.core = new CampaignsCore(this.cx);
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

  /** Automatic reminders (due soon, overdue) as of `now`. */
  remind(now: Date = this.cx.clock.now()) {
    return this.reminders.sweep(now);
  }
}

export function campaignsModule(
  p: Platform,
  campaigns: CampaignsService,
): { routes: FastifyPluginAsyncZod; targets: Record<string, TargetResolver> } {
  const db = p.handle.db;
  return {
    routes: async (app) => {
      await app.register(campaignsRoutes(p, campaigns));
      await app.register(workRoutes(p, campaigns));
    },
    targets: {
      campaign: async (scope, id) => !!(await campaignsRepo.campaign(db, scope, id)),
      task: async (scope, id) => !!(await campaignsRepo.task(db, scope, id)),
      assignment: async (scope, id) => !!(await campaignsRepo.assignment(db, scope, id)),
      campaignFile: async (scope, id) => !!(await campaignsRepo.file(db, scope, id)),
      inspection: async (scope, id) => !!(await campaignsRepo.inspection(db, scope, id)),
      rectification: async (scope, id) => !!(await campaignsRepo.rectification(db, scope, id)),
    },
  };
}
