import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/context.js';
import type { TargetResolver } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { VISIT_METRICS, type VisitMetricProvider } from './coverage.js';
import { LETTERS_KIND, LettersJob } from './letters.js';
import { MoneyService } from './money.service.js';
import { PhotoStore } from './photo-store.js';
import { plansRoutes } from './plans.routes.js';
import { PlansService } from './plans.service.js';
import { RecordsService } from './records.service.js';
import { TeamsService } from './teams.service.js';
import { visitsRepo } from './visits.repo.js';
import { visitsRoutes } from './visits.routes.js';

/**
 * The visits module (走访慰问) as the app registers it: services, routes, the resolvers of its
 * `:id` kinds, the bulk-letters job, and the coverage metrics campaign tasks can bind to.
 */
export class VisitsModule {
  readonly plans: PlansService;
  readonly teams: TeamsService;
  readonly records: RecordsService;
  readonly money: MoneyService;
  readonly photos: PhotoStore;
  readonly routes: FastifyPluginAsyncZod;
  readonly targets: Record<string, TargetResolver>;

  /** `metrics`: the campaigns module's registry, when it is there — the coverage figures tasks bind to. */
  constructor(p: Platform, jobs: Jobs, metrics?: { register(provider: VisitMetricProvider): void }) {
    const db = p.handle.db;
    this.plans = new PlansService(p);
    this.teams = new TeamsService(p);
    this.records = new RecordsService(p);
    this.money = new MoneyService(p);
    this.photos = new PhotoStore(p);
    for (const m of VISIT_METRICS) metrics?.register(m);
    jobs.register(LETTERS_KIND, new LettersJob(p, jobs));
    const deps = { p, plans: this.plans, records: this.records, money: this.money, photos: this.photos, jobs };
    this.routes = async (app) => {
      await app.register(plansRoutes(this.plans, this.teams, jobs));
      await app.register(visitsRoutes(deps));
    };
    this.targets = {
      visitPlan: async (scope, id) => !!(await visitsRepo.plan(db, scope, id)),
      visitTarget: async (scope, id) => !!(await visitsRepo.target(db, scope, id)),
      visit: async (scope, id) => !!(await visitsRepo.visit(db, scope, id)),
      visitPhoto: async (scope, id) => !!(await visitsRepo.photo(db, scope, id)),
      visitBudgetLine: async (scope, id) => !!(await visitsRepo.budgetLine(db, scope, id)),
    };
  }
}
