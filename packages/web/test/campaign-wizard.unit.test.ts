import type { ParsedNoticeProposal } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { changedPaths, followingTasks, initialValues, mergeProposal } from '../src/modules/campaigns/wizardValues';

const proposal = (titles: string[], over: Partial<ParsedNoticeProposal> = {}): ParsedNoticeProposal => ({
  title: '关于做好2025年春节期间双拥工作的通知',
  titleProposed: false,
  docNumber: null,
  issuers: ['克拉玛依市双拥工作领导小组办公室'],
  recipients: ['各区退役军人事务局', '各驻市部队'],
  items: titles.map((title, i) => ({ ordinal: i + 1, title, body: `${title}。`, assignTo: i === 1 ? ['units'] : [] })),
  requirements: ['严守纪律'],
  attachments: [],
  cc: [],
  date: '2025-01-15',
  deadline: '2025-02-10',
  warnings: [],
  ...over,
});

describe('the campaign wizard keeps what the user fixed', () => {
  it('proposes one task per item, titled like the item and sent to the groups the item names', () => {
    const v = initialValues(proposal(['广泛开展双拥宣传', '慰问驻市部队']));
    expect(v.items.map((i) => [i.tasks[0]!.title, i.tasks[0]!.groups])).toEqual([
      ['广泛开展双拥宣传', ['districts']],
      ['慰问驻市部队', ['units']],
    ]);
    expect(v.items[0]!.tasks[0]!.deadline?.format('YYYY-MM-DD')).toBe('2025-02-10');
    expect(v.kind).toBe('spring_festival');
  });

  it('names the paths a change touched', () => {
    expect(changedPaths({ items: [undefined, { title: 'x' }] })).toEqual(['items.1.title']);
    expect(changedPaths({ items: [{ tasks: [undefined, { title: 'y' }] }] })).toEqual(['items.0.tasks.1.title']);
    expect(changedPaths({ issuers: ['a', 'b'] })).toEqual(['issuers']);
    expect(changedPaths({ title: '新标题' })).toEqual(['title']);
  });

  it('lets a task follow its item title until the task title is edited', () => {
    const v = initialValues(proposal(['宣传', '慰问']));
    v.items[0]!.tasks.push({ ...v.items[0]!.tasks[0]! });
    expect(followingTasks(v, new Set(), 0)).toEqual([0, 1]);
    expect(followingTasks(v, new Set(['items.0.tasks.1.title']), 0)).toEqual([0]);
  });

  it('keeps edited fields, item titles and tasks when changed text is parsed again', () => {
    const first = initialValues(proposal(['宣传(xuān)', '慰问ä¸']));
    first.items[1]!.title = '走访慰问驻市部队';
    first.items[1]!.tasks[0]!.title = '走访慰问驻市部队';
    first.title = '我改的标题';
    const edited = new Set(['items.1.title', 'title']);
    const again = mergeProposal(first, edited, proposal(['营造宣传氛围', '慰问', '落实优待']));
    expect(again.title).toBe('我改的标题');
    expect(again.items.map((i) => i.title)).toEqual(['营造宣传氛围', '走访慰问驻市部队', '落实优待']);
    // the task follows the user's item title, the others the new reading
    expect(again.items.map((i) => i.tasks[0]!.title)).toEqual(['营造宣传氛围', '走访慰问驻市部队', '落实优待']);
    // a task the user edited is kept as it is
    first.items[0]!.tasks[0]!.title = '报送宣传情况';
    const third = mergeProposal(first, new Set(['items.0.tasks.0.title']), proposal(['营造宣传氛围', '慰问']));
    expect(third.items[0]!.tasks[0]!.title).toBe('报送宣传情况');
    expect(third.items[0]!.title).toBe('营造宣传氛围');
  });
});
