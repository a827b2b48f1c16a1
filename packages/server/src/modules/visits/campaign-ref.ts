import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { badRequest } from '../../platform/errors.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { ancestorPaths, visitsRepo } from './visits.repo.js';

/** Refuses (400, in Chinese) a campaign id that names no campaign, before the constraint would (0006). */
export async function requireCampaign(campaigns: Campaigns, db: Queryable, campaignId: string): Promise<void> {
  if (!(await campaigns.readModel.exists(db, SYSTEM_SCOPE, campaignId)))
    throw badRequest('campaign_not_found', 'visits.campaignNotFound');
}

/**
 * The issued campaigns the caller's visits pages can work on, newest first: those the campaigns
 * module shows them (issuer side, or assigned within their scope), those assigned to an org above
 * them (a station under an assigned district), and those their own or a higher org already plans
 * visits in (campaigns that migration 0006 created for orphan ids carry no assignments).
 */
export function workableCampaigns(
  campaigns: Campaigns,
  db: Queryable,
  actor: { scope: Scope; orgPath: string },
  limit = 200,
) {
  const above = ancestorPaths(actor.orgPath);
  return campaigns.readModel.issuedFor(
    db,
    actor.scope,
    above,
    visitsRepo.plannedCampaignIds(db, actor.scope, above),
    limit,
  );
}
