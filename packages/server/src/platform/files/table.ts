import { tick } from '../tick.js';
import { isScientificBigNumber } from './cells.js';
import {
  type CsvDelimiter,
  type CsvRecord,
  decodeTextAsync,
  detectDelimiter,
  parseCsv,
  parseCsvBatches,
  type TextEncoding,
} from './decode.js';
import { FileError } from './errors.js';
import { type SniffOptions, sniff } from './sniff.js';
import { openXlsx } from './xlsx-read.js';

export const DEFAULT_MAX_COLUMNS = 256;

/** One non-blank row of the first worksheet (or CSV record), as the user sees it. */
export interface TableRow {
  /** 1-based: the Excel row number, or the CSV line where the record starts. */
  rowNumber: number;
  /** Cell texts from column A; trailing empty cells are dropped. */
  cells: string[];
  /**
   * 0-based columns holding a number ≥ 1e15 — an 18-digit ID number typed into a number cell,
   * whose last digits Excel has already replaced by zeros (or, in a CSV, '6.50203E+17').
   */
  bigNumbers?: number[];
}

export interface ReadProgress {
  rows: number;
  /** 0..1 of the input consumed. */
  fraction: number;
}

export interface ReadTableOptions extends SniffOptions {
  /** Refuse the file when it holds more non-blank rows than this. */
  maxRows?: number;
  /** Cells right of this column are ignored (default 256; a stray cell in column XFD costs 16k cells a row). */
  maxColumns?: number;
  onProgress?: (p: ReadProgress) => void;
  /** Rows between onProgress calls (default 1000; always called once at the end). */
  progressEvery?: number;
}

export interface TableInfo {
  kind: 'xlsx' | 'csv';
  sheetName?: string;
  encoding?: TextEncoding;
  delimiter?: CsvDelimiter;
}

export interface OpenedTable {
  info: TableInfo;
  rows: AsyncGenerator<TableRow>;
}

/**
 * Identifies the upload by content and opens its first visible worksheet (xlsx, streamed) or its
 * records (CSV in a detected encoding and delimiter). Throws a FileError for anything else.
 * Completely blank rows are left out; row numbers stay those the user sees.
 */
export async function openTable(buffer: Buffer, opts: ReadTableOptions = {}): Promise<OpenedTable> {
  const kind = sniff(buffer, opts);
  if (kind.kind === 'xlsx') {
    const sheet = await openXlsx(buffer, kind.zip, opts.maxColumns ?? DEFAULT_MAX_COLUMNS);
    return {
      info: { kind: 'xlsx', sheetName: sheet.name },
      rows: shape(sheet.rows, sheet.progress, opts),
    };
  }
  const { text, encoding } = await decodeTextAsync(buffer);
  const delimiter = detectDelimiter(text);
  let position = 0;
  async function* records(): AsyncGenerator<TableRow> {
    let n = 0;
    for await (const r of parseCsv(text, delimiter)) {
      position = r.lineNumber;
      // a piece of the file is parsed in one go: give other requests a turn now and then
      if (++n % 2000 === 0) await tick();
      const bigNumbers: number[] = [];
      r.fields.forEach((f, i) => {
        if (isScientificBigNumber(f)) bigNumbers.push(i);
      });
      yield bigNumbers.length
        ? { rowNumber: r.lineNumber, cells: r.fields, bigNumbers }
        : { rowNumber: r.lineNumber, cells: r.fields };
    }
  }
  const lines = Math.max(1, countLines(text));
  return {
    info: { kind: 'csv', encoding, delimiter },
    rows: shape(records(), () => Math.min(1, position / lines), opts),
  };
}

/** The rows of an upload (see openTable). */
export async function* readTable(buffer: Buffer, opts: ReadTableOptions = {}): AsyncGenerator<TableRow> {
  const { rows } = await openTable(buffer, opts);
  yield* rows;
}

/** All rows in memory: for small files and tests; imports should stream with readTable. */
export async function readTableAll(buffer: Buffer, opts: ReadTableOptions = {}): Promise<TableRow[]> {
  const out: TableRow[] = [];
  for await (const row of readTable(buffer, opts)) out.push(row);
  return out;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function* shape(
  rows: AsyncGenerator<TableRow>,
  fraction: () => number,
  opts: ReadTableOptions,
): AsyncGenerator<TableRow> {
  const every = opts.progressEvery ?? 1000;
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  let count = 0;
  for await (const row of rows) {
    if (!trimRow(row, maxColumns)) continue;
    count++;
    if (opts.maxRows !== undefined && count > opts.maxRows) {
      throw new FileError('file_too_many_rows', 'files.tooManyRows', { max: opts.maxRows });
    }
    if (opts.onProgress && count % every === 0) opts.onProgress({ rows: count, fraction: fraction() });
    yield row;
  }
  opts.onProgress?.({ rows: count, fraction: 1 });
}

/** Drops the row's cells right of `maxColumns` and its trailing empty cells; false for a blank row. */
function trimRow(row: TableRow, maxColumns: number): boolean {
  const cells = row.cells;
  let end = Math.min(cells.length, maxColumns);
  while (end > 0 && cells[end - 1] === '') end--;
  if (end === 0) return false;
  if (end < cells.length) cells.length = end;
  if (row.bigNumbers) {
    row.bigNumbers = row.bigNumbers.filter((c) => c < end);
    if (row.bigNumbers.length === 0) delete row.bigNumbers;
  }
  return true;
}

/** A CSV record as a TableRow (the columns holding a number in scientific notation noted). */
function csvRow(r: CsvRecord): TableRow {
  let bigNumbers: number[] | undefined;
  const fields = r.fields;
  for (let i = 0; i < fields.length; i++) {
    if (!isScientificBigNumber(fields[i]!)) continue;
    bigNumbers ??= [];
    bigNumbers.push(i);
  }
  return bigNumbers
    ? { rowNumber: r.lineNumber, cells: fields, bigNumbers }
    : { rowNumber: r.lineNumber, cells: fields };
}

export interface OpenedTableBatches {
  info: TableInfo;
  /** The rows of openTable (blank rows left out, the same limits and progress), some at a time. */
  batches: AsyncGenerator<TableRow[]>;
  /**
   * The same rows again from the first, with `opts` for this reading: a CSV's text is not decoded
   * again (it is kept for as long as this function is held), a worksheet is opened again.
   */
  again(opts?: ReadTableOptions): Promise<OpenedTableBatches>;
}

/**
 * openTable for a reader that works through a large file row by row (reconciling a return file):
 * the same rows, handed over in batches — a CSV parsed by parseCsvBatches, a worksheet's rows
 * gathered 1,000 at a time.
 */
export async function openTableBatches(buffer: Buffer, opts: ReadTableOptions = {}): Promise<OpenedTableBatches> {
  const kind = sniff(buffer, opts);
  if (kind.kind === 'xlsx') {
    const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
    const take = rowTaker(opts);
    const sheet = await openXlsx(buffer, kind.zip, maxColumns);
    async function* sheetBatches(): AsyncGenerator<TableRow[]> {
      let batch: TableRow[] = [];
      for await (const row of sheet.rows) {
        batch.push(row);
        if (batch.length === 1000) {
          const out = take.rows(batch, sheet.progress);
          batch = [];
          if (out.length) yield out;
        }
      }
      const out = take.rows(batch, sheet.progress);
      if (out.length) yield out;
      take.done();
    }
    return {
      info: { kind: 'xlsx', sheetName: sheet.name },
      batches: sheetBatches(),
      again: (o = opts) => openTableBatches(buffer, o),
    };
  }
  const { text, encoding } = await decodeTextAsync(buffer);
  return csvTableBatches(text, encoding, detectDelimiter(text), opts);
}

function csvTableBatches(
  text: string,
  encoding: TextEncoding,
  delimiter: CsvDelimiter,
  opts: ReadTableOptions,
): OpenedTableBatches {
  const take = rowTaker(opts);
  const lines = Math.max(1, countLines(text));
  async function* csvBatches(): AsyncGenerator<TableRow[]> {
    for await (const records of parseCsvBatches(text, delimiter)) {
      const last = records.at(-1)?.lineNumber ?? 0;
      const out = take.rows(records.map(csvRow), () => Math.min(1, last / lines));
      if (out.length) yield out;
    }
    take.done();
  }
  return {
    info: { kind: 'csv', encoding, delimiter },
    batches: csvBatches(),
    again: async (o = opts) => csvTableBatches(text, encoding, delimiter, o),
  };
}

/** A batch without blank rows, counted against maxRows, progress reported (one reading of a file). */
function rowTaker(opts: ReadTableOptions) {
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  let count = 0;
  let nextProgress = opts.progressEvery ?? 1000;
  return {
    rows(rows: TableRow[], fraction: () => number): TableRow[] {
      const out: TableRow[] = [];
      for (const row of rows) if (trimRow(row, maxColumns)) out.push(row);
      count += out.length;
      if (opts.maxRows !== undefined && count > opts.maxRows)
        throw new FileError('file_too_many_rows', 'files.tooManyRows', { max: opts.maxRows });
      if (opts.onProgress && count >= nextProgress) {
        opts.onProgress({ rows: count, fraction: fraction() });
        nextProgress = count + (opts.progressEvery ?? 1000);
      }
      return out;
    },
    done() {
      opts.onProgress?.({ rows: count, fraction: 1 });
    },
  };
}
