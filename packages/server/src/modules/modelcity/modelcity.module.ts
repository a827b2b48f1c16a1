import { defineModule } from '../../platform/module.js';
import { atmosphereModule } from '../atmosphere/atmosphere.module.js';
import { troopsModule } from '../troops/troops.module.js';
import { modelcityRoutes } from './modelcity.routes.js';
import { ModelCityService } from './modelcity.service.js';

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
  ],
  requires: [atmosphereModule, troopsModule],
  build: ({ p }, { atmosphere, troops }) => {
    const modelcity = new ModelCityService(p, atmosphere.publicity, troops.activities);
    return {
      services: { modelcity },
      routes: [modelcityRoutes(p, modelcity)],
      targets: {
        modelEvidence: async (scope, id) => !!(await modelcity.visible(scope, id)),
      },
    };
  },
});

export type { ModelCityService } from './modelcity.service.js';
