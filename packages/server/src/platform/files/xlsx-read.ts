import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createInflateRaw, inflateRaw } from 'node:zlib';
import type ExcelJS from 'exceljs';
import { cellToText } from './cells.js';
import { FileError, fromWorkerFailure, type WorkerFailure } from './errors.js';
import { loadExcel } from './excel.js';
import type { TableRow } from './table.js';
import { workerEntry, workerReplies } from './workers.js';
import { entryData, verifyZipEntries, type ZipDirectory, type ZipEntry } from './zip.js';

const inflateRawAsync = promisify(inflateRaw);
const MAX_PART = 8 * 1024 * 1024; // workbook.xml and its rels are a few KB
/**
 * Bytes of sheet XML handed to exceljs at a time: its reader parses a whole piece in one turn of the
 * event loop (64 kB, ~270 rows of the import file, was one of the validation's longest turns;
 * decisions/0076).
 */
const CHUNK = 16 * 1024;

const corrupt = () => new FileError('file_corrupt', 'files.corrupt');

export interface XlsxSheet {
  name: string;
  date1904: boolean;
  rows: AsyncGenerator<TableRow>;
  /** Share of the needed parts handed to the parser so far (0..1), for a progress bar. */
  progress: () => number;
}

async function readPart(buf: Buffer, dir: ZipDirectory, e: ZipEntry): Promise<string> {
  if (e.uncompressedSize > MAX_PART) throw corrupt();
  const data = entryData(buf, dir, e);
  try {
    const raw = e.method === 0 ? data : await inflateRawAsync(data, { maxOutputLength: MAX_PART });
    return raw.toString('utf8');
  } catch {
    throw corrupt();
  }
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out[m[1]!] = xmlUnescape(m[2] ?? m[3] ?? '');
  }
  return out;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}

/** Resolves a relationship target against xl/ (targets are relative, or absolute from the package root). */
function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

interface WorkbookParts {
  sheetName: string;
  sheet: ZipEntry;
  workbook: ZipEntry;
  rels: ZipEntry;
  styles?: ZipEntry;
  sharedStrings?: ZipEntry;
  date1904: boolean;
}

/** Finds the first visible worksheet (tab order, from workbook.xml) and the parts needed to read it. */
async function locateParts(buf: Buffer, dir: ZipDirectory): Promise<WorkbookParts> {
  const byName = new Map(dir.entries.map((e) => [e.name, e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw corrupt();
  const wbXml = await readPart(buf, dir, workbook);
  const relsXml = await readPart(buf, dir, rels);

  const targets = new Map<string, { type: string; path: string }>();
  for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (a.Id && a.Target) targets.set(a.Id, { type: a.Type ?? '', path: resolveTarget(a.Target) });
  }
  const sheets = [...wbXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)>/g)].map((m) => attrs(m[1]!));
  const visible = sheets.filter((s) => !s.state || s.state === 'visible');
  let sheetName = '';
  let sheet: ZipEntry | undefined;
  for (const s of visible.length ? visible : sheets) {
    const rid = Object.entries(s).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
    const t = rid ? targets.get(rid) : undefined;
    const e = t && /\/worksheet$/.test(t.type) ? byName.get(t.path) : undefined;
    if (e) {
      sheetName = s.name ?? '';
      sheet = e;
      break;
    }
  }
  if (!sheet) throw new FileError('file_no_worksheet', 'files.noWorksheet');
  const ofType = (suffix: string, fallback: string) => {
    const t = [...targets.values()].find((x) => x.type.endsWith(suffix));
    return byName.get(t?.path ?? fallback);
  };
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(wbXml);
  const date1904 = pr ? ['1', 'true'].includes(attrs(pr[1]!).date1904 ?? '') : false;
  return {
    sheetName,
    sheet,
    workbook,
    rels,
    styles: ofType('/styles', 'xl/styles.xml'),
    sharedStrings: ofType('/sharedStrings', 'xl/sharedStrings.xml'),
    date1904,
  };
}

/**
 * The parts exceljs needs, inflated here (already verified), in the order its streaming reader
 * wants them (workbook, rels, styles, shared strings, then the one sheet — so nothing is spooled to
 * a temp file and dates are recognised by their style), under the names it looks for, as *stored*
 * zip entries cut at UTF-8 character boundaries. The last point works around exceljs decoding each
 * chunk separately, which turns a Chinese character split between two chunks into '��'
 * (exceljs issues #2063, #2084, #2316).
 */
function feed(buf: Buffer, dir: ZipDirectory, parts: WorkbookParts, onBytes: (n: number) => void): Readable {
  const plan: [ZipEntry, string][] = [
    [parts.workbook, 'xl/workbook.xml'],
    [parts.rels, 'xl/_rels/workbook.xml.rels'],
  ];
  if (parts.styles) plan.push([parts.styles, 'xl/styles.xml']);
  if (parts.sharedStrings) plan.push([parts.sharedStrings, 'xl/sharedStrings.xml']);
  plan.push([parts.sheet, 'xl/worksheets/sheet1.xml']);

  async function* chunks(): AsyncGenerator<Buffer> {
    for (const [e, name] of plan) {
      const nameBytes = Buffer.from(name, 'utf8');
      const header = Buffer.alloc(30 + nameBytes.length);
      header.writeUInt32LE(0x04034b50, 0);
      header.writeUInt16LE(10, 4);
      header.writeUInt16LE(0x800, 6);
      header.writeUInt16LE(0, 8); // stored
      header.writeUInt32LE(e.crc, 14);
      header.writeUInt32LE(e.uncompressedSize, 18);
      header.writeUInt32LE(e.uncompressedSize, 22);
      header.writeUInt16LE(nameBytes.length, 26);
      nameBytes.copy(header, 30);
      yield header;
      const data = entryData(buf, dir, e);
      const source: AsyncIterable<Buffer> | Buffer[] =
        e.method === 0 ? [data] : Readable.from([data]).pipe(createInflateRaw({ chunkSize: CHUNK }));
      let carry: Buffer | null = null;
      for await (const piece of source) {
        let all: Buffer = carry ? Buffer.concat([carry, piece]) : piece;
        carry = null;
        const cut = utf8Boundary(all, 0, all.length);
        if (cut < all.length) {
          carry = Buffer.from(all.subarray(cut));
          all = all.subarray(0, cut);
        }
        for (let at = 0; at < all.length; ) {
          let end = Math.min(at + CHUNK, all.length);
          if (end < all.length) end = utf8Boundary(all, at, end);
          if (end <= at) end = Math.min(at + CHUNK, all.length);
          onBytes(end - at);
          yield all.subarray(at, end);
          at = end;
        }
      }
      if (carry) yield carry;
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    yield eocd;
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** The largest end ≤ `end` (and > `from` when possible) that does not split a UTF-8 sequence. */
function utf8Boundary(b: Buffer, from: number, end: number): number {
  let i = end - 1;
  let back = 0;
  while (i >= from && back < 4 && (b[i]! & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < from) return end;
  const lead = b[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - i >= need ? end : i;
}

/**
 * Opens the first visible worksheet of a sniffed xlsx and streams its rows: in the reader worker
 * (xlsx-read.worker.ts) when its entry is there, in this thread otherwise (decisions/0083). Loading
 * exceljs alone took 200–360 ms of one turn of the event loop, and parsing a 10^5-row sheet some
 * seconds of its CPU; in the worker neither holds the server's other requests.
 */
export async function openXlsx(buf: Buffer, dir: ZipDirectory, maxColumns: number): Promise<XlsxSheet> {
  // XLSX_READ_WORKER=0 reads in this thread (a comparison, a host without worker threads)
  const worker = process.env.XLSX_READ_WORKER === '0' ? null : takeWorker();
  return worker ? openInWorker(worker, buf, dir, maxColumns) : openXlsxHere(buf, dir, maxColumns);
}

export interface XlsxReadRequest {
  data: Uint8Array;
  dir: ZipDirectory;
  maxColumns: number;
}

export type XlsxReadReply =
  | { type: 'open'; name: string; date1904: boolean }
  | { type: 'rows'; rows: TableRow[]; progress: number; end?: boolean }
  | ({ type: 'error' } & WorkerFailure);

/** How long a reader worker waits for the next file before it ends (back-to-back uploads, tests). */
const IDLE_MS = 30_000;
let idle: { worker: Worker; timer: NodeJS.Timeout } | null = null;

function takeWorker(): Worker | null {
  if (idle) {
    const { worker, timer } = idle;
    idle = null;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const entry = workerEntry('xlsx-read');
  if (!entry) return null;
  try {
    // a 10^5-row sheet's shared strings and exceljs' objects for one batch of rows
    const worker = new Worker(entry.spec, { eval: entry.evalCode, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    worker.on('exit', () => {
      if (idle?.worker !== worker) return;
      clearTimeout(idle.timer);
      idle = null;
    });
    return worker;
  } catch {
    return null;
  }
}

/** Keeps a worker that finished its file cleanly for the next one (one at most); ends any other. */
function release(worker: Worker, reusable: boolean) {
  if (!reusable || idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = null;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle = { worker, timer };
}

const replyError = (m: WorkerFailure) => fromWorkerFailure(m, 'xlsx reader failed');

async function openInWorker(worker: Worker, buf: Buffer, dir: ZipDirectory, maxColumns: number): Promise<XlsxSheet> {
  const replies = workerReplies<XlsxReadReply>(worker, (message) => ({ type: 'error', message }));
  let finished = false;
  const finish = (reusable: boolean) => {
    if (finished) return;
    finished = true;
    replies.close();
    release(worker, reusable);
  };
  const next = replies.next;
  const data = new Uint8Array(buf); // a copy, handed over (the caller keeps its buffer)
  worker.postMessage({ data, dir, maxColumns } satisfies XlsxReadRequest, [data.buffer]);
  const first = await next();
  if (first.type !== 'open') {
    // a refusal leaves the worker as it was; anything else ends it
    finish(first.type === 'error' && first.fileCode !== undefined);
    throw first.type === 'error' ? replyError(first) : new Error('xlsx reader: unexpected reply');
  }
  let progress = 0;
  async function* rows(): AsyncGenerator<TableRow> {
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'error') {
          finish(m.fileCode !== undefined);
          throw replyError(m);
        }
        if (m.type !== 'rows') continue;
        progress = m.progress;
        if (!m.end) worker.postMessage('more'); // the next batch is parsed while these are read
        yield* m.rows;
        if (m.end) return finish(true);
      }
    } finally {
      finish(false); // a reader that stopped early: the worker is still on this file
    }
  }
  return { name: first.name, date1904: first.date1904, rows: rows(), progress: () => progress };
}

/** openXlsx in this thread (the reader worker runs it, and the server without the worker's entry). */
export async function openXlsxHere(buf: Buffer, dir: ZipDirectory, maxColumns: number): Promise<XlsxSheet> {
  const parts = await locateParts(buf, dir);
  const needed = [parts.workbook, parts.rels, parts.styles, parts.sharedStrings, parts.sheet].filter(
    (e): e is ZipEntry => e !== undefined,
  );
  await verifyZipEntries(buf, dir, needed);
  const total = needed.reduce((s, e) => s + e.uncompressedSize, 0) || 1;
  let fed = 0;
  const input = feed(buf, dir, parts, (n) => {
    fed += n;
  });
  const Excel = await loadExcel();
  const reader = new Excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  // Without a sharedStrings part exceljs would spool the sheet to a temp file first.
  (reader as unknown as { sharedStrings: unknown[] }).sharedStrings = [];
  return {
    name: parts.sheetName,
    date1904: parts.date1904,
    rows: rowsOf(reader, parts.date1904, maxColumns),
    progress: () => Math.min(1, fed / total),
  };
}

async function* rowsOf(
  reader: ExcelJS.stream.xlsx.WorkbookReader,
  date1904: boolean,
  maxColumns: number,
): AsyncGenerator<TableRow> {
  let last = 0;
  try {
    for await (const ws of reader) {
      for await (const row of ws) {
        const rowNumber = Number.isFinite(row.number) ? row.number : last + 1;
        last = rowNumber;
        const cells: string[] = [];
        const bigNumbers: number[] = [];
        row.eachCell((cell, col) => {
          if (col > maxColumns) return;
          const { text, big } = cellToText(cell.value, cell.numFmt, date1904);
          while (cells.length < col - 1) cells.push('');
          cells[col - 1] = text;
          if (big) bigNumbers.push(col - 1);
        });
        yield bigNumbers.length ? { rowNumber, cells, bigNumbers } : { rowNumber, cells };
      }
      break; // the feed holds one sheet
    }
  } catch (err) {
    if (err instanceof FileError) throw err;
    throw corrupt();
  }
}
