import { FileError } from './errors.js';
import { readZipDirectory, type ZipDirectory, type ZipLimits } from './zip.js';

/** What an upload is, judged by its content (never by its name or the browser's MIME type). */
export type SniffResult = { kind: 'xlsx'; zip: ZipDirectory } | { kind: 'csv' };

export interface SniffOptions extends ZipLimits {
  /** Largest accepted upload in bytes (default 20 MB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const TEXT_PROBE = 64 * 1024;

/** Signatures of files people upload by mistake (or on purpose) with a spreadsheet's name. */
const FOREIGN: { format: string; test: (b: Buffer) => boolean }[] = [
  { format: 'PNG', test: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { format: 'JPEG', test: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { format: 'GIF', test: (b) => ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a' },
  { format: 'PDF', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { format: 'BMP', test: (b) => ascii(b, 0, 2) === 'BM' && b.length > 26 && b.readUInt32LE(2) === b.length },
  { format: 'WEBP', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { format: 'TIFF', test: (b) => starts(b, [0x49, 0x49, 0x2a, 0x00]) || starts(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { format: 'GZIP', test: (b) => starts(b, [0x1f, 0x8b]) },
  { format: 'RAR', test: (b) => ascii(b, 0, 4) === 'Rar!' },
  { format: '7Z', test: (b) => starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
];

function starts(b: Buffer, bytes: number[]): boolean {
  return b.length >= bytes.length && bytes.every((v, i) => b[i] === v);
}

function ascii(b: Buffer, from: number, to: number): string {
  return b.length >= to ? b.toString('latin1', from, to) : '';
}

/**
 * Identifies an upload as xlsx or csv/text by its signature, or throws a FileError saying what it
 * is instead. For xlsx the zip central directory is read and checked against the zip-bomb limits.
 */
export function sniff(buf: Buffer, opts: SniffOptions = {}): SniffResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  if (buf.length > maxBytes) {
    throw new FileError('file_too_large', 'files.tooLarge', { limitMb: +(maxBytes / 1024 / 1024).toFixed(1) });
  }
  if (buf.length === 0) throw new FileError('file_empty', 'files.empty');

  if (starts(buf, [0x50, 0x4b, 0x03, 0x04]) || starts(buf, [0x50, 0x4b, 0x05, 0x06])) {
    const zip = readZipDirectory(buf, opts);
    const names = new Set(zip.entries.map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return { kind: 'xlsx', zip };
    // .xlsb, .ods, .docx, a plain zip archive ...
    throw new FileError('file_not_xlsx', 'files.notXlsx');
  }
  if (starts(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // OLE2 compound file: Excel 97-2003 .xls, WPS .et, or a password-protected .xlsx
    throw new FileError('file_legacy_xls', 'files.legacyXls');
  }
  const foreign = FOREIGN.find((f) => f.test(buf));
  if (foreign) throw new FileError('file_not_spreadsheet', 'files.notSpreadsheet', { format: foreign.format });

  const utf16 = starts(buf, [0xff, 0xfe]) || starts(buf, [0xfe, 0xff]);
  if (!utf16) {
    const probe = buf.subarray(0, TEXT_PROBE);
    if (probe.includes(0)) throw new FileError('file_type_unsupported', 'files.unsupportedType');
    // "xls" exported by many systems as an HTML table or SpreadsheetML 2003 XML
    const head = probe
      .subarray(0, 1024)
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .trimStart();
    if (/^<(\?xml|!doctype|html|table|head|body|meta)\b/i.test(head)) {
      throw new FileError('file_markup_sheet', 'files.markupSheet');
    }
  }
  return { kind: 'csv' };
}
