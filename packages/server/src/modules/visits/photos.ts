import { imageSize } from '../../platform/files/upload.js';

/**
 * Photo metadata removal without an image library (DESIGN §6: no EXIF/GPS leaves the server).
 * JPEG: the APPn segments that carry EXIF (with GPS), XMP, IPTC and comments are dropped, the
 * image data is copied untouched. PNG: the text and EXIF chunks are dropped. Before they go, the
 * EXIF orientation is read (the thumbnail is turned by it; a JPEG keeps an EXIF block holding that
 * one tag, so the full-size photo is shown upright) and the small preview that cameras embed
 * in EXIF (IFD1) is kept, itself stripped, as the thumbnail of last resort (thumbnail.ts renders
 * the real one). The declared pixel size is read from the JPEG frame header or the PNG IHDR.
 */
/** One reading of the declared size for every upload route (platform/files/upload.ts). */
export { imageSize };

export type PhotoType = 'image/jpeg' | 'image/png';

export class PhotoError extends Error {
  constructor(readonly reason: 'type' | 'corrupt') {
    super(reason);
  }
}

export function photoType(buf: Buffer): PhotoType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** APP1 (EXIF, XMP), APP12 (Ducky/picture info), APP13 (IPTC/Photoshop), COM (comments). */
const JPEG_DROP = new Set([0xe1, 0xec, 0xed, 0xfe]);
const PNG_DROP = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);

export interface Stripped {
  data: Buffer;
  type: PhotoType;
  /** The preview the camera embedded in EXIF, stripped; null when there is none. */
  thumbnail: Buffer | null;
  /** The pixel size the file declares (JPEG SOFn, PNG IHDR); null when it declares none. */
  size: { width: number; height: number } | null;
  /** EXIF orientation 1-8 (1 when absent): how the stored pixels must be turned to stand upright. */
  orientation: number;
}

export function stripMetadata(buf: Buffer): Stripped {
  const type = photoType(buf);
  if (type === 'image/jpeg') {
    const { data, thumbnail, orientation } = stripJpeg(buf, true);
    return { data, type, thumbnail, size: imageSize(data), orientation };
  }
  if (type === 'image/png') {
    const { data, orientation } = stripPng(buf);
    return { data, type, thumbnail: null, size: imageSize(data), orientation };
  }
  throw new PhotoError('type');
}

/** SOFn markers (frame headers) — every C0-CF except DHT (C4), JPG (C8) and DAC (CC). */

function stripJpeg(buf: Buffer, wantThumb: boolean): { data: Buffer; thumbnail: Buffer | null; orientation: number } {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let thumbnail: Buffer | null = null;
  let orientation = 0;
  let p = 2;
  while (p < buf.length) {
    if (buf[p] !== 0xff) throw new PhotoError('corrupt');
    const marker = buf[p + 1];
    if (marker === undefined) throw new PhotoError('corrupt');
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      out.push(buf.subarray(p, p + 2));
      p += 2;
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(buf.subarray(p, p + 2));
      p += 2;
      continue;
    }
    if (p + 4 > buf.length) throw new PhotoError('corrupt');
    const len = buf.readUInt16BE(p + 2);
    const end = p + 2 + len;
    if (len < 2 || end > buf.length) throw new PhotoError('corrupt');
    if (marker === 0xda) {
      // start of scan: the entropy-coded data and everything after it are copied as they are
      // (a progressive JPEG has further segments there, none of which carry metadata)
      out.push(buf.subarray(p));
      p = buf.length;
      break;
    }
    if (JPEG_DROP.has(marker)) {
      const app1 = buf.subarray(p + 4, end);
      if (marker === 0xe1 && app1.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
        if (wantThumb && !thumbnail) thumbnail = exifThumbnail(app1);
        orientation ||= exifOrientation(app1.subarray(6));
      }
    } else out.push(buf.subarray(p, end));
    p = end;
  }
  orientation ||= 1;
  // the stored photo keeps its orientation and nothing else, so that it is shown upright
  if (orientation !== 1) out.splice(1, 0, orientationSegment(orientation));
  return { data: Buffer.concat(out), thumbnail, orientation };
}

/**
 * A minimal EXIF APP1 segment holding only the orientation tag (0x0112): "Exif\0\0", a big-endian
 * TIFF header and one IFD with one SHORT entry — 36 bytes, no other tag, no GPS, no preview.
 */
export function orientationSegment(orientation: number): Buffer {
  const b = Buffer.alloc(36);
  b.writeUInt16BE(0xffe1, 0);
  b.writeUInt16BE(34, 2); // segment length, counting itself
  b.write('Exif\0\0', 4, 'latin1');
  b.write('MM', 10, 'latin1');
  b.writeUInt16BE(42, 12);
  b.writeUInt32BE(8, 14); // offset of IFD0 from the TIFF header
  b.writeUInt16BE(1, 18); // one entry
  b.writeUInt16BE(0x0112, 20);
  b.writeUInt16BE(3, 22); // SHORT
  b.writeUInt32BE(1, 24);
  b.writeUInt16BE(orientation, 28);
  b.writeUInt32BE(0, 32); // no next IFD
  return b;
}

/** Tag 0x0112 of IFD0 in a TIFF structure (an EXIF block after its 'Exif\0\0'); 0 when absent. */
function exifOrientation(tiff: Buffer): number {
  try {
    const order = tiff.subarray(0, 2).toString('latin1');
    if (order !== 'II' && order !== 'MM') return 0;
    const le = order === 'II';
    const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
    const ifd0 = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
    for (let i = 0, n = u16(ifd0); i < n; i++) {
      const e = ifd0 + 2 + i * 12;
      if (u16(e) === 0x0112 && u16(e + 2) === 3) {
        const o = u16(e + 8);
        return o >= 1 && o <= 8 ? o : 0;
      }
    }
  } catch {
    // a damaged EXIF block: no orientation
  }
  return 0;
}

/** The JPEG preview of an EXIF block (IFD1 JPEGInterchangeFormat), stripped as well. */
function exifThumbnail(app1: Buffer): Buffer | null {
  try {
    if (app1.subarray(0, 6).toString('latin1') !== 'Exif\0\0') return null;
    const tiff = app1.subarray(6);
    const le = tiff.subarray(0, 2).toString('latin1') === 'II';
    const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
    const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
    const ifd0 = u32(4);
    const ifd1 = u32(ifd0 + 2 + u16(ifd0) * 12);
    if (!ifd1) return null;
    let offset = 0;
    let length = 0;
    for (let i = 0, n = u16(ifd1); i < n; i++) {
      const e = ifd1 + 2 + i * 12;
      const tag = u16(e);
      if (tag === 0x0201) offset = u32(e + 8);
      if (tag === 0x0202) length = u32(e + 8);
    }
    if (!offset || !length || offset + length > tiff.length) return null;
    const thumb = tiff.subarray(offset, offset + length);
    if (photoType(thumb) !== 'image/jpeg') return null;
    return stripJpeg(Buffer.from(thumb), false).data;
  } catch {
    return null;
  }
}

function stripPng(buf: Buffer): { data: Buffer; orientation: number } {
  const out: Buffer[] = [PNG_SIGNATURE];
  let orientation = 0;
  let p = 8;
  while (p < buf.length) {
    if (p + 12 > buf.length) throw new PhotoError('corrupt');
    const len = buf.readUInt32BE(p);
    const type = buf.subarray(p + 4, p + 8).toString('latin1');
    const end = p + 12 + len;
    if (end > buf.length) throw new PhotoError('corrupt');
    if (!PNG_DROP.has(type)) out.push(buf.subarray(p, end));
    else if (type === 'eXIf') orientation ||= exifOrientation(buf.subarray(p + 8, end - 4));
    p = end;
    if (type === 'IEND') break;
  }
  return { data: Buffer.concat(out), orientation: orientation || 1 };
}
