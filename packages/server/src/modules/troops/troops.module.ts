import { REACHED_GROUPS, t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { labelMap } from '../../platform/audit/labels.js';
import { TROOP_ACTIVITY_TYPES_0020 } from '../../platform/db/migrations/0020_troops.js';
import { defineModule } from '../../platform/module.js';
import { atmosphereModule } from '../atmosphere/atmosphere.module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { registryModule } from '../registry/registry.module.js';
import { visitsModule } from '../visits/visits.module.js';
import { ActivitiesService } from './activities.service.js';
import { typeLabel } from './activities.view.js';
import { emergencyRoutes } from './emergencies.routes.js';
import { EmergenciesService } from './emergencies.service.js';
import { PartnershipsService } from './partnerships.service.js';
import { ActivityPhotos } from './photos.js';
import { TroopStatsService } from './stats.service.js';
import { troopsRepo } from './troops.repo.js';
import { troopsRoutes } from './troops.routes.js';

/**
 * 拥政爱民 (troops serving the people, issue 20): activities units record, partnerships (军民共建)
 * and emergency support requests (抢险救灾). Exports `activities`, whose `evidence` and `counts`
 * are the read model other modules (the model-city bid) use: never the military-only fields.
 */
export const troopsModule = defineModule({
  name: 'troops',
  tables: [
    'troop_activity_types',
    'troop_activities',
    'troop_activity_photos',
    'troop_activity_stats',
    'troop_activity_city_stats',
    'troop_partnerships',
    'troop_partnership_plans',
    'troop_emergencies',
    'troop_emergency_dispatches',
    'troop_emergency_events',
  ],
  requires: [atmosphereModule, campaignsModule, registryModule, visitsModule],
  build: ({ p }, { atmosphere, campaigns, registry, visits }) => {
    const db = p.handle.db;
    const activities = new ActivitiesService(p, atmosphere.checks, registry.households);
    const photos = new ActivityPhotos(p, activities, atmosphere.checks);
    const emergencies = new EmergenciesService(p, atmosphere.checks);
    const partnerships = new PartnershipsService(p);
    // a unit's visit to an entitled household is one more line in its timeline (no military-only field)
    registry.householdLines.register(async (q, householdId) =>
      (await troopsRepo.byHousehold(q, householdId)).map((r) => ({
        source: 'troops',
        id: r.id,
        date: r.occurred_on,
        label: t('troops.householdVisit', { type: typeLabel(r.type, r.type_label) }),
        orgName: r.org_name,
      })),
    );
    // ... and marked on a visit plan's target list and counted beside coverage (never as the civil visit)
    visits.outsideVisits.register(async (q, range, householdIds) => {
      const out = [];
      const ids = householdIds ?? [undefined];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = householdIds ? householdIds.slice(i, i + 500) : undefined;
        for (const r of await troopsRepo.householdVisits(q, range, chunk))
          out.push({ householdId: r.household_id as string, date: r.occurred_on, orgName: r.org_name });
      }
      return out;
    });
    // campaign tasks ("each unit: N activities", "a visit to left-behind children") fill themselves
    campaigns.metrics.register({
      key: 'troops.activities',
      label: t('troops.metric.activities'),
      compute: (q, orgPath, campaignId) => troopsRepo.campaignFigure(q, SYSTEM_SCOPE, campaignId, orgPath, {}),
    });
    for (const [type] of TROOP_ACTIVITY_TYPES_0020)
      campaigns.metrics.register({
        key: `troops.activities.${type}`,
        label: t('troops.metric.activitiesOfType', { type: t(`troops.type.${type}`) }),
        compute: (q, orgPath, campaignId) => troopsRepo.campaignFigure(q, SYSTEM_SCOPE, campaignId, orgPath, { type }),
      });
    for (const group of REACHED_GROUPS)
      campaigns.metrics.register({
        key: `troops.reached.${group}`,
        label: t('troops.metric.reached', { group: t(`troops.reached.${group}`) }),
        compute: (q, orgPath, campaignId) =>
          troopsRepo.campaignFigure(q, SYSTEM_SCOPE, campaignId, orgPath, { reached: `reached_${group}` }),
      });
    return {
      services: { activities, emergencies },
      routes: [
        troopsRoutes(activities, photos, partnerships, new TroopStatsService(p, emergencies)),
        emergencyRoutes(p, emergencies),
      ],
      targets: {
        troopActivity: async (scope, id) => !!(await activities.visible(db, scope, id)),
        troopEmergency: async (scope, id) => !!(await emergencies.visible(scope, id)),
        troopPartnership: (scope, id) => partnerships.visible(scope, id),
      },
      labels: {
        troop_activity: async (ids, actor) =>
          labelMap(
            (await troopsRepo.labels(db, actor.scope, ids)).map((r) => ({
              id: r.id,
              label: `${r.occurred_on} ${typeLabel(r.type, r.type_label)}（${r.place_org_name}）`,
            })),
          ),
        troop_emergency: async (ids, actor) =>
          labelMap(
            (await Promise.all(ids.map((id) => emergencies.visible(actor.scope, id))))
              .filter((r) => !!r)
              .map((r) => ({ id: r.id, label: `${r.title}（${r.org_name}）` })),
          ),
      },
    };
  },
});

export type { ActivitiesService } from './activities.service.js';
export type { EmergenciesService } from './emergencies.service.js';
