import type { AssignmentListItem, Readiness } from '@shuangyong/shared';
import { t } from '../../i18n';

/** What an atmosphere record serves: a campaign's task, and the model-city elements it is evidence of. */

export interface TaskOption {
  value: string;
  label: string;
  campaignId: string;
}

/**
 * The campaign tasks a record can serve, one option a task (the city sees a task once for all the
 * districts it went to), with the campaign it belongs to.
 */
export function taskOptions(
  items: readonly Pick<AssignmentListItem, 'taskId' | 'taskTitle' | 'campaignId' | 'campaignTitle'>[],
): TaskOption[] {
  const seen = new Map<string, TaskOption>();
  for (const a of items)
    if (!seen.has(a.taskId))
      seen.set(a.taskId, {
        value: a.taskId,
        label: t('web.events.taskLabel', { campaign: a.campaignTitle, task: a.taskTitle }),
        campaignId: a.campaignId,
      });
  return [...seen.values()];
}

export type TaggedKind = 'event' | 'exemplar';

/**
 * The scoring elements of the round that accept a record of `kind` as evidence, and the ones the
 * record is already filed under.
 */
export function elementsFor(r: Readiness | undefined, kind: TaggedKind, sourceId: string) {
  const open: { value: string; label: string }[] = [];
  const filed: { id: string; label: string }[] = [];
  for (const s of r?.standards ?? [])
    for (const i of s.items)
      for (const e of i.elements) {
        if (!e.kinds.includes(kind)) continue;
        const label = `${e.code} ${i.content}：${e.text}`;
        if (e.evidence.some((v) => v.sourceKind === kind && v.sourceId === sourceId)) filed.push({ id: e.id, label });
        else open.push({ value: e.id, label });
      }
  return { open, filed };
}
