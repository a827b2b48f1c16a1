import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { needCountDifferences, needCountsRepo } from './counts.repo.js';

/**
 * `shuangyong doctor`: the cockpit's maintained needs counter (decisions/0050) against a rebuild
 * from the cases and their handlers; with `rebuild`, rewrites it. The report lines and whether all
 * was well.
 */
export async function needsDoctor(db: Queryable, rebuild: boolean): Promise<{ ok: boolean; lines: string[] }> {
  const [stored, expected] = await Promise.all([needCountsRepo.stored(db), needCountsRepo.expected(db, SYSTEM_SCOPE)]);
  const diff = needCountDifferences(stored, expected);
  if (!diff.length) return { ok: true, lines: [t('need.doctor.countsOk', { rows: stored.length })] };
  const lines = [
    t('need.doctor.countsDiffer', { n: diff.length }),
    ...diff.slice(0, 20).map((d) => t('registry.doctor.countsLine', d)),
  ];
  if (!rebuild) return { ok: false, lines: [...lines, t('registry.doctor.hintRebuild')] };
  const rows = await needCountsRepo.rebuild(db);
  return { ok: true, lines: [...lines, t('need.doctor.countsRebuilt', { rows })] };
}
