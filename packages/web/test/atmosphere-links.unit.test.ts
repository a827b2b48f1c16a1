import type { Readiness } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { elementsFor, taskOptions } from '../src/modules/atmosphere/links';

describe('what an atmosphere record serves (modules/atmosphere/links.ts)', () => {
  it('offers each campaign task once, named with its campaign, and keeps the campaign it belongs to', () => {
    const a = (taskId: string, campaignId: string, taskTitle: string) => ({
      taskId,
      taskTitle,
      campaignId,
      campaignTitle: `部署${campaignId}`,
    });
    // the city sees the same task once for each district it went to
    const options = taskOptions([a('t1', 'c1', '走访慰问'), a('t1', 'c1', '走访慰问'), a('t2', 'c2', '举办联谊')]);
    expect(options).toEqual([
      { value: 't1', label: '部署c1：走访慰问', campaignId: 'c1' },
      { value: 't2', label: '部署c2：举办联谊', campaignId: 'c2' },
    ]);
    expect(taskOptions([])).toEqual([]);
  });

  it('lists the elements that accept the kind, apart from those the record is already filed under', () => {
    const evidence = (sourceKind: 'event' | 'exemplar', sourceId: string) => ({ sourceKind, sourceId });
    const el = (id: string, kinds: string[], filed: ReturnType<typeof evidence>[] = []) => ({
      id,
      code: id.toUpperCase(),
      text: `要素${id}`,
      kinds,
      evidence: filed,
    });
    const r = {
      standards: [
        {
          items: [
            { content: '联席会议', elements: [el('e1', ['document', 'event']), el('e2', ['document'])] },
            {
              content: '共建活动',
              elements: [
                el('e3', ['event', 'troops'], [evidence('event', 'ev1')]),
                el('e4', ['event'], [evidence('event', 'ev2')]),
              ],
            },
          ],
        },
        {
          items: [
            { content: '先进典型', elements: [el('e5', ['publicity', 'exemplar'], [evidence('exemplar', 'ev1')])] },
          ],
        },
      ],
    } as unknown as Readiness;
    expect(elementsFor(r, 'event', 'ev1')).toEqual({
      open: [
        { value: 'e1', label: 'E1 联席会议：要素e1' },
        { value: 'e4', label: 'E4 共建活动：要素e4' },
      ],
      filed: [{ id: 'e3', label: 'E3 共建活动：要素e3' }],
    });
    // the same id under another kind is another record
    expect(elementsFor(r, 'exemplar', 'ev1')).toEqual({
      open: [],
      filed: [{ id: 'e5', label: 'E5 先进典型：要素e5' }],
    });
    expect(elementsFor(undefined, 'event', 'ev1')).toEqual({ open: [], filed: [] });
  });
});
