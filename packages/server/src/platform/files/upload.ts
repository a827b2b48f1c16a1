import { AppError, badRequest } from '../errors.js';
import { readZipDirectory } from './zip.js';

/**
 * What every upload route applies to a file from outside (issue 13 items 6 and 7): one pixel
 * limit for every image (need attachments, campaign and assignment files, visit photos) and one
 * cleaning of file names.
 */

/** An image declaring more pixels than this is refused on every route (a decompression bomb). */
export const MAX_IMAGE_PIXELS = 120_000_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * The pixel size a JPEG or PNG declares in its header, read without decoding (so a
 * decompression bomb — a small file declaring a huge picture — is recognised before any pixel is
 * allocated). Null when the header is missing or declares no size.
 */
export function imageSize(buf: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length > 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (b.length < 24 || b.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
    const width = b.readUInt32BE(16);
    const height = b.readUInt32BE(20);
    return width && height ? { width, height } : null;
  }
  if (!(b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)) return null;
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    const len = b.readUInt16BE(p + 2);
    if (isSof(marker)) {
      if (p + 9 > b.length) return null;
      const height = b.readUInt16BE(p + 5);
      const width = b.readUInt16BE(p + 7);
      return width && height ? { width, height } : null;
    }
    p += 2 + len;
  }
  return null;
}

/** Refuses an image declaring more than MAX_IMAGE_PIXELS, with the same answer on every route. */
export function checkImagePixels(data: Buffer): void {
  const size = imageSize(data);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS)
    throw badRequest('image_dimensions', 'files.imageDimensions', {
      size: `${size.width}×${size.height}`,
      limit: `${MAX_IMAGE_PIXELS / 1e6}`,
    });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A file name as stored, shown and offered for download: no folder part, no control or bidi
 * characters (a "‮gpj.exe" stays what it is), none of < > : " | ? *, no leading/trailing dots or
 * spaces, not a reserved Windows device name (CON, NUL, COM1…), at most 120 characters. A name
 * with nothing left is refused with one Chinese message on every route.
 */
export function cleanFileName(name: string | undefined): string {
  let base = (name ?? '')
    .normalize('NFC')
    .replace(/^.*[\\/]/, '')
    .replace(CONTROL, '')
    .replace(BIDI, '')
    .replace(/[<>:"|?*]/g, '')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (WINDOWS_RESERVED.test(base)) base = `_${base}`;
  if (!base) throw new AppError(400, 'file_name', 'files.badFileName');
  return [...base].slice(0, 120).join('');
}

const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs']);

/** The image type of an upload by its content (never its name), or null. */
export function sniffImage(buf: Buffer): 'image/png' | 'image/jpeg' | null {
  if (buf.length > 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * An uploaded image ready to store: the pixel limit checked, then its metadata dropped — JPEG
 * without APP1–APP15 and comments (EXIF with GPS, XMP, IPTC), PNG with only the chunks that draw
 * it. `refuse` makes the route's own error for a file that does not parse. (Visit photos keep
 * their EXIF orientation and preview thumbnail and use visits/photos.ts, after the same limit.)
 */
export function cleanImage(buf: Buffer, type: 'image/png' | 'image/jpeg', refuse: () => Error): Buffer {
  checkImagePixels(buf);
  return type === 'image/png' ? stripPng(buf, refuse) : stripJpeg(buf, refuse);
}

function stripJpeg(buf: Buffer, refuse: () => Error): Buffer {
  const out: Buffer[] = [buf.subarray(0, 2)];
  for (let i = 2; i + 4 <= buf.length; ) {
    if (buf[i] !== 0xff) throw refuse();
    const marker = buf[i + 1]!;
    if (marker === 0xda) return Buffer.concat([...out, buf.subarray(i)]);
    const len = buf.readUInt16BE(i + 2);
    const end = i + 2 + len;
    if (len < 2 || end > buf.length) throw refuse();
    if (!((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) out.push(buf.subarray(i, end));
    i = end;
  }
  throw refuse();
}

function stripPng(buf: Buffer, refuse: () => Error): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  for (let i = 8; i + 12 <= buf.length; ) {
    const len = buf.readUInt32BE(i);
    const type = buf.subarray(i + 4, i + 8).toString('latin1');
    const end = i + 12 + len;
    if (end > buf.length) throw refuse();
    if (PNG_KEEP.has(type)) out.push(buf.subarray(i, end));
    if (type === 'IEND') return Buffer.concat(out);
    i = end;
  }
  throw refuse();
}

/** The document types an upload route may accept, by content. */
export const DOCUMENT_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * A document upload (minutes, plans, vouchers, scans): PDF, JPEG, PNG, DOCX or XLSX recognised by
 * content, images cleaned (pixel limit, metadata dropped), Office files through the zip-bomb
 * limits of the zip reader. Anything else, or an empty file, gets `refuse()`.
 */
export function inspectDocument(data: Buffer, refuse: () => Error): { mime: string; data: Buffer } {
  if (data.length === 0) throw refuse();
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return { mime: DOCUMENT_TYPES.pdf, data };
  const image = sniffImage(data);
  if (image) return { mime: image, data: cleanImage(data, image, refuse) };
  if (data.length > 4 && data.readUInt32LE(0) === 0x04034b50) {
    const names = new Set(readZipDirectory(data).entries.map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('word/document.xml')) return { mime: DOCUMENT_TYPES.docx, data };
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return { mime: DOCUMENT_TYPES.xlsx, data };
  }
  throw refuse();
}
