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
