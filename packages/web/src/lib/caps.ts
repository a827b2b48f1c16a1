import { type CapWarning, evaluateCaps, type VisitCaps, type VisitTarget } from '@shuangyong/shared';

/**
 * The cap warnings of a visit worked out on the phone, for when `/visits/check` cannot be reached:
 * the server's rules (shared `evaluateCaps`) on the campaign's caps and the target's totals as the
 * kept lists have them. The server checks again when the visit is sent; what it says then is what
 * counts (decisions/0016).
 */
export function capWarnings(
  caps: VisitCaps | null,
  target: Pick<VisitTarget, 'cashFen' | 'goodsFen' | 'visitCount'>,
  v: { cashFen: number; goodsFen: number },
): CapWarning[] {
  return evaluateCaps(caps, {
    ...v,
    priorCashFen: target.cashFen,
    priorGoodsFen: target.goodsFen,
    repeat: target.visitCount > 0,
  });
}
