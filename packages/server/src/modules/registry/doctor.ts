import { t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/index.js';
import { countDifferences, countsRepo, nameIndexRepo, nameTokens } from './registry.repo.js';

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

/**
 * `shuangyong doctor`: the name index (decisions/0087) against the people's names, a page of people
 * at a time — each person's entry must hold exactly `nameTokens` of the name and district, and no
 * entry may be left over (a `VACUUM` that renumbered rowids would show here); with `rebuild`, makes
 * every entry again.
 */
export async function nameIndexDoctor(db: Queryable, rebuild: boolean): Promise<{ ok: boolean; lines: string[] }> {
  let wrong = 0;
  let people = 0;
  let present = 0;
  let after = '';
  for (;;) {
    const page = await nameIndexRepo.namesAfter(db, SYSTEM_SCOPE, after, 5000);
    if (!page.length) break;
    const stored = new Map(
      (
        await nameIndexRepo.entries(
          db,
          SYSTEM_SCOPE,
          page.map((b) => b.id),
        )
      ).map((e) => [e.id, e.tokens.join(' ')]),
    );
    for (const b of page) {
      const entry = stored.get(b.id);
      if (entry !== undefined) present++;
      if (entry !== nameTokens(b.name_simplified, b.district_path).sort().join(' ')) wrong++;
    }
    people += page.length;
    after = page[page.length - 1]!.id;
  }
  const extra = (await nameIndexRepo.count(db)) - present;
  if (!wrong && !extra) return { ok: true, lines: [t('registry.doctor.namesOk', { n: people })] };
  const lines = [t('registry.doctor.namesDiffer', { wrong, extra })];
  if (!rebuild) return { ok: false, lines: [...lines, t('registry.doctor.hintRebuild')] };
  await nameIndexRepo.rebuild(db);
  return { ok: true, lines: [...lines, t('registry.doctor.namesRebuilt', { n: people })] };
}
