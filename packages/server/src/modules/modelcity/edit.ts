import { createHash } from 'node:crypto';
import type { editItemBody } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { AppError, badRequest, conflict, versionConflict } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { type ElementRow, type ItemRow, modelcityRepo } from './modelcity.repo.js';

/**
 * The version of an item as the city edits it: a digest of the item's and its elements' rows (the
 * table has no version column; an edit that read other rows is stale, 409).
 */
export function itemVersion(item: Pick<ItemRow, 'content' | 'points'>, elements: readonly ElementRow[]): string {
  const h = createHash('sha256').update(JSON.stringify([item.content, item.points]));
  for (const e of [...elements].sort((a, b) => a.seq - b.seq))
    h.update(JSON.stringify([e.id, e.seq, e.text, e.points, e.evidence_kinds, e.min_count]));
  return h.digest('hex').slice(0, 16);
}

/**
 * Edits an item of the table in place (decisions/0041): content, elements' text, points, accepted
 * evidence kinds and minimum count; elements added and removed. The item's points are the sum of
 * its elements' (a standard's are the sum of its items'); an element with evidence filed is not
 * removed (409) — its evidence is withdrawn first, so no filed piece loses its element.
 */
export async function editItem(
  p: Platform,
  ctx: RequestCtx,
  itemId: string,
  body: z.infer<typeof editItemBody>,
): Promise<{ roundId: string }> {
  if (ctx.actor.scope.kind !== 'all') throw new AppError(403, 'forbidden', 'modelcity.editCityOnly');
  return p.handle.db.transaction().execute(async (trx) => {
    const item = await modelcityRepo.item(trx, itemId);
    if (!item) throw new AppError(404, 'not_found', 'modelcity.itemNotFound');
    const before = await modelcityRepo.itemElements(trx, item.id);
    if (itemVersion(item, before) !== body.version) throw versionConflict();
    const byId = new Map(before.map((e) => [e.id, e]));
    const sum = body.elements.reduce((a, e) => a + e.points, 0);
    if (body.points !== undefined && body.points !== sum)
      throw badRequest('total_mismatch', 'modelcity.edit.totalMismatch', {
        points: body.points / 100,
        sum: sum / 100,
      });
    const sent = new Set<string>();
    for (const e of body.elements)
      if (e.id) {
        if (!byId.has(e.id) || sent.has(e.id)) throw badRequest('unknown_element', 'modelcity.edit.unknownElement');
        sent.add(e.id);
      }
    const removed = before.filter((e) => !sent.has(e.id));
    const filed = await modelcityRepo.evidenceCounts(
      trx,
      SYSTEM_SCOPE,
      removed.map((e) => e.id),
    );
    for (const e of removed) {
      const count = filed.get(e.id) ?? 0;
      if (count > 0)
        throw conflict('element_has_evidence', 'modelcity.edit.elementHasEvidence', { text: e.text, count });
    }
    const rows = body.elements.map((e, i) => ({
      id: e.id ?? uuidv7(),
      round_id: item.round_id,
      item_id: item.id,
      seq: i + 1,
      text: e.text,
      points: e.points,
      evidence_kinds: e.kinds.join(','),
      min_count: e.minCount,
    }));
    await modelcityRepo.saveItem(
      trx,
      { id: item.id, content: body.content, points: sum },
      rows.filter((r) => byId.has(r.id)),
      rows.filter((r) => !byId.has(r.id)),
      removed.map((e) => e.id),
    );
    const brief = (e: Pick<ElementRow, 'text' | 'points'>) => `${e.text}（${e.points / 100}）`;
    await p.audit.append(trx, auditActorOf(ctx), {
      action: 'modelcity.item.edit',
      entityType: 'modelcity_item',
      entityId: item.id,
      changes: {
        content: item.content === body.content ? undefined : { from: item.content, to: body.content },
        points: item.points === sum ? undefined : { from: item.points / 100, to: sum / 100 },
        elements: { from: before.map(brief), to: rows.map(brief) },
        removed: removed.length ? removed.map(brief) : undefined,
      },
    });
    return { roundId: item.round_id };
  });
}
