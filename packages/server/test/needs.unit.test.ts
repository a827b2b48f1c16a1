import { NEED_ACTIONS, NEED_STATUSES, type NeedAction, type NeedStatus } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { sniffAttachment, stripJpeg, stripPng } from '../src/modules/needs/needs.attachments.js';
import {
  allowedActions,
  deadlineFrom,
  isOverdue,
  NEED_TRANSITIONS,
  nextStatus,
  workingDaysLeft,
} from '../src/modules/needs/needs.machine.js';
import { localDayStart, median } from '../src/modules/needs/needs.stats.js';
import { localDate } from '../src/platform/calendar/dates.js';
import { addWorkingDays, isWorkingDay } from '../src/platform/calendar/working-days.js';

/** The whole table, written out: status → action → next status (absent = refused). */
const EXPECTED: Record<NeedStatus, Partial<Record<NeedAction, NeedStatus>>> = {
  submitted: { accept: 'accepted', decline: 'declined', merge: 'merged' },
  accepted: { assign: 'assigned', merge: 'merged' },
  assigned: { assign: 'assigned', start: 'in_progress' },
  in_progress: { assign: 'assigned', resolve: 'resolved' },
  resolved: { confirm: 'confirmed', reopen: 'in_progress' },
  confirmed: { close: 'closed', reopen: 'in_progress' },
  closed: {},
  declined: {},
  merged: {},
};

describe('need state machine', () => {
  const cases = NEED_STATUSES.flatMap((s) => NEED_ACTIONS.map((a) => [s, a] as const));

  it.each(cases)('%s + %s', (status, action) => {
    const expected = EXPECTED[status][action] ?? null;
    expect(nextStatus(status, action)).toBe(expected);
    expect(allowedActions(status).includes(action)).toBe(expected !== null);
  });

  it('covers every status and has no transition out of the terminal ones', () => {
    expect(Object.keys(NEED_TRANSITIONS).sort()).toEqual([...NEED_STATUSES].sort());
    for (const s of ['closed', 'declined', 'merged'] as const) expect(allowedActions(s)).toEqual([]);
  });

  it('reaches closed along the life cycle', () => {
    let s: NeedStatus = 'submitted';
    for (const a of ['accept', 'assign', 'start', 'resolve', 'confirm', 'close'] as const) s = nextStatus(s, a)!;
    expect(s).toBe('closed');
  });

  it('counts overdue only while the case is being handled', () => {
    expect(isOverdue('in_progress', '2026-03-01', '2026-03-02')).toBe(true);
    expect(isOverdue('in_progress', '2026-03-02', '2026-03-02')).toBe(false);
    expect(isOverdue('resolved', '2026-03-01', '2026-03-02')).toBe(false);
    expect(isOverdue('submitted', null, '2026-03-02')).toBe(false);
  });
});

describe('working-day deadlines across the 2026 Spring Festival', () => {
  it('knows the holiday and its swapped working Saturdays (调休)', () => {
    expect(isWorkingDay('2026-02-13')).toBe(true); // Friday
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday, 调休上班
    for (let d = 15; d <= 23; d++) expect(isWorkingDay(`2026-02-${d}`)).toBe(false); // 春节 9 days
    expect(isWorkingDay('2026-02-24')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-03-01')).toBe(false); // Sunday
  });

  it('counts the swapped Saturdays and skips the holiday', () => {
    // accepted Thursday 12 Feb: Fri 13 (1), Sat 14 (2), holiday, Tue 24 … Thu 26 (5)
    expect(deadlineFrom('2026-02-12', 5)).toBe('2026-02-26');
    // … Fri 27 (6), Sat 28 (7), Mon 2 Mar (8), Tue 3 (9), Wed 4 (10)
    expect(deadlineFrom('2026-02-12', 10)).toBe('2026-03-04');
    // medical (5 days) accepted on the swapped Saturday before the holiday: Tue 24 … Fri 27 (4),
    // and the deadline falls on the next swapped working Saturday, 28 Feb
    expect(deadlineFrom('2026-02-14', 5)).toBe('2026-02-28');
    // accepted during the holiday: the clock starts on the first working day after
    expect(deadlineFrom('2026-02-17', 1)).toBe('2026-02-24');
    expect(deadlineFrom('2026-02-17', 30)).toBe(addWorkingDays('2026-02-17', 30));
  });

  it('counts working days left and overdue', () => {
    expect(workingDaysLeft('2026-02-13', '2026-02-24')).toBe(2); // Sat 14, Tue 24
    expect(workingDaysLeft('2026-02-24', '2026-02-24')).toBe(0);
    expect(workingDaysLeft('2026-03-02', '2026-02-26')).toBe(-3); // Fri 27, Sat 28, Mon 2
    expect(workingDaysLeft('2026-02-20', '2026-02-24')).toBe(1);
  });

  it('takes the local date in the configured zone', () => {
    // 17:00 UTC on 13 Feb is already 14 Feb in Beijing
    expect(localDate(new Date('2026-02-13T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-02-14');
    expect(localDate(new Date('2026-02-13T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-02-13');
    expect(localDayStart('2026-02-14', 'Asia/Shanghai')).toBe('2026-02-13T16:00:00.000Z');
    expect(localDayStart('2026-02-14', 'UTC')).toBe('2026-02-14T00:00:00.000Z');
  });
});

describe('statistics helpers', () => {
  it('medians', () => {
    expect(median([])).toBeNull();
    expect(median([3])).toBe(3);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });
});

describe('attachments', () => {
  it('recognises files by content and strips image metadata', () => {
    expect(sniffAttachment(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffAttachment(Buffer.from('MZ\x90\x00'))).toBeNull();
    expect(sniffAttachment(Buffer.from('<html>'))).toBeNull();
    const exif = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, 0x0b]), Buffer.from('Exif\0\0GPS')]);
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]),
      exif,
      Buffer.from([0xff, 0xda, 0x00, 0x02, 0x11, 0x22, 0xff, 0xd9]),
    ]);
    expect(sniffAttachment(jpeg)).toBe('image/jpeg');
    const clean = stripJpeg(jpeg);
    expect(clean.includes(Buffer.from('GPS'))).toBe(false);
    expect(clean.length).toBe(jpeg.length - exif.length);
    const chunk = (type: string, data: Buffer) => {
      const b = Buffer.alloc(12 + data.length);
      b.writeUInt32BE(data.length, 0);
      b.write(type, 4, 'latin1');
      data.copy(b, 8);
      return b;
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Buffer.alloc(13)),
      chunk('tEXt', Buffer.from('Comment\0secret place')),
      chunk('IDAT', Buffer.alloc(4)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(sniffAttachment(png)).toBe('image/png');
    expect(stripPng(png).includes(Buffer.from('secret'))).toBe(false);
    expect(() => stripPng(png.subarray(0, 20))).toThrow();
  });
});
