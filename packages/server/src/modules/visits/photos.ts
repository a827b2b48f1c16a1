/**
 * Photo metadata removal without an image library (DESIGN §6: no EXIF/GPS leaves the server).
 * JPEG: the APPn segments that carry EXIF (with GPS), XMP, IPTC and comments are dropped, the
 * image data is copied untouched. PNG: the text and EXIF chunks are dropped. The small preview
 * that cameras embed in EXIF (IFD1) is kept, itself stripped, as the thumbnail.
 */
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
  thumbnail: Buffer | null;
}

export function stripMetadata(buf: Buffer): Stripped {
  const type = photoType(buf);
  if (type === 'image/jpeg') {
    const { data, thumbnail } = stripJpeg(buf, true);
    return { data, type, thumbnail };
  }
  if (type === 'image/png') return { data: stripPng(buf), type, thumbnail: null };
  throw new PhotoError('type');
}

function stripJpeg(buf: Buffer, wantThumb: boolean): { data: Buffer; thumbnail: Buffer | null } {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let thumbnail: Buffer | null = null;
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
      if (wantThumb && marker === 0xe1 && !thumbnail) thumbnail = exifThumbnail(buf.subarray(p + 4, end));
    } else out.push(buf.subarray(p, end));
    p = end;
  }
  return { data: Buffer.concat(out), thumbnail };
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

function stripPng(buf: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let p = 8;
  while (p < buf.length) {
    if (p + 12 > buf.length) throw new PhotoError('corrupt');
    const len = buf.readUInt32BE(p);
    const type = buf.subarray(p + 4, p + 8).toString('latin1');
    const end = p + 12 + len;
    if (end > buf.length) throw new PhotoError('corrupt');
    if (!PNG_DROP.has(type)) out.push(buf.subarray(p, end));
    p = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}
