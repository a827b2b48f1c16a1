import { type StandingCaps, t, type Visit } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import { visitsRepo } from './visits.repo.js';
import type { VisitCapsTable } from './visits.schema.js';

/**
 * Frugality limits (DOMAIN §1 discipline, §6): per visit a warning level and a hard cap for cash
 * and for goods, per target a hard cap on the campaign's totals. Above a hard cap the record is
 * kept but waits for an approval by a role holding `visit:approve`.
 */
export type CapWarning = Visit['warnings'][number];

const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

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

export interface CapInput {
  cashFen: number;
  goodsFen: number;
  /** What the target already received in this campaign, without this visit. */
  priorCashFen: number;
  priorGoodsFen: number;
  /** The target was visited before in this campaign. */
  repeat: boolean;
}

export function evaluateCaps(caps: Selectable<VisitCapsTable> | undefined, v: CapInput): CapWarning[] {
  const out: CapWarning[] = [];
  const check = (value: number, cap: number | null | undefined, code: string, level: CapWarning['level']) => {
    if (cap != null && value > cap)
      out.push({ code, level, message: t(`visits.cap.${code}`, { amount: yuan(value), cap: yuan(cap) }) });
  };
  if (caps) {
    const cashMax = caps.cash_per_visit_max_fen;
    if (cashMax != null && v.cashFen > cashMax) check(v.cashFen, cashMax, 'cashVisitMax', 'approval');
    else check(v.cashFen, caps.cash_per_visit_warn_fen, 'cashVisitWarn', 'warning');
    const goodsMax = caps.goods_per_visit_max_fen;
    if (goodsMax != null && v.goodsFen > goodsMax) check(v.goodsFen, goodsMax, 'goodsVisitMax', 'approval');
    else check(v.goodsFen, caps.goods_per_visit_warn_fen, 'goodsVisitWarn', 'warning');
    check(v.priorCashFen + v.cashFen, caps.cash_per_target_max_fen, 'cashTargetMax', 'approval');
    check(v.priorGoodsFen + v.goodsFen, caps.goods_per_target_max_fen, 'goodsTargetMax', 'approval');
  }
  if (v.repeat) out.push({ code: 'repeat', level: 'warning', message: t('visits.cap.repeat') });
  return out;
}

export const needsApproval = (w: CapWarning[]) => w.some((x) => x.level === 'approval');
