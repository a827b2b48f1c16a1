import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { labelMap } from '../../platform/audit/labels.js';
import { defineModule } from '../../platform/module.js';
import { notificationsModule } from '../notifications/notifications.module.js';
import { registryModule } from '../registry/registry.module.js';
import { usersModule } from '../users/users.module.js';
import { BackpayJob } from './backpay-job.js';
import { benefitLabels } from './benefits.repo.js';
import { benefitsRoutes } from './benefits.routes.js';
import {
  BACKPAY_CONFIRMATION_KIND,
  BACKPAY_GRADE_KIND,
  BACKPAY_KIND,
  BenefitsService,
  RECONCILE_KIND,
} from './benefits.service.js';
import { DiscrepancyCases } from './discrepancies.service.js';
import { ReconcileJob } from './reconcile-job.js';

const MINUTE = 60 * 1000;

/**
 * 政策待遇落实到位: benefit standards as data, entitlement per person per month (set-wise over the
 * registry's read model), monthly payment rosters per district, the bank list, and reconciliation
 * of the bank's return file (a job) into discrepancies handled as cases (decisions/0055); annual confirmation; bank accounts.
 */
export const benefitsModule = defineModule({
  name: 'benefits',
  tables: [
    'benefit_standards',
    'benefit_rosters',
    'benefit_roster_lines',
    'benefit_backpay',
    'benefit_returns',
    'benefit_discrepancies',
    'benefit_confirmations',
    'benefit_accounts',
  ],
  requires: [usersModule, notificationsModule, registryModule],
  build: ({ p, jobs }, { registry, notifications, users }) => {
    const db = p.handle.db;
    const discrepancies = new DiscrepancyCases(p, notifications, users);
    const benefits = new BenefitsService(p, registry, jobs, discrepancies);
    // a grade change recorded late owes back pay for the months already paid: its job row is
    // inserted in the change's transaction (decisions/0056, 0057); an import's changes are one job (0073)
    registry.gradeChanges.onRecorded((trx, ctx, changes) =>
      benefits.queueBackpay(trx, ctx, { gradeChangeIds: changes.map((c) => c.id) }),
    );
    return {
      services: { benefits, discrepancies },
      routes: [benefitsRoutes(p, benefits, discrepancies)],
      jobs: {
        [RECONCILE_KIND]: new ReconcileJob(benefits),
        [BACKPAY_KIND]: new BackpayJob(benefits, 'benefit:standards'),
        [BACKPAY_CONFIRMATION_KIND]: new BackpayJob(benefits, 'benefit:pay'),
        // seen by who records grade changes (the registry's clerks, decisions/0056)
        [BACKPAY_GRADE_KIND]: new BackpayJob(benefits, 'beneficiary:write'),
      },
      targets: {
        benefitRoster: (scope, id) => benefits.rosterVisible(scope, id),
        benefitDiscrepancy: (scope, id) => discrepancies.visible(scope, id),
        benefitHousehold: async (scope, id) => !!(await registry.households.get(db, scope, id)),
      },
      // the discrepancies' deadline sweep, as the needs' one (decisions/0055)
      timers: [
        { name: 'benefit discrepancies deadline sweep', everyMs: 15 * MINUTE, run: (now) => discrepancies.sweep(now) },
      ],
      labels: {
        benefit_roster: async (ids, actor) => labelMap(await benefitLabels.rosters(db, actor.scope, ids)),
        // standards are read city-wide, as their list and their target do
        benefit_standard: async (ids) => labelMap(await benefitLabels.standards(db, SYSTEM_SCOPE, ids)),
        benefit_discrepancy: async (ids, actor) => labelMap(await benefitLabels.discrepancies(db, actor.scope, ids)),
      },
    };
  },
});

export type { BackpayCauses, BenefitsService } from './benefits.service.js';
export type { DiscrepancyCases } from './discrepancies.service.js';
