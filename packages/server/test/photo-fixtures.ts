import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Real, decodable photos made in memory: a JPEG (jpeg-js) whose red grows left to right and green
 * top to bottom, over a constant blue, so both the colour and the way up of a thumbnail show.
 */
export function gradientJpeg(width: number, height: number, quality = 85): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      data.set(
        [Math.round((x * 255) / (width - 1 || 1)), Math.round((y * 255) / (height - 1 || 1)), 96, 255],
        (y * width + x) * 4,
      );
  return jpeg.encode({ data, width, height }, quality).data;
}

/** A PNG of the same gradient whose right quarter is half transparent, with text and EXIF chunks. */
export function gradientPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      png.data.set(
        [
          Math.round((x * 255) / (width - 1)),
          Math.round((y * 255) / (height - 1)),
          96,
          x >= (width * 3) / 4 ? 128 : 255,
        ],
        (y * width + x) * 4,
      );
  const plain = PNG.sync.write(png);
  const iend = plain.length - 12;
  return Buffer.concat([
    plain.subarray(0, iend),
    pngChunk('tEXt', Buffer.from('Comment\0GPSLatitude=45.59N', 'latin1')),
    pngChunk('eXIf', tiffBlock(1)),
    plain.subarray(iend),
  ]);
}

/** Mean R, G, B of 8-bit pixels with `channels` bytes each; with 4, alpha is laid on white. */
export function meanRgb(px: Uint8Array, channels: 3 | 4): [number, number, number] {
  const sum = [0, 0, 0];
  const n = px.length / channels;
  for (let i = 0; i < px.length; i += channels) {
    const a = channels === 4 ? px[i + 3]! / 255 : 1;
    for (let c = 0; c < 3; c++) sum[c]! += px[i + c]! * a + 255 * (1 - a);
  }
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The file with the size its header declares changed (JPEG SOFn, PNG IHDR with a fresh CRC). */
export function withSize(file: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(file);
  if (out[0] === 0x89) {
    out.writeUInt32BE(width, 16);
    out.writeUInt32BE(height, 20);
    out.writeUInt32BE(zlib.crc32(out.subarray(12, 29)), 29);
    return out;
  }
  for (let p = 2; p < out.length; ) {
    const marker = out[p + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) {
      out.writeUInt16BE(height, p + 5);
      out.writeUInt16BE(width, p + 7);
      return out;
    }
    p += 2 + out.readUInt16BE(p + 2);
  }
  throw new Error('no frame header');
}

/**
 * A TIFF block as EXIF carries it: IFD0 with the orientation and a pointer to a GPS IFD, and the
 * GPS position as text after it (so a test can look for its bytes).
 */
function tiffBlock(orientation: number): Buffer {
  const tiff = Buffer.alloc(44);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8); // IFD0: two entries
  tiff.writeUInt16LE(0x0112, 10); // Orientation, SHORT, 1
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  tiff.writeUInt16LE(0x8825, 22); // GPS IFD pointer, LONG, 1
  tiff.writeUInt16LE(4, 24);
  tiff.writeUInt32LE(1, 26);
  tiff.writeUInt32LE(38, 30);
  tiff.writeUInt32LE(0, 34); // no IFD1
  tiff.writeUInt16LE(0, 38); // GPS IFD: no entries
  return Buffer.concat([tiff, Buffer.from('GPSLatitude=45.59N;GPSLongitude=84.88E')]);
}

/** The JPEG with an EXIF APP1 segment (orientation, GPS) after its JFIF APP0. */
export function withExif(file: Buffer, orientation = 1): Buffer {
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiffBlock(orientation)]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  const at = file[3] === 0xe0 ? 4 + file.readUInt16BE(4) : 2;
  return Buffer.concat([file.subarray(0, at), head, body, file.subarray(at)]);
}
