import {
  type CapInput,
  type CapWarning,
  evaluateCaps as evaluateSharedCaps,
  needsApproval,
  type StandingCaps,
} from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import { visitsRepo } from './visits.repo.js';
import type { VisitCapsTable } from './visits.schema.js';

/** The settings key of the city's standing caps (decisions/0027). */
export const STANDING_CAPS_KEY = 'visits.standing_caps';

/**
 * The standing caps before the city sets its own: 800 / 1000 元 cash and 400 / 500 元 goods per
 * visit, 2000 元 cash and 1000 元 goods per target and campaign — a new campaign is never uncapped.
 */
export const DEFAULT_STANDING_CAPS: StandingCaps = {
  cashPerVisitWarnFen: 80_000,
  cashPerVisitMaxFen: 100_000,
  goodsPerVisitWarnFen: 40_000,
  goodsPerVisitMaxFen: 50_000,
  cashPerTargetMaxFen: 200_000,
  goodsPerTargetMaxFen: 100_000,
};

export async function standingCaps(p: Platform, db: Queryable): Promise<StandingCaps> {
  return { ...DEFAULT_STANDING_CAPS, ...(await p.settings.value<Partial<StandingCaps>>(db, STANDING_CAPS_KEY)) };
}

export type EffectiveCaps = Selectable<VisitCapsTable> & { inherited: boolean };

/** The caps a campaign applies: its own when the city set them, else the standing caps (version 0). */
export async function effectiveCaps(p: Platform, db: Queryable, campaignId: string): Promise<EffectiveCaps> {
  const own = await visitsRepo.caps(db, campaignId);
  if (own) return { ...own, inherited: false };
  const s = await standingCaps(p, db);
  return {
    campaign_id: campaignId,
    cash_per_visit_warn_fen: s.cashPerVisitWarnFen,
    cash_per_visit_max_fen: s.cashPerVisitMaxFen,
    goods_per_visit_warn_fen: s.goodsPerVisitWarnFen,
    goods_per_visit_max_fen: s.goodsPerVisitMaxFen,
    cash_per_target_max_fen: s.cashPerTargetMaxFen,
    goods_per_target_max_fen: s.goodsPerTargetMaxFen,
    version: 0,
    updated_by: 'standing',
    updated_at: '',
    inherited: true,
  };
}

/** The shared rules (@shuangyong/shared `evaluateCaps`) on a campaign's caps row. */
export function evaluateCaps(caps: Selectable<VisitCapsTable> | undefined, v: CapInput): CapWarning[] {
  return evaluateSharedCaps(
    caps && {
      cashPerVisitWarnFen: caps.cash_per_visit_warn_fen,
      cashPerVisitMaxFen: caps.cash_per_visit_max_fen,
      goodsPerVisitWarnFen: caps.goods_per_visit_warn_fen,
      goodsPerVisitMaxFen: caps.goods_per_visit_max_fen,
      cashPerTargetMaxFen: caps.cash_per_target_max_fen,
      goodsPerTargetMaxFen: caps.goods_per_target_max_fen,
    },
    v,
  );
}

export { needsApproval };
