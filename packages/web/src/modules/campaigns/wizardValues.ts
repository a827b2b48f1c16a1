import type { CampaignKind, ParsedNoticeProposal } from '@shuangyong/shared';
import dayjs, { type Dayjs } from 'dayjs';
import type { TaskFormValue } from './TaskFields';

/**
 * The wizard's form values and what the user changed in them. A parse proposes values; what the
 * user edited (recorded as paths such as `items.2.title`) survives a second parse of changed text,
 * and a task's title follows its item's title until the user edits the task's own title.
 */
export interface WizardValues {
  title: string;
  docNumber?: string;
  issuers: string[];
  recipients: string[];
  issueDate?: Dayjs;
  kind: CampaignKind;
  remindDaysBefore: number;
  requirements: string[];
  items: { ordinal: number; title: string; body: string; tasks: TaskFormValue[] }[];
}

/** Guesses the festival from the title (元旦春节, 八一, 清明, 烈士纪念日). */
export function kindOf(title: string): CampaignKind {
  if (/春节|元旦/.test(title)) return 'spring_festival';
  if (/八一|建军节/.test(title)) return 'army_day';
  if (/清明/.test(title)) return 'qingming';
  if (/烈士纪念日/.test(title)) return 'martyrs_day';
  return 'other';
}

export function initialValues(p: ParsedNoticeProposal): WizardValues {
  const deadline = p.deadline ? dayjs(p.deadline) : undefined;
  return {
    title: p.title,
    docNumber: p.docNumber ?? undefined,
    issuers: p.issuers,
    recipients: p.recipients,
    issueDate: p.date ? dayjs(p.date) : undefined,
    kind: kindOf(p.title),
    remindDaysBefore: 2,
    requirements: p.requirements,
    items: p.items.map((it) => ({
      ordinal: it.ordinal,
      title: it.title,
      body: it.body,
      tasks: [
        {
          title: it.title,
          deadline,
          groups: it.assignTo.length ? [...it.assignTo] : ['districts'],
          orgIds: [],
          figures: [],
          requireNarrative: true,
          requireAttachment: false,
        },
      ],
    })),
  };
}

/** The paths a form change touched: `{ items: [, { title: 'x' }] }` → `items.1.title`. */
export function changedPaths(changed: unknown, prefix = ''): string[] {
  const isLeaf = (v: unknown) => v === null || typeof v !== 'object' || dayjs.isDayjs(v);
  if (isLeaf(changed)) return [prefix];
  const out: string[] = [];
  const entries = Array.isArray(changed)
    ? changed.map((v, i) => [String(i), v] as const).filter(([, v]) => v !== undefined)
    : Object.entries(changed as Record<string, unknown>);
  // a list of plain values (issuers, requirements) changes as a whole
  if (Array.isArray(changed) && changed.every(isLeaf)) return [prefix];
  for (const [k, v] of entries) out.push(...changedPaths(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

const touched = (edited: ReadonlySet<string>, path: string) =>
  [...edited].some((p) => p === path || p.startsWith(`${path}.`));

/** The tasks of item `i` whose title the user has not written: they follow the item's title. */
export function followingTasks(values: WizardValues, edited: ReadonlySet<string>, i: number): number[] {
  return (values.items[i]?.tasks ?? []).map((_, j) => j).filter((j) => !touched(edited, `items.${i}.tasks.${j}.title`));
}

const TOP = [
  'title',
  'docNumber',
  'issuers',
  'recipients',
  'issueDate',
  'kind',
  'remindDaysBefore',
  'requirements',
] as const;

/** A new proposal over the values the user has: what the user edited stays, the rest is the new reading. */
export function mergeProposal(
  prev: WizardValues,
  edited: ReadonlySet<string>,
  next: ParsedNoticeProposal,
): WizardValues {
  const out = initialValues(next);
  const keep = out as unknown as Record<string, unknown>;
  const old = prev as unknown as Record<string, unknown>;
  for (const k of TOP) if (touched(edited, k)) keep[k] = old[k];
  out.items = out.items.map((item, i) => {
    const before = prev.items[i];
    if (!before) return item;
    const merged = { ...item };
    if (touched(edited, `items.${i}.title`)) merged.title = before.title;
    if (touched(edited, `items.${i}.body`)) merged.body = before.body;
    if (touched(edited, `items.${i}.tasks`)) merged.tasks = before.tasks;
    else merged.tasks = merged.tasks.map((t) => ({ ...t, title: merged.title }));
    return merged;
  });
  return out;
}
