import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db, Tx } from '../db/index.js';
import { AppError, badRequest } from '../errors.js';
import { type ImageType, imageSize, PhotoError, type Stripped, sniffImage, stripMetadata } from './image.js';
import { readZipDirectory } from './zip.js';

/**
 * What every upload route applies to a file from outside (issue 13 items 6 and 7): one pixel
 * limit for every image (need attachments, campaign and assignment files, visit photos) and one
 * cleaning of file names.
 */

/** An image declaring more pixels than this is refused on every route (a decompression bomb). */
export const MAX_IMAGE_PIXELS = 120_000_000;

/** Refuses an image declaring more than MAX_IMAGE_PIXELS, with the same answer on every route. */
export function checkImagePixels(data: Buffer, refuse?: (size: string, limit: string) => Error): void {
  const size = imageSize(data);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    const s = `${size.width}×${size.height}`;
    const limit = `${MAX_IMAGE_PIXELS / 1e6}`;
    throw refuse ? refuse(s, limit) : badRequest('image_dimensions', 'files.imageDimensions', { size: s, limit });
  }
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

/**
 * An uploaded image ready to store: the pixel limit checked, then its metadata dropped (image.ts).
 * `refuse` makes the route's own error for a file that does not parse.
 */
export function cleanImage(buf: Buffer, type: ImageType, refuse: () => Error): Buffer {
  checkImagePixels(buf);
  const out = strip(buf, refuse);
  if (out.type !== type) throw refuse();
  return out.data;
}

function strip(buf: Buffer, refuse: () => Error): Stripped {
  try {
    return stripMetadata(buf);
  } catch (err) {
    if (err instanceof PhotoError) throw refuse();
    throw err;
  }
}

/** The document types an upload route may accept, by content. */
export const DOCUMENT_TYPES = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_TYPES;
export type DocumentType = (typeof DOCUMENT_TYPES)[DocumentKind];

/** The type of a file by its content: PDF, JPEG, PNG, or an Office file through the zip-bomb limits. */
export function sniffDocument(data: Buffer): DocumentKind | null {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const image = sniffImage(data);
  if (image) return image === 'image/png' ? 'png' : 'jpeg';
  if (data.length > 4 && data.readUInt32LE(0) === 0x04034b50) {
    const names = new Set(readZipDirectory(data).entries.map((e) => e.name));
    if (names.has('[Content_Types].xml') && names.has('word/document.xml')) return 'docx';
    if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return 'xlsx';
  }
  return null;
}

/**
 * What a route accepts and how it answers what it does not: its own size limit, types and error
 * messages (each module keeps the codes and Chinese texts its clients know).
 */
export interface UploadRules {
  maxBytes: number;
  accept: readonly DocumentKind[];
  /** An empty file (default: `type`). */
  empty?: () => Error;
  tooLarge: () => Error;
  /** Not one of `accept`. */
  type: () => Error;
  /** An accepted image that does not parse (default: `type`). */
  corrupt?: () => Error;
  /** An image declaring more than MAX_IMAGE_PIXELS (default: files.imageDimensions). */
  pixels?: (size: string, limit: string) => Error;
}

/** The first half of acceptUpload: empty, size and type by content, nothing cleaned yet. */
export function sniffUpload(data: Buffer, rules: UploadRules): DocumentType {
  if (data.length === 0) throw (rules.empty ?? rules.type)();
  if (data.length > rules.maxBytes) throw rules.tooLarge();
  const kind = sniffDocument(data);
  if (!kind || !rules.accept.includes(kind)) throw rules.type();
  return DOCUMENT_TYPES[kind];
}

export interface Accepted {
  mime: DocumentType;
  /** The bytes to store: images stripped of their metadata, documents as they came. */
  data: Buffer;
  /** For an image: its type, declared size, orientation and the camera's embedded preview. */
  image: Stripped | null;
}

/**
 * The one upload pipeline (needs attachments, campaign files, visit, publicity and activity
 * photos): empty and size refused, type recognised by content and checked against the route's
 * list, images held to the pixel limit and stripped of their metadata (image.ts), Office files
 * through the zip-bomb limits. Thumbnails are made from `image` by the thumbnail pool.
 */
export function acceptUpload(data: Buffer, rules: UploadRules): Accepted {
  const mime = sniffUpload(data, rules);
  return cleanUpload(data, mime, rules);
}

/** The second half of acceptUpload, for a route that checks something else in between. */
export function cleanUpload(data: Buffer, mime: DocumentType, rules: UploadRules): Accepted {
  if (mime !== DOCUMENT_TYPES.jpeg && mime !== DOCUMENT_TYPES.png) return { mime, data, image: null };
  checkImagePixels(data, rules.pixels);
  const image = strip(data, rules.corrupt ?? rules.type);
  return { mime, data: image.data, image };
}

/**
 * A document upload (minutes, plans, vouchers, scans): PDF, JPEG, PNG, DOCX or XLSX, through
 * acceptUpload; anything else, or an empty file, gets `refuse()`.
 */
export function inspectDocument(data: Buffer, refuse: () => Error): { mime: string; data: Buffer } {
  const { mime, data: clean } = acceptUpload(data, {
    maxBytes: Number.POSITIVE_INFINITY,
    accept: ['pdf', 'jpeg', 'png', 'docx', 'xlsx'],
    tooLarge: refuse,
    type: refuse,
  });
  return { mime, data: clean };
}

/** The SHA-256 of a file's stored (stripped) bytes, as photo rows keep it. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The steps of storing one checked photo that differ between modules: each is a repository call
 * of the owning module, run inside the one transaction.
 */
export interface CheckedPhoto<P, K> {
  /** sha256Hex of the stripped bytes. */
  sha256: string;
  /**
   * The stripped bytes, written to files[0] inside the transaction once the row and its audit
   * entry are in; absent when the caller wrote its files already (visit photos, before their
   * thumbnail is made).
   */
  data?: Buffer;
  /** The photo's files (the photo first, then e.g. its thumbnail): removed when nothing was stored. */
  files: readonly string[];
  max: number;
  tooMany: () => Error;
  /** The photo's parent read in the caller's scope (and locked where needed), or an error. */
  parent(trx: Tx): Promise<P>;
  /** The photo of this parent with these bytes, if one is kept; absent: every upload is stored. */
  kept?(trx: Tx, parent: P): Promise<K | undefined>;
  count(trx: Tx, parent: P): Promise<number>;
  /** Inserts the row and appends its audit entry. */
  insert(trx: Tx, parent: P): Promise<void>;
}

/**
 * Stores a photo that went through acceptUpload (needs no module-specific step after): in one
 * transaction the parent is read in scope, the same bytes sent again (a retry after a lost answer)
 * are kept once, the count limit is checked, the row and its audit entry are inserted and the file
 * written; when anything fails, or the photo was kept already, its files are removed.
 */
export async function storeCheckedPhoto<P, K>(
  db: Db,
  photo: CheckedPhoto<P, K>,
): Promise<{ created: true } | { created: false; kept: K }> {
  let kept: K | undefined;
  try {
    kept = await db.transaction().execute(async (trx) => {
      const parent = await photo.parent(trx);
      const same = await photo.kept?.(trx, parent);
      if (same) return same;
      if ((await photo.count(trx, parent)) >= photo.max) throw photo.tooMany();
      await photo.insert(trx, parent);
      if (photo.data) {
        await fs.promises.mkdir(path.dirname(photo.files[0]!), { recursive: true });
        await fs.promises.writeFile(photo.files[0]!, photo.data);
      }
      return undefined;
    });
  } catch (err) {
    removeFiles(photo.files);
    throw err;
  }
  if (kept === undefined) return { created: true };
  removeFiles(photo.files);
  return { created: false, kept };
}

/** The steps of removing one stored photo that differ between modules (repository calls). */
export interface StoredPhoto<P> {
  /** The photo's files, removed once the row is gone. */
  files: readonly string[];
  /** The photo's parent read in the caller's scope (and checked for the change), or an error. */
  parent(trx: Tx): Promise<P>;
  /** Whether the parent has this photo. */
  has(trx: Tx, parent: P): Promise<boolean>;
  notFound: () => Error;
  /** Deletes the row and appends its audit entry. */
  remove(trx: Tx, parent: P): Promise<void>;
}

/**
 * Removes a photo: in one transaction the parent is read in scope, the photo looked up, its row
 * deleted and the removal audited; its files go once that transaction has committed.
 */
export async function removeStoredPhoto<P>(db: Db, photo: StoredPhoto<P>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const parent = await photo.parent(trx);
    if (!(await photo.has(trx, parent))) throw photo.notFound();
    await photo.remove(trx, parent);
  });
  removeFiles(photo.files);
}

/** Removes a stored file's files, those that exist. */
export function removeFiles(files: readonly string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}
