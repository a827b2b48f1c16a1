import { inflateRawSync } from 'node:zlib';
import type { ParsedNoticeProposal } from '@shuangyong/shared';
import { readZipDirectory } from '../src/platform/files/index.js';

/**
 * The campaign the issuer builds from the parsed joint Spring Festival notice: item 1 to every
 * district (figure: events held), item 2 to every stationed unit and the education bureau, item 4
 * to every district (households visited, bound to the registry metric). Item 3 has no task.
 */
export function springFestivalBody(p: ParsedNoticeProposal, jyjId: string) {
  const tasks: Record<number, unknown[]> = {
    1: [
      {
        title: '报送双拥宣传活动开展情况',
        deadline: '2025-01-20',
        figures: [{ key: 'events', label: '开展军地联谊等活动', unit: '场' }],
        assignTo: { groups: ['districts'] },
      },
    ],
    2: [
      {
        title: '报送部队急难愁盼问题解决情况',
        deadline: '2025-01-20',
        requireNarrative: true,
        assignTo: { groups: ['units'], orgIds: [jyjId] },
      },
    ],
    4: [
      {
        title: '报送走访慰问优抚对象情况',
        description: '走访慰问老复员军人、烈士遗属等，报送走访户数和慰问金额。',
        deadline: '2025-01-18',
        figures: [
          { key: 'households_visited', label: '走访户数', unit: '户' },
          { key: 'cash_yuan', label: '慰问金', unit: '元' },
        ],
        metricKey: 'registry.martyr_survivors.active',
        assignTo: { groups: ['districts'] },
      },
    ],
  };
  return {
    title: p.title,
    docNumber: p.docNumber ?? undefined,
    issuers: p.issuers,
    recipients: p.recipients,
    issueDate: p.date ?? undefined,
    periodStart: '2025-01-10',
    periodEnd: '2025-02-12',
    requirements: p.requirements,
    kind: 'spring_festival',
    remindDaysBefore: 2,
    fullText: '（通知全文）',
    items: p.items.map(({ assignTo: _default, ...it }) => ({ ...it, tasks: tasks[it.ordinal] ?? [] })),
  };
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

/** A 1×1 PNG carrying a text chunk with a location, which the upload must strip. */
export function pngWithLocation(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from('GPS\u000045.59N 84.88E', 'latin1')),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One entry of a zip (xlsx, docx) as text. */
export function zipText(buf: Buffer, name: string): string {
  const entry = readZipDirectory(buf).entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the archive`);
  const off = entry.localHeaderOffset;
  const start = off + 30 + buf.readUInt16LE(off + 26) + buf.readUInt16LE(off + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  return (entry.method === 0 ? data : inflateRawSync(data)).toString('utf8');
}

/** Beijing time → the instant (the module's days are days in Asia/Shanghai). */
export const beijing = (local: string) => new Date(`${local}+08:00`);
