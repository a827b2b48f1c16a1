import { defineModule } from '../../platform/module.js';
import { atmosphereModule } from '../atmosphere/atmosphere.module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { needsModule } from '../needs/needs.module.js';
import { visitsModule } from '../visits/visits.module.js';
import { BriefsService } from './briefs.service.js';
import { cockpitRepo } from './cockpit.repo.js';
import { cockpitRoutes } from './cockpit.routes.js';
import { CockpitService } from './cockpit.service.js';

const MINUTE = 60_000;

/**
 * 领导驾驶舱 (issue 18): charts of a campaign's progress for city staff, the 军分区 and leaders, and
 * the daily brief (每日简报). Owns only the briefs: every figure comes from the read models the
 * campaigns, visits and needs modules export (decisions/0036, 0037).
 */
export const cockpitModule = defineModule({
  name: 'cockpit',
  tables: ['cockpit_briefs'],
  requires: [campaignsModule, visitsModule, needsModule, atmosphereModule],
  build: ({ p }, { campaigns, visits, needs, atmosphere }) => {
    const cockpit = new CockpitService(p, campaigns, visits, needs);
    const briefs = new BriefsService(p, cockpit, atmosphere.checks, campaigns);
    return {
      services: { cockpit, briefs },
      routes: [cockpitRoutes(p, cockpit, briefs)],
      targets: { cockpitBrief: async (scope, id) => !!(await cockpitRepo.get(p.handle.db, scope, id)) },
      timers: [{ name: 'daily brief', everyMs: 10 * MINUTE, run: (now) => briefs.scheduled(now) }],
    };
  },
});
