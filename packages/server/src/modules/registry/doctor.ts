import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { countDifferences, countsRepo } from './registry.repo.js';

/**
 * `shuangyong doctor`: the registry's maintained totals (decisions/0029) against a rebuild from the
 * base tables; with `rebuild`, rewrites them. Returns the report lines and whether all was well.
 */
export async function registryDoctor(db: Queryable, rebuild: boolean): Promise<{ ok: boolean; lines: string[] }> {
  const [stored, expected] = await Promise.all([
    countsRepo.stored(db, SYSTEM_SCOPE),
    countsRepo.expected(db, SYSTEM_SCOPE),
  ]);
  const diff = countDifferences(stored, expected);
  if (!diff.length) return { ok: true, lines: [t('registry.doctor.countsOk', { rows: stored.length })] };
  const lines = [
    t('registry.doctor.countsDiffer', { n: diff.length }),
    ...diff.slice(0, 20).map((d) => t('registry.doctor.countsLine', d)),
  ];
  if (!rebuild) return { ok: false, lines: [...lines, t('registry.doctor.hintRebuild')] };
  const rows = await countsRepo.rebuild(db);
  return { ok: true, lines: [...lines, t('registry.doctor.countsRebuilt', { rows })] };
}
