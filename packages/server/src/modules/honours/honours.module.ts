import { defineModule } from '../../platform/module.js';
import { orgsModule } from '../orgs/orgs.module.js';
import { registryModule } from '../registry/registry.module.js';
import { honoursRoutes } from './honours.routes.js';
import { HonoursService } from './honours.service.js';

/** 光荣牌, 立功喜报 and 春联: households, plaque events, merit citations, couplet deliveries. */
export const honoursModule = defineModule({
  name: 'honours',
  tables: ['plaque_events', 'merit_citations', 'couplet_deliveries'],
  requires: [orgsModule, registryModule],
  build: ({ p }, { orgs, registry }) => {
    const honours = new HonoursService(p, registry.households, orgs, registry.householdLines);
    const db = p.handle.db;
    return {
      services: honours,
      routes: [honoursRoutes(honours)],
      targets: {
        household: async (scope, id) => !!(await honours.household(db, scope, id)),
        citation: async (scope, id) => !!(await honours.citation(db, scope, id)),
      },
    };
  },
});
export type { HonoursService } from './honours.service.js';
