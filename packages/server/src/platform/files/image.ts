/**
 * Images from outside, without an image library (DESIGN §6: no EXIF/GPS leaves the server): the
 * type by content, the pixel size the file declares (read from the JPEG frame header or the PNG
 * IHDR without decoding, so a decompression bomb is recognised before a pixel is allocated), and
 * one metadata stripping for every route that stores an image.
 *
 * JPEG: APP1 (EXIF with GPS, XMP), APP3–APP13, APP15 and comments are dropped; APP0 (JFIF), APP2
 * (the ICC colour profile) and APP14 (Adobe: how CMYK/YCCK is decoded) stay, and the image data is
 * copied untouched. The EXIF orientation is read before it goes and written back as a 36-byte EXIF
 * block holding that one tag, so the photo is shown upright; the small preview cameras embed in
 * EXIF (IFD1) is kept, itself stripped, as the thumbnail of last resort. PNG: only the chunks that
 * draw it stay (the orientation of an eXIf chunk is read first).
 */

export type ImageType = 'image/jpeg' | 'image/png';

/** The image type of an upload by its content (never its name), or null. */
export function sniffImage(buf: Uint8Array): ImageType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && PNG_SIGNATURE.equals(buf.subarray(0, 8))) return 'image/png';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** SOFn markers (frame headers) — every C0-CF except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** APP1 (EXIF, XMP), APP3–APP13 (vendor blocks, IPTC/Photoshop), APP15 and COM (comments). */
const jpegDrops = (m: number) => m === 0xe1 || (m >= 0xe3 && m <= 0xed) || m === 0xef || m === 0xfe;
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs']);

/**
 * The pixel size a JPEG or PNG declares in its header, read without decoding. Null when the header
 * is missing or declares no size.
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

/** Why an image was not stripped: not a JPEG or PNG, or a file that does not parse. */
export class PhotoError extends Error {
  constructor(readonly reason: 'type' | 'corrupt') {
    super(reason);
  }
}

export interface Stripped {
  data: Buffer;
  type: ImageType;
  /** The preview the camera embedded in EXIF, stripped; null when there is none. */
  thumbnail: Buffer | null;
  /** The pixel size the file declares (JPEG SOFn, PNG IHDR); null when it declares none. */
  size: { width: number; height: number } | null;
  /** EXIF orientation 1-8 (1 when absent): how the stored pixels must be turned to stand upright. */
  orientation: number;
}

/** The one metadata stripping of every stored image; throws PhotoError('type' | 'corrupt'). */
export function stripMetadata(buf: Buffer): Stripped {
  const type = sniffImage(buf);
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

function stripJpeg(buf: Buffer, wantThumb: boolean): { data: Buffer; thumbnail: Buffer | null; orientation: number } {
  const out: Buffer[] = [buf.subarray(0, 2)];
  let thumbnail: Buffer | null = null;
  let orientation = 0;
  let scan = false;
  let p = 2;
  while (p < buf.length) {
    if (buf[p] !== 0xff) throw new PhotoError('corrupt');
    const marker = buf[p + 1];
    if (marker === undefined) throw new PhotoError('corrupt');
    if (marker === 0xff) {
      p++; // fill byte
      continue;
    }
    if (marker === 0xd9) break;
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
      scan = true;
      break;
    }
    if (jpegDrops(marker)) {
      const app1 = buf.subarray(p + 4, end);
      if (marker === 0xe1 && app1.subarray(0, 6).toString('latin1') === 'Exif\0\0') {
        if (wantThumb && !thumbnail) thumbnail = exifThumbnail(app1);
        orientation ||= exifOrientation(app1.subarray(6));
      }
    } else out.push(buf.subarray(p, end));
    p = end;
  }
  if (!scan) throw new PhotoError('corrupt');
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
    if (sniffImage(thumb) !== 'image/jpeg') return null;
    return stripJpeg(Buffer.from(thumb), false).data;
  } catch {
    return null;
  }
}

function stripPng(buf: Buffer): { data: Buffer; orientation: number } {
  const out: Buffer[] = [PNG_SIGNATURE];
  let orientation = 0;
  for (let p = 8; p + 12 <= buf.length; ) {
    const len = buf.readUInt32BE(p);
    const type = buf.subarray(p + 4, p + 8).toString('latin1');
    const end = p + 12 + len;
    if (end > buf.length) throw new PhotoError('corrupt');
    if (PNG_KEEP.has(type)) out.push(buf.subarray(p, end));
    else if (type === 'eXIf') orientation ||= exifOrientation(buf.subarray(p + 8, end - 4));
    if (type === 'IEND') return { data: Buffer.concat(out), orientation: orientation || 1 };
    p = end;
  }
  throw new PhotoError('corrupt');
}

/**
 * What an image tells about where and with what it was taken, read before its metadata is
 * stripped: a GPS position (EXIF GPS IFD, XMP or text chunks naming GPS) and the camera (EXIF make
 * and model). Files that do not parse tell nothing (the upload refuses them separately).
 */
export interface ImageMetadata {
  gps: boolean;
  camera: string | null;
}

const GPS_TEXT = /GPS(?:Latitude|Longitude|Position)/;

/** Reads a TIFF block (the body of EXIF): GPS IFD pointer with entries, make and model in IFD0. */
function readTiff(tiff: Buffer): ImageMetadata {
  const out: ImageMetadata = { gps: false, camera: null };
  if (tiff.length < 8) return out;
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return out;
  const le = order === 'II';
  const u16 = (o: number) => (o + 2 <= tiff.length ? (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o)) : 0);
  const u32 = (o: number) => (o + 4 <= tiff.length ? (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o)) : 0);
  const ifd = u32(4);
  const count = u16(ifd);
  const camera: string[] = [];
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > tiff.length) break;
    const tag = u16(e);
    if (tag === 0x8825) out.gps = true; // a GPS IFD at all: cameras write it only with a position
    if (tag === 0x010f || tag === 0x0110) {
      const n = u32(e + 4);
      const at = n <= 4 ? e + 8 : u32(e + 8);
      const s = tiff
        .subarray(at, Math.min(at + n, tiff.length))
        .toString('latin1')
        .replace(/\0+$/, '')
        .trim();
      if (s) camera.push(s);
    }
  }
  if (!out.gps && GPS_TEXT.test(tiff.toString('latin1'))) out.gps = true;
  out.camera = camera.length ? camera.join(' ') : null;
  return out;
}

function merge(a: ImageMetadata, b: ImageMetadata): ImageMetadata {
  return { gps: a.gps || b.gps, camera: a.camera ?? b.camera };
}

/** GPS and camera of an image as uploaded (the confidentiality checks read them). */
export function imageMetadata(buf: Buffer): ImageMetadata {
  let out: ImageMetadata = { gps: false, camera: null };
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= buf.length && buf[i] === 0xff) {
      const marker = buf[i + 1]!;
      if (marker === 0xda || marker === 0xd9) break;
      const len = buf.readUInt16BE(i + 2);
      const body = buf.subarray(i + 4, Math.min(i + 2 + len, buf.length));
      if (marker === 0xe1) {
        if (body.subarray(0, 6).toString('latin1') === 'Exif\0\0') out = merge(out, readTiff(body.subarray(6)));
        else if (GPS_TEXT.test(body.toString('latin1'))) out.gps = true; // XMP
      }
      if (len < 2) break;
      i += 2 + len;
    }
    return out;
  }
  if (buf.length > 8 && buf.readUInt32BE(0) === 0x89504e47) {
    let i = 8;
    while (i + 12 <= buf.length) {
      const len = buf.readUInt32BE(i);
      const type = buf.subarray(i + 4, i + 8).toString('latin1');
      const data = buf.subarray(i + 8, Math.min(i + 8 + len, buf.length));
      if (type === 'eXIf') out = merge(out, readTiff(data));
      if ((type === 'tEXt' || type === 'iTXt' || type === 'zTXt') && GPS_TEXT.test(data.toString('latin1')))
        out.gps = true;
      if (type === 'IEND') break;
      i += 12 + len;
    }
  }
  return out;
}
