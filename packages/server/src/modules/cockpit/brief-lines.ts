import { type Cockpit, t } from '@shuangyong/shared';

const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** The headline sentences, the same in both formats. */
export function headlineLines(c: Cockpit): string[] {
  const h = c.headline;
  return [
    t('brief.line.completion', {
      completion: h.completion,
      accepted: h.accepted,
      assigned: h.assigned,
      overdue: h.overdueTasks,
    }),
    t('brief.line.coverage', { coverage: h.coverage, visited: h.visited, planned: h.planned, visits: h.visits }),
    t('brief.line.spending', { spent: yuan(h.spentFen), budget: yuan(h.budgetFen) }),
    t('brief.line.needs', { open: h.needsOpen, overdue: h.needsOverdue }),
  ];
}
