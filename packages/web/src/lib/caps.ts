import type { VisitCaps, VisitTarget } from '@shuangyong/shared';
import type { CapWarning } from '../api/visits';
import { t } from '../i18n';

const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

const MESSAGE = {
  cashVisitWarn: 'visits.cap.cashVisitWarn',
  cashVisitMax: 'visits.cap.cashVisitMax',
  goodsVisitWarn: 'visits.cap.goodsVisitWarn',
  goodsVisitMax: 'visits.cap.goodsVisitMax',
  cashTargetMax: 'visits.cap.cashTargetMax',
  goodsTargetMax: 'visits.cap.goodsTargetMax',
} as const;

/**
 * The cap warnings of a visit worked out on the phone, for when `/visits/check` cannot be reached:
 * the same rules as the server's (server/…/visits/caps.ts `evaluateCaps`), from the campaign's caps
 * and the target's totals as the kept lists have them. The server checks again when the visit is
 * sent; what it says then is what counts (decisions/0016).
 */
export function capWarnings(
  caps: VisitCaps | null,
  target: Pick<VisitTarget, 'cashFen' | 'goodsFen' | 'visitCount'>,
  v: { cashFen: number; goodsFen: number },
): CapWarning[] {
  const out: CapWarning[] = [];
  const check = (value: number, cap: number | null, code: keyof typeof MESSAGE, level: CapWarning['level']) => {
    if (cap != null && value > cap)
      out.push({ code, level, message: t(MESSAGE[code], { amount: yuan(value), cap: yuan(cap) }) });
  };
  if (caps) {
    const cashMax = caps.cashPerVisitMaxFen;
    if (cashMax != null && v.cashFen > cashMax) check(v.cashFen, cashMax, 'cashVisitMax', 'approval');
    else check(v.cashFen, caps.cashPerVisitWarnFen, 'cashVisitWarn', 'warning');
    const goodsMax = caps.goodsPerVisitMaxFen;
    if (goodsMax != null && v.goodsFen > goodsMax) check(v.goodsFen, goodsMax, 'goodsVisitMax', 'approval');
    else check(v.goodsFen, caps.goodsPerVisitWarnFen, 'goodsVisitWarn', 'warning');
    check(target.cashFen + v.cashFen, caps.cashPerTargetMaxFen, 'cashTargetMax', 'approval');
    check(target.goodsFen + v.goodsFen, caps.goodsPerTargetMaxFen, 'goodsTargetMax', 'approval');
  }
  if (target.visitCount > 0) out.push({ code: 'repeat', level: 'warning', message: t('visits.cap.repeat') });
  return out;
}
