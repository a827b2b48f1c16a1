import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { orgsRepo } from './orgs.repo.js';
import { orgsRoutes } from './orgs.routes.js';
import { OrgsService } from './orgs.service.js';

/** The org tree (city → districts → streets → communities, units, departments). */
export const orgsModule = defineModule({
  name: 'orgs',
  tables: ['orgs'],
  // the org tree: every repo may join it for names and ranges
  joinable: ['orgs'],
  build: ({ p }) => {
    const orgs = new OrgsService(p);
    const db = p.handle.db;
    return {
      services: orgs,
      routes: [orgsRoutes(orgs)],
      targets: { org: async (scope, id) => !!(await orgsRepo.get(db, scope, id)) },
      labels: { org: async (ids, actor) => labelMap(await orgsRepo.names(db, actor.scope, ids)) },
    };
  },
});

export type { OrgRow } from './orgs.repo.js';
export type { OrgsService } from './orgs.service.js';
