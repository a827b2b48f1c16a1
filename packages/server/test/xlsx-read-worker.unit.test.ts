import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileError } from '../src/platform/files/errors.js';
import { readTable, readTableAll } from '../src/platform/files/table.js';
import { writeSheetXlsx } from '../src/platform/files/xlsx-stream.js';

/** A sheet of `n` people written by the platform's own xlsx writer (which does not use exceljs). */
async function sheet(n: number): Promise<Buffer> {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  await writeSheetXlsx(out, {
    sheetName: '名册',
    columns: [
      { header: '姓名', key: 'name' },
      { header: '序号', key: 'i' },
    ],
    rows: Array.from({ length: n }, (_, i) => ({ name: `张${'建国立华'[i % 4]}${i}`, i })),
  });
  return Buffer.concat(parts);
}

const exceljsHere = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\/]exceljs[\\/]/.test(k));

beforeEach(() => {
  delete process.env.XLSX_READ_WORKER; // the default: the worker
});
afterEach(() => {
  delete process.env.XLSX_READ_WORKER;
});

describe('worksheets are read in the reader worker (decisions/0083)', () => {
  it('gives every row in order without loading exceljs into this thread', async () => {
    const rows = await readTableAll(await sheet(1_203));
    expect(rows).toHaveLength(1_204);
    expect(rows[0]!.cells).toEqual(['姓名', '序号']);
    expect(rows[1]).toEqual({ rowNumber: 2, cells: ['张建0', '0'] });
    expect(rows[1_203]).toEqual({ rowNumber: 1_204, cells: ['张立1202', '1202'] });
    expect(exceljsHere()).toBe(false);
    // the same rows when read in this thread (XLSX_READ_WORKER=0, or the server without the worker's entry)
    process.env.XLSX_READ_WORKER = '0';
    expect(await readTableAll(await sheet(1_203))).toEqual(rows);
    expect(exceljsHere()).toBe(true);
  });

  it('refuses a file beyond the row limit with the same message, and reads the next file after it', async () => {
    const err = await readTableAll(await sheet(2_000), { maxRows: 1_500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).fileCode).toBe('file_too_many_rows');
    const first: string[][] = [];
    for await (const row of readTable(await sheet(900))) {
      first.push(row.cells);
      if (first.length === 3) break; // a reader that stops early
    }
    expect(first[2]).toEqual(['张国1', '1']);
    expect(await readTableAll(await sheet(10))).toHaveLength(11);
  });

  it('passes a damaged worksheet back as the corrupt-file refusal', async () => {
    const good = await sheet(50);
    const broken = Buffer.from(good);
    // damage the sheet's deflated bytes in the middle of the file (the directory stays readable)
    for (let i = Math.floor(broken.length / 3); i < Math.floor(broken.length / 3) + 40; i++) broken[i] = 0x41;
    const err = await readTableAll(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).fileCode).toBe('file_corrupt');
  });
});
