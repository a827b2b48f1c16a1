import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { notificationsModule } from '../notifications/notifications.module.js';
import { visitsModule } from '../visits/visits.module.js';
import { atmosphereRepo, itemTitles } from './atmosphere.repo.js';
import { atmosphereRoutes } from './atmosphere.routes.js';
import type { CampaignOfTask } from './campaign-task.js';
import { ConfidentialityChecks } from './checks.service.js';
import { EventPhotos } from './events.photos.js';
import { eventsRoutes } from './events.routes.js';
import { EventsService, registerEventMetrics } from './events.service.js';
import { exemplarNames, exemplarsRepo } from './exemplars.repo.js';
import { exemplarsRoutes } from './exemplars.routes.js';
import { ExemplarsService, viewerOf } from './exemplars.service.js';
import { PublicityPhotos } from './photos.js';
import { PublicityService } from './publicity.service.js';

/**
 * 营造双拥氛围: publicity items with the two-sided confidentiality review (保密审查) and the
 * automatic checks every text for the public goes through (`services.checks`).
 */
export const atmosphereModule = defineModule({
  name: 'atmosphere',
  tables: [
    'atmosphere_check_rules',
    'atmosphere_items',
    'atmosphere_photos',
    'atmosphere_reviews',
    'atmosphere_events',
    'atmosphere_event_invitations',
    'atmosphere_event_photos',
    'atmosphere_exemplars',
    'atmosphere_exemplar_reviews',
    'atmosphere_exemplar_items',
  ],
  requires: [notificationsModule, campaignsModule, visitsModule],
  build: ({ p }, { notifications, campaigns, visits }) => {
    const db = p.handle.db;
    const checks = new ConfidentialityChecks(p);
    // the campaign task an item, event or exemplar serves must be its campaign's (read model only)
    // after the item's own campaign was checked in scope: the task is looked up city-wide
    const campaignOfTask: CampaignOfTask = (db, taskId) => campaigns.readModel.campaignOfTask(db, SYSTEM_SCOPE, taskId);
    const publicity = new PublicityService(p, checks, notifications, campaignOfTask);
    const photos = new PublicityPhotos(p, publicity);
    // 双拥活动 (decisions/0043): budget lines are the visits module's, read through its money service
    const events = new EventsService(p, checks, visits.money, campaignOfTask);
    const eventPhotos = new EventPhotos(p, events, checks);
    registerEventMetrics(campaigns.metrics);
    const exemplars = new ExemplarsService(p, checks, publicity, notifications, campaignOfTask);
    // exemplars (双拥先进典型) a task asks for, and the published items about them
    campaigns.metrics.register({
      key: 'atmosphere.exemplars.approved',
      label: t('exemplars.metric.approved'),
      compute: (q, orgPath, campaignId) => exemplarsRepo.approvedCount(q, SYSTEM_SCOPE, campaignId, orgPath),
    });
    campaigns.metrics.register({
      key: 'atmosphere.publicity.about_exemplars',
      label: t('exemplars.metric.aboutExemplars'),
      compute: (q, orgPath, campaignId) => exemplarsRepo.aboutExemplarsCount(q, SYSTEM_SCOPE, campaignId, orgPath),
    });
    // a campaign task ("each district: at least two items") can be bound to this live figure
    campaigns.metrics.register({
      key: 'atmosphere.publicity.published',
      label: t('atmosphere.metric.published'),
      compute: (q, orgPath, campaignId) => atmosphereRepo.publishedCount(q, SYSTEM_SCOPE, campaignId, orgPath),
    });
    return {
      services: { checks, publicity, events, exemplars },
      routes: [
        atmosphereRoutes(publicity, checks, photos),
        eventsRoutes(events, eventPhotos),
        exemplarsRoutes(p, exemplars),
      ],
      targets: {
        publicityItem: async (scope, id) => !!(await publicity.visible(db, scope, id)),
        // the list is city-wide; who may edit is the service's rule
        checkRule: async (_scope, id) => !!(await atmosphereRepo.rule(db, id)),
        event: async (_scope, id, actor) => !!(await events.visible(db, actor, id)),
        exemplar: async (_scope, id, actor) => !!(await exemplars.visible(db, actor, id)),
      },
      labels: {
        publicity_item: async (ids, actor) => labelMap(await itemTitles(db, actor.scope, ids)),
        event: async (ids, actor) => labelMap(await events.titles(db, actor, ids)),
        exemplar: async (ids, actor) => labelMap(await exemplarNames(db, viewerOf(actor), ids)),
      },
    };
  },
});

export type { ConfidentialityChecks } from './checks.service.js';
export type { EventsService } from './events.service.js';
export type { ExemplarsService } from './exemplars.service.js';
export type { PublicityService } from './publicity.service.js';
