import { systemActor } from '../../platform/auth/actor.js';
import { defineModule } from '../../platform/module.js';
import { atmosphereModule } from '../atmosphere/atmosphere.module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { honoursModule } from '../honours/honours.module.js';
import { needsModule } from '../needs/needs.module.js';
import { troopsModule } from '../troops/troops.module.js';
import { visitsModule } from '../visits/visits.module.js';
import { BINDER_KIND, BinderJob } from './binder-job.js';
import { modelcityRoutes } from './modelcity.routes.js';
import { ModelCityService } from './modelcity.service.js';
import { ItemOwners } from './owners.js';
import { ownersRoutes } from './owners.routes.js';
import {
  budgetSource,
  campaignSource,
  eventSource,
  exemplarSource,
  honourSource,
  needSource,
  plaqueSource,
  visitSource,
} from './sources.js';

/**
 * 创建全国双拥模范城: the assessment table as versioned data, evidence filed against its scoring
 * elements (uploads, and records of other modules reached through their services), the readiness
 * score and the binder (decisions/0041).
 */
export const modelcityModule = defineModule({
  name: 'modelcity',
  tables: [
    'modelcity_rounds',
    'modelcity_standards',
    'modelcity_items',
    'modelcity_elements',
    'modelcity_vetoes',
    'modelcity_evidence',
    'modelcity_owners',
  ],
  requires: [atmosphereModule, troopsModule, visitsModule, campaignsModule, needsModule, honoursModule],
  build: ({ p, jobs, sessions }, { atmosphere, troops, visits, campaigns, needs, honours }) => {
    // evidence that files itself: one line per source (decisions/0046)
    const sources = [
      visitSource(p, visits.plans),
      campaignSource(p, campaigns),
      needSource(p, needs),
      honourSource(p, honours),
      eventSource(atmosphere.events),
      exemplarSource(atmosphere.exemplars),
      plaqueSource(honours),
      budgetSource(p, visits.read),
    ];
    const modelcity = new ModelCityService(p, atmosphere.publicity, troops.activities, sources);
    const owners = new ItemOwners(p, campaigns, modelcity);
    return {
      services: { modelcity, owners },
      routes: [modelcityRoutes(p, modelcity, jobs), ownersRoutes(owners)],
      jobs: {
        // the binder holds what its creator may read, with the creator's scope at the time it runs
        [BINDER_KIND]: new BinderJob(p, jobs, modelcity, async (job) => {
          if (job.created_by === 'system') return systemActor({ id: job.org_id, path: job.org_path, name: 'system' });
          const actor = await sessions.actorOf(job.created_by);
          if (!actor) throw new Error('the job creator is no longer active');
          return actor;
        }),
      },
      targets: {
        modelEvidence: async (scope, id) => !!(await modelcity.visible(scope, id)),
        // the table is the city's, not scoped: every reader may address its items
        modelItem: async (_scope, id) => owners.exists(id),
      },
    };
  },
});

export type { ModelCityService } from './modelcity.service.js';
