import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { Options } from 'csv-parse';
import type Iconv from 'iconv-lite';
import { tick } from '../tick.js';
import { FileError } from './errors.js';

// iconv-lite and csv-parse load at the first upload that needs them, not at start-up
// (docs/decisions/0063); iconv-lite is CommonJS, so decoding stays synchronous.
let iconvModule: typeof Iconv | undefined;
const iconv = (): typeof Iconv => (iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof Iconv);

/** How a text upload was encoded, as detected (the user is never asked). */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** Share of C0/C1 control characters (other than tab, CR, LF) above which a decoding is taken as wrong. */
const MAX_CONTROL_RATIO = 0.01;
/** Bytes decoded between turns of the event loop (decodeTextAsync). */
const STEP = 1024 * 1024;

/**
 * Decodes a CSV/text upload: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strictly valid UTF-8;
 * otherwise GB18030 (a superset of GBK and GB2312, what Excel and WPS on Chinese Windows write).
 * If GB18030 yields replacement characters or control characters, the encoding is unknown.
 */
export function decodeText(buf: Buffer): DecodedText {
  const steps = decodeSteps(buf);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** decodeText in 1 MB steps, letting other requests run in between (a 20 MB GBK file takes ~250 ms). */
export async function decodeTextAsync(buf: Buffer): Promise<DecodedText> {
  const steps = decodeSteps(buf);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await tick();
  }
}

function* decodeSteps(buf: Buffer): Generator<void, DecodedText> {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: yield* decodeWith('utf-8', buf.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: yield* decodeWith('utf-16le', buf.subarray(2)), encoding: 'utf-16le' };
  }
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: yield* decodeWith('utf-16be', buf.subarray(2)), encoding: 'utf-16be' };
  }
  const utf8 = yield* strictUtf8(buf);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const text = yield* decodeWith('gb18030', buf, true);
  return { text, encoding: 'gb18030' };
}

function* strictUtf8(buf: Buffer): Generator<void, string | null> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const parts: string[] = [];
  try {
    for (let at = 0; at < buf.length; at += STEP) {
      parts.push(decoder.decode(buf.subarray(at, at + STEP), { stream: true }));
      yield;
    }
    parts.push(decoder.decode());
  } catch {
    return null;
  }
  return parts.join('');
}

function* decodeWith(encoding: string, buf: Buffer, checked = false): Generator<void, string> {
  const decoder = iconv().getDecoder(encoding, { stripBOM: false });
  const parts: string[] = [];
  let controls = 0;
  let length = 0;
  const take = (part: string) => {
    if (checked) {
      if (part.includes('\uFFFD')) throw new FileError('file_unknown_encoding', 'files.unknownEncoding');
      controls += countControls(part);
      length += part.length;
    }
    parts.push(part);
  };
  for (let at = 0; at < buf.length; at += STEP) {
    take(decoder.write(buf.subarray(at, at + STEP)));
    yield;
  }
  take(decoder.end() ?? '');
  if (checked && length > 0 && controls / length > MAX_CONTROL_RATIO) {
    throw new FileError('file_unknown_encoding', 'files.unknownEncoding');
  }
  return parts.join('');
}

function countControls(text: string): number {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) controls++;
  }
  return controls;
}

export type CsvDelimiter = ',' | '\t' | ';';

/** One CSV record and the (1-based) line of the file where it starts. */
export interface CsvRecord {
  lineNumber: number;
  fields: string[];
}

const CANDIDATES: CsvDelimiter[] = [',', '\t', ';'];

/**
 * Picks the delimiter that splits the most of the first lines (outside quotes), then the one that
 * splits them into the most fields; ',' when nothing is split at all.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines = text
    .slice(0, 64 * 1024)
    .split(/\r\n|\n|\r/, 50)
    .filter((l) => l.trim() !== '');
  let best: CsvDelimiter = ',';
  let bestScore = [0, 0];
  for (const d of CANDIDATES) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const split = counts.filter((c) => c > 0).length;
    const most = Math.max(0, ...counts);
    if (split > bestScore[0]! || (split === bestScore[0] && most > bestScore[1]!)) {
      best = d;
      bestScore = [split, most];
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) n++;
  }
  return n;
}

function countLineBreaks(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a) n++;
    else if (c === 0x0d && s.charCodeAt(i + 1) !== 0x0a) n++;
  }
  return n;
}

/** Characters handed to the parser at a time: each piece is parsed in one go, then others run. */
const CSV_PIECE = 256 * 1024;

function* pieces(text: string): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + CSV_PIECE);
    // never cut a surrogate pair in two
    if (end < text.length && (text.charCodeAt(end) & 0xfc00) === 0xdc00) end++;
    yield text.slice(at, end);
    at = end;
  }
}

/**
 * RFC 4180 CSV by csv-parse (a maintained parser, decisions/0049): quoted fields with doubled
 * quotes and embedded line breaks; CRLF, LF or CR line ends; an empty line is a record of one
 * empty field (the row numbers people see stay those of the file). Lenient where data would
 * otherwise be refused: a quote inside an unquoted field, or text after a closing quote, is kept
 * as it stands. Strict where silence would lose data: an unclosed quote is an error naming the line
 * where it opened. Parsed in pieces, so other requests run in between.
 */
export async function* parseCsv(text: string, delimiter: string = detectDelimiter(text)): AsyncGenerator<CsvRecord> {
  // the line each record starts on, counted as the parser hands them over (records still in the
  // stream's buffer when an unclosed quote ends it are counted already)
  let line = 1;
  // on_record turns each { record, raw } into a CsvRecord (the parser's types know one shape only)
  const options = {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    raw: true,
    on_record: (r: unknown) => {
      const { record, raw } = r as { record: string[]; raw: string };
      const out = { lineNumber: line, fields: record };
      line += countLineBreaks(raw, 0, raw.length);
      return out;
    },
  };
  const { parse } = await import('csv-parse');
  const parser = Readable.from(pieces(text)).pipe(parse(options as unknown as Options));
  try {
    for await (const r of parser as AsyncIterable<CsvRecord>) yield r;
  } catch (err) {
    if ((err as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED')
      throw new FileError('file_csv_unclosed_quote', 'files.csvUnclosedQuote', { line });
    throw err;
  } finally {
    parser.destroy();
  }
}

/**
 * Records per batch of parseCsvBatches: small enough that a batch is dropped before the young
 * generation is collected twice — with 2,000 a reader's batch of records (and what it makes of them)
 * was promoted to the old generation at nearly every scavenge, ~11 MB a 24,000-line file
 * (decisions/0070).
 */
const CSV_BATCH = 250;

/**
 * The records of parseCsv in batches (arrays of up to CSV_BATCH), for a reader that works through a
 * large file row by row: one step of an async generator per batch instead of several per record.
 * A text without any double quote — what banks and most exports write — is split line by line
 * and field by field here (no record can then span lines, and csv-parse would give the same
 * records: the unit tests compare the two); a text with quotes goes through csv-parse (parseCsv).
 */
export async function* parseCsvBatches(
  text: string,
  delimiter: string = detectDelimiter(text),
): AsyncGenerator<CsvRecord[]> {
  if (text.includes('"')) {
    let batch: CsvRecord[] = [];
    for await (const r of parseCsv(text, delimiter)) {
      batch.push(r);
      if (batch.length === CSV_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    return;
  }
  for (const batch of unquotedLines(text, delimiter)) {
    yield batch;
    await tick();
  }
}

/** The records of a CSV text without double quotes: one per line (CRLF, LF or CR), fields split at `delimiter`. */
export function* unquotedLines(text: string, delimiter: string): Generator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  let line = 1;
  let at = 0;
  const end = text.length;
  while (at < end) {
    let nl = at;
    while (nl < end) {
      const c = text.charCodeAt(nl);
      if (c === 0x0a || c === 0x0d) break;
      nl++;
    }
    batch.push({ lineNumber: line++, fields: text.slice(at, nl).split(delimiter) });
    at = nl < end && text.charCodeAt(nl) === 0x0d && text.charCodeAt(nl + 1) === 0x0a ? nl + 2 : nl + 1;
    if (batch.length === CSV_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
