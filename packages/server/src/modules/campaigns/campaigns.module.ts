import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { notificationsModule } from '../notifications/notifications.module.js';
import { registryModule } from '../registry/registry.module.js';
import { Campaigns } from './campaigns.facade.js';
import { campaignsRepo } from './campaigns.repo.js';
import { campaignsRoutes } from './campaigns.routes.js';
import { workRoutes } from './work.routes.js';

const MINUTE = 60 * 1000;

/**
 * 工作部署: notices → items → tasks → assignments → reports, reminders, supervision, dashboards.
 * Exports `Campaigns` (its services, the clock and the metric registry other modules add to).
 */
export const campaignsModule = defineModule({
  name: 'campaigns',
  tables: [
    'campaigns',
    'campaign_items',
    'campaign_tasks',
    'campaign_assignments',
    'campaign_reports',
    'campaign_files',
    'campaign_reminders',
    'campaign_inspections',
    'campaign_rectifications',
  ],
  requires: [notificationsModule, registryModule],
  build: ({ p }, { notifications, registry }) => {
    const db = p.handle.db;
    const campaigns = new Campaigns(p, notifications);
    // 在册烈士遗属人数, from the registry's read model: a figure a task can be bound to
    campaigns.metrics.register({
      key: 'registry.martyr_survivors.active',
      label: '辖区在册烈士遗属（人）',
      compute: (db, orgPath) => registry.readModel.activeWithCategory(db, SYSTEM_SCOPE, 'martyr_survivor', orgPath),
    });
    return {
      services: campaigns,
      routes: [campaignsRoutes(p, campaigns), workRoutes(p, campaigns)],
      targets: {
        campaign: async (scope, id) => !!(await campaignsRepo.campaign(db, scope, id)),
        task: async (scope, id) => !!(await campaignsRepo.task(db, scope, id)),
        assignment: async (scope, id) => !!(await campaignsRepo.assignment(db, scope, id)),
        campaignFile: async (scope, id) => !!(await campaignsRepo.file(db, scope, id)),
        inspection: async (scope, id) => !!(await campaignsRepo.inspection(db, scope, id)),
        rectification: async (scope, id) => !!(await campaignsRepo.rectification(db, scope, id)),
      },
      labels: {
        campaign: async (ids, actor) => labelMap(await campaignsRepo.titles(db, actor.scope, ids)),
        campaign_task: async (ids, actor) =>
          new Map(
            (await campaignsRepo.taskTitles(db, actor.scope, ids)).map((r) => [
              r.id,
              t('auditLog.taskLabel', { campaign: r.campaign_title, task: r.title }),
            ]),
          ),
        campaign_assignment: async (ids, actor) =>
          new Map(
            (await campaignsRepo.assignmentTitles(db, actor.scope, ids)).map((r) => [
              r.id,
              t('auditLog.assignmentLabel', { task: r.title, org: r.org_name }),
            ]),
          ),
      },
      timers: [
        {
          // reminders before a task's deadline and once it is overdue, then the outbox
          name: 'campaign reminder sweep',
          everyMs: 30 * MINUTE,
          run: (now) => campaigns.remind(now).then(() => notifications.flush()),
        },
      ],
    };
  },
});
export type { Campaigns } from './campaigns.facade.js';
export type { CampaignFacts } from './campaigns.service.js';
