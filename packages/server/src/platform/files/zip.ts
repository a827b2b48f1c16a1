import { crc32, createInflateRaw } from 'node:zlib';
import { FileError } from './errors.js';

/**
 * The zip container of an xlsx, read from its central directory (at the end of the file) without
 * decompressing anything, so a zip bomb is refused before any library inflates it.
 */

export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  centralDirectoryOffset: number;
}

export interface ZipLimits {
  /** Refuse when all entries together would inflate to more than this (default 200 MB). */
  maxTotalUncompressed?: number;
  /** Refuse an entry of at least `ratioMinSize` bytes that inflates more than this many times (default 100). */
  maxRatio?: number;
  /** Entries smaller than this are not ratio-checked (default 1 MiB): tiny XML parts compress very well. */
  ratioMinSize?: number;
  /** Refuse archives with more entries than this (default 10 000). */
  maxEntries?: number;
}

export const ZIP_DEFAULTS = {
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxRatio: 100,
  ratioMinSize: 1024 * 1024,
  maxEntries: 10_000,
} as const;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const MAX32 = 0xffffffff;
const MB = 1024 * 1024;

const corrupt = () => new FileError('file_corrupt', 'files.corrupt');
const bomb = (limit: number) => new FileError('file_zip_bomb', 'files.zipBomb', { limitMb: Math.round(limit / MB) });

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let lenient = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) !== SIG_EOCD) continue;
    if (i + 22 + buf.readUInt16LE(i + 20) === buf.length) return i;
    if (lenient < 0) lenient = i;
  }
  return lenient;
}

function readU64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt();
  return Number(v);
}

/** Reads the End Of Central Directory record (zip64 too) and every central directory entry. */
export function readZipDirectory(buf: Buffer, limits: ZipLimits = {}): ZipDirectory {
  const lim = { ...ZIP_DEFAULTS, ...limits };
  const eocd = findEocd(buf);
  if (eocd < 0) throw corrupt();
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let cdEnd = eocd;
  if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR) throw corrupt();
    const z = readU64(buf, loc + 8);
    if (z + 56 > loc || buf.readUInt32LE(z) !== SIG_ZIP64_EOCD) throw corrupt();
    count = readU64(buf, z + 32);
    cdSize = readU64(buf, z + 40);
    cdOffset = readU64(buf, z + 48);
    cdEnd = z;
  }
  if (count > lim.maxEntries) throw bomb(lim.maxTotalUncompressed);
  if (cdOffset + cdSize > cdEnd) throw corrupt();

  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== SIG_CENTRAL) throw corrupt();
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > cdEnd) throw corrupt();
    const entry: ZipEntry = {
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    };
    applyZip64Extra(buf, p + 46 + nameLen, extraLen, entry);
    p = next;

    if (entry.localHeaderOffset + 30 > cdOffset) throw corrupt();
    total += entry.uncompressedSize;
    if (total > lim.maxTotalUncompressed) throw bomb(lim.maxTotalUncompressed);
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize >= lim.ratioMinSize && ratio > lim.maxRatio) throw bomb(lim.maxTotalUncompressed);
    entries.push(entry);
  }
  return { entries, centralDirectoryOffset: cdOffset };
}

/** Zip64 extended information (0x0001): 8-byte values for the fields that are 0xFFFFFFFF, in this order. */
function applyZip64Extra(buf: Buffer, start: number, len: number, e: ZipEntry): void {
  if (e.uncompressedSize !== MAX32 && e.compressedSize !== MAX32 && e.localHeaderOffset !== MAX32) return;
  let p = start;
  while (p + 4 <= start + len) {
    const id = buf.readUInt16LE(p);
    const size = buf.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const take = () => {
        if (q + 8 > p + 4 + size) throw corrupt();
        const v = readU64(buf, q);
        q += 8;
        return v;
      };
      if (e.uncompressedSize === MAX32) e.uncompressedSize = take();
      if (e.compressedSize === MAX32) e.compressedSize = take();
      if (e.localHeaderOffset === MAX32) e.localHeaderOffset = take();
      return;
    }
    p += 4 + size;
  }
  throw corrupt();
}

/** Where an entry's (compressed) bytes lie, from its local header. */
export function entryData(buf: Buffer, dir: ZipDirectory, e: ZipEntry): Buffer {
  const h = e.localHeaderOffset;
  if (buf.readUInt32LE(h) !== SIG_LOCAL) throw corrupt();
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const end = start + e.compressedSize;
  if (end > dir.centralDirectoryOffset) throw corrupt();
  if (e.flags & 0x1) throw corrupt(); // zip encryption: not something Excel writes
  if (e.method !== 0 && e.method !== 8) throw corrupt();
  if (e.method === 0 && e.compressedSize !== e.uncompressedSize) throw corrupt();
  return buf.subarray(start, end);
}

/**
 * Inflates the entries (discarding the output) and checks that each inflates to exactly the size
 * its central directory declares, with the declared CRC: a lying header cannot smuggle a bomb past
 * readZipDirectory, and a damaged entry is refused here instead of hanging a streaming parser.
 */
export async function verifyZipEntries(buf: Buffer, dir: ZipDirectory, entries: ZipEntry[]): Promise<void> {
  for (const e of entries) {
    const data = entryData(buf, dir, e);
    if (e.method === 0) {
      if (crc32(data) !== e.crc) throw corrupt();
      continue;
    }
    const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
    let size = 0;
    let crc = 0;
    let tooBig = false;
    inflater.end(data);
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > e.uncompressedSize) {
          tooBig = true;
          break;
        }
        crc = crc32(chunk, crc);
      }
    } catch {
      throw corrupt();
    } finally {
      inflater.destroy();
    }
    if (tooBig) throw bomb(ZIP_DEFAULTS.maxTotalUncompressed);
    if (size !== e.uncompressedSize || crc !== e.crc) throw corrupt();
  }
}
