import { t } from '../i18n/index.js';
import type { StandingCaps, Visit } from '../schemas/visits.js';

/**
 * Frugality limits (DOMAIN §1 discipline, §6): per visit a warning level and a hard cap for cash
 * and for goods, per target a hard cap on the campaign's totals. Above a hard cap the record is
 * kept but waits for an approval. One copy of the rules: the server applies them when a visit is
 * saved, the field app offline from its kept caps (decisions/0016).
 */
export type CapWarning = Visit['warnings'][number];

export interface CapInput {
  cashFen: number;
  goodsFen: number;
  /** What the target already received in this campaign, without this visit. */
  priorCashFen: number;
  priorGoodsFen: number;
  /** The target was visited before in this campaign. */
  repeat: boolean;
}

const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

export function evaluateCaps(caps: StandingCaps | null | undefined, v: CapInput): CapWarning[] {
  const out: CapWarning[] = [];
  const check = (value: number, cap: number | null | undefined, code: string, level: CapWarning['level']) => {
    if (cap != null && value > cap)
      out.push({ code, level, message: t(`visits.cap.${code}`, { amount: yuan(value), cap: yuan(cap) }) });
  };
  if (caps) {
    const cashMax = caps.cashPerVisitMaxFen;
    if (cashMax != null && v.cashFen > cashMax) check(v.cashFen, cashMax, 'cashVisitMax', 'approval');
    else check(v.cashFen, caps.cashPerVisitWarnFen, 'cashVisitWarn', 'warning');
    const goodsMax = caps.goodsPerVisitMaxFen;
    if (goodsMax != null && v.goodsFen > goodsMax) check(v.goodsFen, goodsMax, 'goodsVisitMax', 'approval');
    else check(v.goodsFen, caps.goodsPerVisitWarnFen, 'goodsVisitWarn', 'warning');
    check(v.priorCashFen + v.cashFen, caps.cashPerTargetMaxFen, 'cashTargetMax', 'approval');
    check(v.priorGoodsFen + v.goodsFen, caps.goodsPerTargetMaxFen, 'goodsTargetMax', 'approval');
  }
  if (v.repeat) out.push({ code: 'repeat', level: 'warning', message: t('visits.cap.repeat') });
  return out;
}

export const needsApproval = (w: CapWarning[]) => w.some((x) => x.level === 'approval');
