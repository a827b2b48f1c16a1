import {
  accountNoSchema,
  fenToYuanText,
  monthsBetween,
  nextMonth,
  parseDisabilityCause,
  periodMonths,
  periodSchema,
  yuanTextToFen,
} from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { type Expected, type Registered, type ReturnLine, reconcile } from '../src/modules/benefits/reconcile.js';
import { ReturnLinesByPerson } from '../src/modules/benefits/return-lines.js';

describe('money of bank files, exact in fen', () => {
  it('reads yuan as the files write them, never through floating point', () => {
    expect(yuanTextToFen('2600.50')).toBe(260_050);
    expect(yuanTextToFen('2,600.5')).toBe(260_050);
    expect(yuanTextToFen('¥1234')).toBe(123_400);
    expect(yuanTextToFen('１２３４．５６')).toBe(123_456);
    expect(yuanTextToFen('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 in floating point
    expect(yuanTextToFen('1.005')).toBeNull();
    expect(yuanTextToFen('-5')).toBeNull();
    expect(yuanTextToFen('abc')).toBeNull();
    expect(fenToYuanText(1_140_150)).toBe('11401.50');
    expect(fenToYuanText(5)).toBe('0.05');
  });

  it('walks months across a year end', () => {
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('reads a roster period as one month or a quarter', () => {
    expect(periodMonths('2026-03')).toEqual(['2026-03']);
    expect(periodMonths('2026-Q1')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(periodMonths('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(periodSchema.safeParse('2026-Q2').success).toBe(true);
    expect(periodSchema.safeParse('2026-Q5').success).toBe(false);
    expect(periodSchema.safeParse('2026-13').success).toBe(false);
  });

  it('reads 性质 and bank account numbers as clerks write them', () => {
    expect(parseDisabilityCause('因战')).toBe('war');
    expect(parseDisabilityCause('因公致残')).toBe('duty');
    expect(parseDisabilityCause(' 病 ')).toBe('illness');
    expect(parseDisabilityCause('因伤')).toBeNull();
    expect(accountNoSchema.parse('6228 4800-1234 5678 901')).toBe('6228480012345678901');
    expect(accountNoSchema.safeParse('6228abc').success).toBe(false);
  });
});

describe('reconciliation rules (decisions/0040)', () => {
  const D = '650200/650203/';
  const exp = (bi: string, fen: number): Expected => ({
    beneficiaryId: `p-${bi}`,
    idBi: bi,
    name: bi,
    idMasked: bi,
    fen,
  });
  const line = (bi: string, fen: number, paid = true, rowNumber = 2): ReturnLine => ({
    rowNumber,
    idBi: bi,
    name: bi,
    idMasked: bi,
    fen,
    paid,
  });
  const reg = (bi: string, r: Partial<Registered> = {}): [string, Registered] => [
    bi,
    { id: `p-${bi}`, districtPath: D, movedFromDistrict: false, status: 'active', statusDate: null, ...r },
  ];

  it('finds one discrepancy per person, the first rule that applies', () => {
    const { findings, paidFen } = reconcile({
      period: '2026-03',
      district: D,
      expected: [
        exp('ok', 1000),
        exp('under', 1000),
        exp('over', 1000),
        exp('fail', 1000),
        exp('gone', 1000),
        exp('twice', 1000),
      ],
      lines: [
        line('ok', 1000),
        line('under', 999),
        line('over', 1001),
        line('fail', 1000, false),
        line('twice', 1000, true, 7),
        line('twice', 1000, true, 8),
        line('dead', 500),
        line('moved', 500),
        line('other', 500),
        line('stranger', 500),
        line('nobody', 500),
        line('stranger-failed', 500, false),
      ],
      registered: new Map([
        ...['ok', 'under', 'over', 'fail', 'gone', 'twice'].map((b) => reg(b)),
        reg('dead', { status: 'deceased', statusDate: '2026-02-28' }),
        reg('moved', { districtPath: '650200/650202/', movedFromDistrict: true }),
        reg('other', { districtPath: '650200/650202/' }),
        reg('stranger'),
      ]),
      paidElsewhere: new Set(['other', 'moved']),
    });
    const kinds = Object.fromEntries(findings.map((f) => [f.name, f.kind]));
    expect(kinds).toEqual({
      under: 'underpaid',
      over: 'overpaid',
      fail: 'failed',
      twice: 'duplicate_line',
      dead: 'paid_after_death',
      moved: 'paid_after_transfer',
      other: 'duplicate_district',
      stranger: 'not_entitled',
      nobody: 'unknown_id',
      gone: 'missing',
    });
    expect(findings.find((f) => f.kind === 'duplicate_line')!.rowNumber).toBe(8);
    // 1000 + 999 + 1001 + 2 × 1000 + 5 × 500 (failed lines are not paid)
    expect(paidFen).toBe(7_500);
  });

  it('finds a payment while suspended: suspended before the month was over, on the roster or not', () => {
    const { findings } = reconcile({
      period: '2026-03',
      district: D,
      expected: [exp('on-roster', 1000), exp('later', 1000)],
      lines: [line('on-roster', 1000), line('off-roster', 1000), line('later', 1000), line('failed', 1000, false)],
      registered: new Map([
        reg('on-roster', { status: 'suspended', statusDate: '2026-03-31' }),
        reg('off-roster', { status: 'suspended', statusDate: '2025-11-02' }),
        // suspended from April: March is still owed
        reg('later', { status: 'suspended', statusDate: '2026-04-01' }),
        // not paid: nothing to recover
        reg('failed', { status: 'suspended', statusDate: '2026-01-01' }),
      ]),
      paidElsewhere: new Set(),
    });
    expect(findings.map((f) => [f.name, f.kind, f.expectedFen, f.paidFen])).toEqual([
      ['on-roster', 'paid_while_suspended', 1000, 1000],
      ['off-roster', 'paid_while_suspended', 0, 1000],
    ]);
  });

  it('pays the month of death in full: a death on the 1st of the month is no discrepancy', () => {
    const { findings } = reconcile({
      period: '2026-03',
      district: D,
      expected: [exp('a', 1000)],
      lines: [line('a', 1000)],
      registered: new Map([reg('a', { status: 'deceased', statusDate: '2026-03-01' })]),
      paidElsewhere: new Set(),
    });
    expect(findings).toEqual([]);
  });
});

describe('the return lines a reconciliation holds (decisions/0070)', () => {
  it('keeps each person’s lines in file order as numbers, past the first growth of its arrays', () => {
    const held = new ReturnLinesByPerson();
    const file: ReturnLine[] = [];
    // 3,000 lines of 1,200 people, each person's lines spread over the file
    for (let i = 0; i < 3000; i++) {
      const bi = `bi-${(i * 7) % 1200}`;
      const l = { rowNumber: i + 2, idBi: bi, name: '', idMasked: '', fen: 100 * i + 1, paid: i % 5 !== 0 };
      file.push(l);
      held.add(bi, l.rowNumber, l.fen, l.paid);
    }
    expect(held.count).toBe(3000);
    expect(held.persons).toBe(1200);
    const byBi = new Map<string, ReturnLine[]>();
    for (const l of file) byBi.set(l.idBi, [...(byBi.get(l.idBi) ?? []), l]);
    expect(held.bis).toEqual([...byBi.keys()]);
    for (let p = 0; p < held.persons; p++) expect(held.linesOf(p)).toEqual(byBi.get(held.bis[p]!));
    expect(held.has('bi-7')).toBe(true);
    expect(held.bis[held.indexOf('bi-7')!]).toBe('bi-7');
    expect(held.indexOf('bi-1200')).toBeUndefined();
    expect(held.has('bi-1200')).toBe(false);
  });
});
