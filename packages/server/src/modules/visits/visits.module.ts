import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { honoursModule } from '../honours/honours.module.js';
import { orgsModule } from '../orgs/orgs.module.js';
import { registryModule } from '../registry/registry.module.js';
import { VISIT_METRICS } from './coverage.js';
import { LETTERS_KIND, LettersJob } from './letters.js';
import { MoneyService } from './money.service.js';
import { outsideVisits } from './outside-visits.js';
import { PhotoStore } from './photo-store.js';
import { plansRoutes } from './plans.routes.js';
import { PlansService } from './plans.service.js';
import { RecordsService } from './records.service.js';
import { TeamsService } from './teams.service.js';
import { VisitsReadModel } from './visits.read.js';
import { visitsRepo } from './visits.repo.js';
import { visitsRoutes } from './visits.routes.js';

/**
 * 走访慰问: plans of a campaign, teams, target lists, visit records with photos, money and caps,
 * coverage, bulk letters. Adds its coverage figures to the campaigns' metric registry, so a task
 * can be bound to them.
 */
export const visitsModule = defineModule({
  name: 'visits',
  tables: [
    'visit_plans',
    'visit_teams',
    'visit_targets',
    'visit_caps',
    'visit_budget_lines',
    'visits',
    'visit_photos',
    'visit_coverage',
    'visit_daily',
  ],
  requires: [campaignsModule, orgsModule, registryModule, honoursModule],
  build: ({ p, jobs }, { campaigns, orgs, registry, honours }) => {
    const db = p.handle.db;
    const outside = outsideVisits();
    const plans = new PlansService(p, campaigns, orgs, registry, honours, outside);
    const teams = new TeamsService(p, orgs);
    const records = new RecordsService(p);
    const money = new MoneyService(p, orgs, campaigns, outside);
    const photos = new PhotoStore(p);
    for (const m of VISIT_METRICS) campaigns.metrics.register(m);
    return {
      services: { plans, outsideVisits: outside, teams, records, money, photos, read: new VisitsReadModel(p, money) },
      routes: [plansRoutes(plans, teams, jobs), visitsRoutes({ p, plans, records, money, photos, jobs, campaigns })],
      targets: {
        visitPlan: async (scope, id) => !!(await visitsRepo.plan(db, scope, id)),
        visitTarget: async (scope, id) => !!(await visitsRepo.target(db, scope, id)),
        visit: async (scope, id) => !!(await visitsRepo.visit(db, scope, id)),
        visitPhoto: async (scope, id) => !!(await visitsRepo.photo(db, scope, id)),
        visitBudgetLine: async (scope, id) => !!(await visitsRepo.budgetLine(db, scope, id)),
      },
      labels: { visit_plan: async (ids, actor) => labelMap(await visitsRepo.planTitles(db, actor.scope, ids)) },
      jobs: { [LETTERS_KIND]: new LettersJob(p, jobs, campaigns) },
      close: () => photos.close(),
    };
  },
});
export type { PlansService as VisitPlansService } from './plans.service.js';
export type { VisitsReadModel } from './visits.read.js';
