/**
 * Photo thumbnails: fit within THUMB_MAX_SIDE × THUMB_MAX_SIDE, turned upright by the EXIF
 * orientation read before the metadata was stripped, encoded as a baseline JPEG that carries no
 * metadata at all. `makeThumbnail` uses sharp (libvips, prebuilt binaries from the npm registry:
 * a 12 MP photo in a few hundred ms, decisions/0049); where sharp cannot be loaded it falls back to
 * `renderThumbnail`, the same in pure JavaScript (jpeg-js/pngjs decode, area-average shrink), which
 * takes seconds and hundreds of MB for 12 MP. Both run only inside the thumbnail worker
 * (thumbnail.worker.ts), never on the server's event loop.
 */
import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { imageSize, type ImageType as PhotoType } from './image.js';

export const THUMB_MAX_SIDE = 320;
export const THUMB_QUALITY = 75;
/**
 * The largest picture a thumbnail is made of: 24 MP covers the photos phones and cameras take by
 * default (12-24 MP); a jpeg-js decode costs about 20 bytes a pixel, so this also bounds the
 * worker's memory (about 500 MB at most, for the time of one decode).
 */
export const THUMB_MAX_PIXELS = 24_000_000;
const JPEG_MAX_MEMORY_MB = 512;

export class ThumbnailError extends Error {
  constructor(
    readonly reason: 'too_large' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

export interface Thumbnail {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** The size that fits within max × max with the same aspect ratio; never enlarged. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  if (width <= max && height <= max) return { width, height };
  const s = max / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/**
 * For each source index along one axis of srcLen → dstLen (dstLen ≤ srcLen): the destination cell
 * it starts in and the share of that cell it covers. A source pixel spans 1/ratio of a destination
 * cell, so it overlaps one cell or straddles two; what it does not give the first goes to the next.
 */
function axisWeights(srcLen: number, dstLen: number) {
  const cell = new Int32Array(srcLen);
  const first = new Float32Array(srcLen);
  const rest = new Float32Array(srcLen);
  for (let s = 0; s < srcLen; s++) {
    const a = (s * dstLen) / srcLen;
    const b = ((s + 1) * dstLen) / srcLen;
    const d = Math.min(dstLen - 1, Math.floor(a));
    const w0 = Math.min(d + 1, b) - a;
    cell[s] = d;
    first[s] = w0;
    rest[s] = d + 1 < dstLen ? b - a - w0 : 0;
  }
  return { cell, first, rest };
}

/**
 * Area-average (box filter) downscale of 8-bit RGB (channels 3) or RGBA (channels 4) pixels to
 * dw × dh: every destination pixel is the mean of the source area it covers, fractional edge
 * pixels weighted by the part they cover. Transparent pixels are laid on white first. Returns RGBA
 * with alpha 255 (what the JPEG encoder takes). Rows are folded in one at a time, so beyond the
 * source it needs only one row and the destination's accumulators.
 */
export function boxScale(src: Uint8Array, sw: number, sh: number, channels: 3 | 4, dw: number, dh: number): Uint8Array {
  if (dw > sw || dh > sh || dw < 1 || dh < 1) throw new RangeError(`cannot scale ${sw}×${sh} to ${dw}×${dh}`);
  if (src.length < sw * sh * channels) throw new RangeError('pixel buffer shorter than the image');
  const xs = axisWeights(sw, dw);
  const ys = axisWeights(sh, dh);
  const row = new Float32Array(dw * 3);
  const acc = new Float32Array(dw * dh * 3);
  for (let y = 0; y < sh; y++) {
    row.fill(0);
    let i = y * sw * channels;
    for (let x = 0; x < sw; x++, i += channels) {
      let r = src[i]!;
      let g = src[i + 1]!;
      let b = src[i + 2]!;
      if (channels === 4) {
        const a = src[i + 3]!;
        if (a !== 255) {
          const white = 255 - a;
          r = (r * a + 255 * white) / 255;
          g = (g * a + 255 * white) / 255;
          b = (b * a + 255 * white) / 255;
        }
      }
      const o = xs.cell[x]! * 3;
      const w0 = xs.first[x]!;
      row[o] = row[o]! + r * w0;
      row[o + 1] = row[o + 1]! + g * w0;
      row[o + 2] = row[o + 2]! + b * w0;
      const w1 = xs.rest[x]!;
      if (w1 > 0) {
        row[o + 3] = row[o + 3]! + r * w1;
        row[o + 4] = row[o + 4]! + g * w1;
        row[o + 5] = row[o + 5]! + b * w1;
      }
    }
    const o = ys.cell[y]! * dw * 3;
    const w0 = ys.first[y]!;
    const w1 = ys.rest[y]!;
    for (let k = 0; k < dw * 3; k++) acc[o + k] = acc[o + k]! + row[k]! * w0;
    if (w1 > 0) for (let k = 0, o1 = o + dw * 3; k < dw * 3; k++) acc[o1 + k] = acc[o1 + k]! + row[k]! * w1;
  }
  const out = new Uint8Array(dw * dh * 4);
  for (let p = 0, q = 0; p < acc.length; p += 3, q += 4) {
    out[q] = Math.min(255, Math.max(0, Math.round(acc[p]!)));
    out[q + 1] = Math.min(255, Math.max(0, Math.round(acc[p + 1]!)));
    out[q + 2] = Math.min(255, Math.max(0, Math.round(acc[p + 2]!)));
    out[q + 3] = 255;
  }
  return out;
}

/** Orientations 5-8 lie on their side: width and height trade places. */
export const swapsSides = (orientation: number) => orientation >= 5 && orientation <= 8;

/**
 * RGBA pixels of w × h turned upright by an EXIF orientation (1 = as stored, 2 mirrored, 3 turned
 * 180°, 4 flipped, 5 transposed, 6 needs 90° clockwise, 7 transversed, 8 needs 90° anticlockwise).
 */
export function orient(
  rgba: Uint8Array,
  w: number,
  h: number,
  orientation: number,
): { data: Uint8Array; width: number; height: number } {
  if (orientation < 2 || orientation > 8) return { data: rgba, width: w, height: h };
  const swap = swapsSides(orientation);
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const src = new Uint32Array(rgba.buffer, rgba.byteOffset, w * h);
  const out = new Uint8Array(w * h * 4);
  const dst = new Uint32Array(out.buffer);
  // where the stored pixel (x, y) lands in the upright picture
  const place: Record<number, (x: number, y: number) => number> = {
    2: (x, y) => y * ow + (w - 1 - x),
    3: (x, y) => (h - 1 - y) * ow + (w - 1 - x),
    4: (x, y) => (h - 1 - y) * ow + x,
    5: (x, y) => x * ow + y,
    6: (x, y) => x * ow + (h - 1 - y),
    7: (x, y) => (w - 1 - x) * ow + (h - 1 - y),
    8: (x, y) => (w - 1 - x) * ow + y,
  };
  const to = place[orientation]!;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) dst[to(x, y)] = src[y * w + x]!;
  return { data: out, width: ow, height: oh };
}

/** Decoded pixels: RGB from jpeg-js, RGBA from pngjs. */
interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

function checkSize(data: Uint8Array): { width: number; height: number } {
  const size = imageSize(data);
  if (!size) throw new ThumbnailError('corrupt', 'the file declares no picture size');
  if (size.width * size.height > THUMB_MAX_PIXELS)
    throw new ThumbnailError(
      'too_large',
      `${size.width}×${size.height} is more than ${THUMB_MAX_PIXELS / 1e6} MP, the thumbnail limit`,
    );
  return size;
}

function decodeJpeg(data: Uint8Array): Pixels {
  checkSize(data);
  try {
    const img = jpeg.decode(data, {
      useTArray: true,
      formatAsRGBA: false,
      tolerantDecoding: true,
      maxResolutionInMP: THUMB_MAX_PIXELS / 1e6,
      maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB,
    });
    if (!img.width || !img.height) throw new Error('no frame');
    return { data: img.data, width: img.width, height: img.height, channels: 3 };
  } catch (err) {
    const message = (err as Error).message;
    throw new ThumbnailError(/limit exceeded|allocate/i.test(message) ? 'too_large' : 'corrupt', message);
  }
}

function decodePng(data: Uint8Array): Pixels {
  const { width, height } = checkSize(data);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // pngjs bounds the inflated data by the declared size, except for interlaced images: there a
  // small IDAT could inflate without end, so it is inflated here first with a ceiling
  if (buf.length >= 29 && buf[28] === 1) {
    const idat: Buffer[] = [];
    for (let p = 8; p + 12 <= buf.length; ) {
      const len = buf.readUInt32BE(p);
      if (buf.subarray(p + 4, p + 8).toString('latin1') === 'IDAT') idat.push(buf.subarray(p + 8, p + 8 + len));
      p += 12 + len;
    }
    const rowBytes = width * 8 + 1; // at most 8 bytes a pixel (RGBA, 16 bit) and the filter byte
    try {
      zlib.inflateSync(Buffer.concat(idat), { maxOutputLength: 2 * rowBytes * height + 1024 });
    } catch (err) {
      throw new ThumbnailError(err instanceof RangeError ? 'too_large' : 'corrupt', (err as Error).message);
    }
  }
  try {
    const png = PNG.sync.read(buf);
    return { data: png.data, width: png.width, height: png.height, channels: 4 };
  } catch (err) {
    throw new ThumbnailError('corrupt', (err as Error).message);
  }
}

type Sharp = import('sharp').SharpConstructor;
let sharpModule: Promise<Sharp | null> | undefined;

/** sharp, loaded at the first thumbnail; null where its binary is not installed. */
function loadSharp(): Promise<Sharp | null> {
  sharpModule ??= import('sharp').then(
    (m) => {
      const sharp = m.default;
      sharp.cache(false); // a thumbnail is made once: keep no decoded image around
      sharp.concurrency(1); // one libvips thread: the worker runs one job at a time anyway
      return sharp;
    },
    () => null,
  );
  return sharpModule;
}

/**
 * The thumbnail of a stripped JPEG or PNG, upright, as a metadata-free JPEG: by sharp, or by
 * renderThumbnail where sharp is not installed (`engine` forces one, for the benchmark).
 */
export async function makeThumbnail(
  data: Uint8Array,
  type: PhotoType,
  orientation: number,
  engine?: 'sharp' | 'js',
): Promise<Thumbnail> {
  const sharp = engine === 'js' ? null : await loadSharp();
  if (!sharp) {
    if (engine === 'sharp') throw new Error('sharp is not installed');
    return renderThumbnail(data, type, orientation);
  }
  const size = checkSize(data);
  const swap = swapsSides(orientation);
  const fit = fitWithin(swap ? size.height : size.width, swap ? size.width : size.height, THUMB_MAX_SIDE);
  const dw = swap ? fit.height : fit.width;
  const dh = swap ? fit.width : fit.height;
  let raw: { data: Buffer; info: { width: number; height: number } };
  try {
    raw = await sharp(data, { limitInputPixels: THUMB_MAX_PIXELS, failOn: 'warning' })
      .resize(dw, dh, { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const message = (err as Error).message;
    throw new ThumbnailError(/pixel limit|exceeds/i.test(message) ? 'too_large' : 'corrupt', message);
  }
  // turned by the same code as the pure-JS path, on the few pixels of the thumbnail
  const upright = orient(new Uint8Array(raw.data), raw.info.width, raw.info.height, orientation);
  const out = await sharp(upright.data, { raw: { width: upright.width, height: upright.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality: THUMB_QUALITY })
    .toBuffer();
  return { jpeg: out, width: upright.width, height: upright.height };
}

/** The thumbnail in pure JavaScript (the fallback of makeThumbnail). */
export function renderThumbnail(data: Uint8Array, type: PhotoType, orientation: number): Thumbnail {
  const px = type === 'image/jpeg' ? decodeJpeg(data) : decodePng(data);
  const swap = swapsSides(orientation);
  const fit = fitWithin(swap ? px.height : px.width, swap ? px.width : px.height, THUMB_MAX_SIDE);
  const dw = swap ? fit.height : fit.width;
  const dh = swap ? fit.width : fit.height;
  const scaled = boxScale(px.data, px.width, px.height, px.channels, dw, dh);
  const upright = orient(scaled, dw, dh, orientation);
  const out = jpeg.encode({ data: upright.data, width: upright.width, height: upright.height }, THUMB_QUALITY);
  return { jpeg: out.data, width: upright.width, height: upright.height };
}
