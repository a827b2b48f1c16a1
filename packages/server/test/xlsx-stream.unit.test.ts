import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeXlsxStream } from '../src/platform/files/export.js';
import { readZipDirectory } from '../src/platform/files/index.js';
import { columnLetter, writeSheetXlsx } from '../src/platform/files/xlsx-stream.js';

const columns = [
  { key: 'name', header: '姓名' },
  { key: 'n', header: '数' },
  { key: 'ok', header: '是否' },
  { key: 'note', header: '备注', width: 36 },
];
const rows = Array.from({ length: 5000 }, (_, i) => ({
  name: i === 0 ? '=HYPERLINK("x")' : `张三${i} `,
  n: i % 7 === 0 ? null : i % 3 === 0 ? -i / 4 : i,
  ok: i % 11 === 0 ? i % 2 === 0 : undefined,
  note: i % 5 === 0 ? `a<b>&'"\u0001\u007f${i}` : i % 13 === 0 ? '' : `备注 ${'长'.repeat(i % 40)}`,
}));

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  await write(out);
  return Buffer.concat(parts);
}

async function sheetOf(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const values: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (r) => values.push((r.values as unknown[]).slice(1)));
  return { ws, values };
}

describe('writeSheetXlsx (the table export writer, decisions/0074)', () => {
  it('writes the cells exceljs writes for the same rows: escaped, cleaned, typed', async () => {
    const opts = () => ({ sheetName: '优抚对象:名单', columns, rows });
    const mine = await sheetOf(await collect((out) => writeSheetXlsx(out, opts())));
    const theirs = await sheetOf(await collect((out) => writeXlsxStream(out, opts())));
    expect(mine.values.length).toBe(rows.length + 1);
    expect(mine.values).toEqual(theirs.values);
    expect(mine.ws.name).toBe(theirs.ws.name);
    expect(mine.values[1]![0]).toBe(`'=HYPERLINK("x")`);
    expect(mine.ws.getRow(1).font?.bold).toBe(true);
    expect(mine.ws.getRow(2).font?.bold).toBeFalsy();
    expect(mine.ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(mine.ws.getColumn(1).width).toBe(16);
    expect(mine.ws.getColumn(4).width).toBe(36);
  });

  it('is a well-formed zip whose directory lists the parts of an xlsx', async () => {
    const buf = await collect((out) => writeSheetXlsx(out, { sheetName: 's', columns, rows: rows.slice(0, 10) }));
    const dir = readZipDirectory(buf);
    expect(dir.entries.map((e) => e.name)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/app.xml',
      'docProps/core.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('takes async rows and waits for a slow output (no more than a window held)', async () => {
    let held = 0;
    let maxHeld = 0;
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _e, done) {
        held += chunk.length;
        maxHeld = Math.max(maxHeld, held);
        chunks.push(chunk);
        setImmediate(() => {
          held -= chunk.length;
          done();
        });
      },
    });
    async function* many() {
      for (let i = 0; i < 40_000; i++) yield { name: `n${i}`, n: i, ok: true, note: `${i}`.repeat(8) };
    }
    const { rows: written } = await writeSheetXlsx(slow, { sheetName: 's', columns, rows: many() });
    expect(written).toBe(40_000);
    expect(slow.writableFinished).toBe(true);
    expect(maxHeld).toBeLessThan(1 << 20);
    const { values } = await sheetOf(Buffer.concat(chunks));
    expect(values.length).toBe(40_001);
    expect(values[40_000]).toEqual(['n39999', 39999, true, '39999'.repeat(8)]);
  });

  it('fails when the output is destroyed midway', async () => {
    const out = new PassThrough();
    out.resume();
    async function* rowsThenDestroy() {
      for (let i = 0; i < 50_000; i++) {
        if (i === 20_000) out.destroy();
        yield { name: `n${i}`, n: i, ok: false, note: 'x'.repeat(50) };
      }
    }
    await expect(writeSheetXlsx(out, { sheetName: 's', columns, rows: rowsThenDestroy() })).rejects.toThrow();
  });

  it('names columns as Excel does', () => {
    expect([1, 26, 27, 52, 53, 702, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});
