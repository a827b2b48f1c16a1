import { t, type Visit } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { VisitCapsTable } from './visits.schema.js';

/**
 * Frugality limits (DOMAIN §1 discipline, §6): per visit a warning level and a hard cap for cash
 * and for goods, per target a hard cap on the campaign's totals. Above a hard cap the record is
 * kept but waits for an approval by a role holding `visit:approve`.
 */
export type CapWarning = Visit['warnings'][number];

const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

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
