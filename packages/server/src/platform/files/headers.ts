import { FileError } from './errors.js';
import type { TableRow } from './table.js';

/**
 * A header cell reduced to what identifies it: full-width folded (NFKC), bracketed remarks dropped
 * ('身份证号（必填）' → '身份证号'), spaces, line breaks, '*' and trailing colons removed, lower case.
 */
export function normaliseHeader(text: string): string {
  let s = text.normalize('NFKC');
  // remarks in brackets of any kind, innermost first
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/\([^()]*\)|\[[^[\]]*]|【[^【】]*】|〔[^〔〕]*〕|<[^<>]*>|《[^《》]*》/g, '');
  }
  return s
    .replace(/[\s*※★☆]/g, '')
    .replace(/[:：]+$/, '')
    .toLowerCase();
}

export interface DetectHeaderOptions {
  /** How many leading rows may hold titles before the header (default 15). */
  scanRows?: number;
  /** Fewest distinct fields a row must name to count as the header (default 2). */
  minMatches?: number;
}

export interface HeaderMatch<F extends string> {
  /** The header's row number as the user sees it. */
  headerRowNumber: number;
  /** Index of the header row within the rows given. */
  headerIndex: number;
  /** Field → 0-based column; fields not found are absent. */
  columns: Partial<Record<F, number>>;
  /** Fields the header did not name. */
  missing: F[];
  /** Non-empty header texts that matched no field (as written). */
  unknownColumns: string[];
  /** Header texts naming a field already matched by an earlier column (the earlier one is used). */
  duplicateColumns: string[];
}

/**
 * Finds the header among the first rows — below merged titles such as '克拉玛依区优抚对象花名册' and
 * '填报单位：… 日期：…' — as the row naming the most fields (at least `minMatches`); the earliest
 * wins a tie. A cell names a field when it equals one of the field's synonyms after normaliseHeader.
 */
export function detectHeader<F extends string>(
  rows: readonly TableRow[],
  synonyms: Readonly<Record<F, readonly string[]>>,
  opts: DetectHeaderOptions = {},
): HeaderMatch<F> {
  const scanRows = opts.scanRows ?? 15;
  const minMatches = opts.minMatches ?? 2;
  const lookup = new Map<string, F>();
  for (const field of Object.keys(synonyms) as F[]) {
    for (const name of [field, ...synonyms[field]]) {
      const key = normaliseHeader(name);
      if (key && !lookup.has(key)) lookup.set(key, field);
    }
  }
  let best: { index: number; count: number } | undefined;
  rows.slice(0, scanRows).forEach((row, index) => {
    const found = new Set<F>();
    for (const cell of row.cells) {
      const f = lookup.get(normaliseHeader(cell));
      if (f) found.add(f);
    }
    if (found.size >= minMatches && (!best || found.size > best.count)) best = { index, count: found.size };
  });
  if (!best) {
    const expected = (Object.keys(synonyms) as F[]).map((f) => synonyms[f][0] ?? f).slice(0, 5);
    throw new FileError('file_no_header', 'files.noHeader', { scanRows, expected: expected.join('、') });
  }
  const header = rows[best.index]!;
  const columns: Partial<Record<F, number>> = {};
  const unknownColumns: string[] = [];
  const duplicateColumns: string[] = [];
  header.cells.forEach((cell, col) => {
    const f = lookup.get(normaliseHeader(cell));
    if (!f) {
      if (cell.trim()) unknownColumns.push(cell.trim());
    } else if (columns[f] !== undefined) duplicateColumns.push(cell.trim());
    else columns[f] = col;
  });
  const missing = (Object.keys(synonyms) as F[]).filter((f) => columns[f] === undefined);
  return {
    headerRowNumber: header.rowNumber,
    headerIndex: best.index,
    columns,
    missing,
    unknownColumns,
    duplicateColumns,
  };
}

const TOTALS = new Set(['合计', '总计', '小计', '总合计', '共计']);

/** True for a row to leave out of the data: blank, or a totals row ('合计', '总计', '小计', '合计：…'). */
export function skipRow(cells: readonly string[]): boolean {
  const first = cells.find((c) => c.trim() !== '');
  if (first === undefined) return true;
  const s = first.normalize('NFKC').replace(/\s/g, '');
  return TOTALS.has(s) || s.startsWith('合计');
}

/**
 * Reads rows until the header is found (within `scanRows`), then hands back the header and the
 * rows after it (blank and totals rows included: callers count or skip them with skipRow).
 */
export async function locateHeader<F extends string>(
  rows: AsyncIterable<TableRow>,
  synonyms: Readonly<Record<F, readonly string[]>>,
  opts: DetectHeaderOptions = {},
): Promise<{ header: HeaderMatch<F>; dataRows: AsyncGenerator<TableRow> }> {
  const scanRows = opts.scanRows ?? 15;
  const it = rows[Symbol.asyncIterator]();
  const head: TableRow[] = [];
  while (head.length < scanRows) {
    const next = await it.next();
    if (next.done) break;
    head.push(next.value);
  }
  const header = detectHeader(head, synonyms, opts);
  async function* dataRows(): AsyncGenerator<TableRow> {
    yield* head.slice(header.headerIndex + 1);
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { header, dataRows: dataRows() };
}

/**
 * locateHeader for rows in batches (openTableBatches): reads batches until `scanRows` rows are in
 * hand, finds the header among them, and hands back the batches of the rows after it.
 */
export async function locateHeaderInBatches<F extends string>(
  batches: AsyncIterable<TableRow[]>,
  synonyms: Readonly<Record<F, readonly string[]>>,
  opts: DetectHeaderOptions = {},
): Promise<{ header: HeaderMatch<F>; dataBatches: AsyncGenerator<TableRow[]> }> {
  const scanRows = opts.scanRows ?? 15;
  const it = batches[Symbol.asyncIterator]();
  const head: TableRow[] = [];
  while (head.length < scanRows) {
    const next = await it.next();
    if (next.done) break;
    for (const row of next.value) head.push(row);
  }
  const header = detectHeader(head, synonyms, opts);
  async function* dataBatches(): AsyncGenerator<TableRow[]> {
    const rest = head.slice(header.headerIndex + 1);
    if (rest.length) yield rest;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return { header, dataBatches: dataBatches() };
}
