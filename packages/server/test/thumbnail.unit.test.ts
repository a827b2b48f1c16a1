import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  boxScale,
  fitWithin,
  makeThumbnail,
  orient,
  renderThumbnail,
  ThumbnailError,
} from '../src/platform/files/thumbnail.js';
import { ThumbnailPool } from '../src/platform/files/thumbnail-pool.js';
import { gradientJpeg, meanRgb, pngChunk, withExif, withSize } from './photo-fixtures.js';

describe('fitting and scaling', () => {
  it('fits within 320×320 keeping the aspect ratio, never enlarging', () => {
    expect(fitWithin(1600, 1200, 320)).toEqual({ width: 320, height: 240 });
    expect(fitWithin(1200, 1600, 320)).toEqual({ width: 240, height: 320 });
    expect(fitWithin(900, 600, 320)).toEqual({ width: 320, height: 213 });
    expect(fitWithin(4000, 10, 320)).toEqual({ width: 320, height: 1 });
    expect(fitWithin(200, 100, 320)).toEqual({ width: 200, height: 100 });
  });

  it('averages the area each pixel covers (box filter), not the nearest pixel', () => {
    // a 4×2 checkerboard of black and white → 2×1 grey: nearest-neighbour would give black or white
    const src = new Uint8Array([
      0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0,
    ]);
    expect([...boxScale(src, 4, 2, 3, 2, 1)]).toEqual([128, 128, 128, 255, 128, 128, 128, 255]);
    // 3 → 2 columns: the middle pixel is split half and half between the two
    const row = new Uint8Array([30, 0, 0, 90, 0, 0, 210, 0, 0]);
    const out = boxScale(row, 3, 1, 3, 2, 1);
    expect([out[0], out[4]]).toEqual([Math.round((30 + 45) / 1.5), Math.round((45 + 210) / 1.5)]);
  });

  it('keeps the mean colour of any size it shrinks to', () => {
    const w = 997;
    const h = 613;
    const src = new Uint8Array(w * h * 3);
    for (let i = 0; i < src.length; i++) src[i] = (i * 7919) % 251;
    const mean = (px: Uint8Array, step: number) => {
      let s = 0;
      for (let i = 0; i < px.length; i += step) s += px[i]!;
      return s / (px.length / step);
    };
    for (const [dw, dh] of [
      [320, 197],
      [97, 61],
      [1, 1],
    ] as const) {
      const out = boxScale(src, w, h, 3, dw, dh);
      expect(Math.abs(mean(out, 4) - mean(src, 3))).toBeLessThan(0.6);
    }
  });

  it('lays transparent pixels on white', () => {
    const src = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255]); // transparent black, opaque black
    expect([...boxScale(src, 2, 1, 4, 1, 1)]).toEqual([128, 128, 128, 255]);
  });

  it('turns the pixels upright by the EXIF orientation', () => {
    // 3×2 image, pixel values 1..6 in the red channel, row by row
    const rgba = new Uint8Array(3 * 2 * 4);
    for (let i = 0; i < 6; i++) rgba.set([i + 1, 0, 0, 255], i * 4);
    const reds = (o: number) => {
      const r = orient(rgba, 3, 2, o);
      return { size: [r.width, r.height], red: [...r.data].filter((_, i) => i % 4 === 0) };
    };
    expect(reds(1)).toEqual({ size: [3, 2], red: [1, 2, 3, 4, 5, 6] });
    expect(reds(2)).toEqual({ size: [3, 2], red: [3, 2, 1, 6, 5, 4] });
    expect(reds(3)).toEqual({ size: [3, 2], red: [6, 5, 4, 3, 2, 1] });
    expect(reds(4)).toEqual({ size: [3, 2], red: [4, 5, 6, 1, 2, 3] });
    expect(reds(5)).toEqual({ size: [2, 3], red: [1, 4, 2, 5, 3, 6] });
    // 6: stored rotated anticlockwise, shown turned 90° clockwise — the first column becomes the top row
    expect(reds(6)).toEqual({ size: [2, 3], red: [4, 1, 5, 2, 6, 3] });
    expect(reds(7)).toEqual({ size: [2, 3], red: [6, 3, 5, 2, 4, 1] });
    expect(reds(8)).toEqual({ size: [2, 3], red: [3, 6, 2, 5, 1, 4] });
  });
});

describe('rendering a thumbnail', () => {
  it('shrinks a JPEG to a metadata-free JPEG of the same look', () => {
    const src = gradientJpeg(800, 600);
    const t = renderThumbnail(src, 'image/jpeg', 1);
    expect([t.width, t.height]).toEqual([320, 240]);
    const img = jpeg.decode(t.jpeg, { useTArray: true });
    expect([img.width, img.height]).toEqual([320, 240]);
    const want = meanRgb(jpeg.decode(src, { useTArray: true }).data, 4);
    const got = meanRgb(img.data, 4);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThan(3);
  });

  it('turns a photo taken upright (orientation 6) on its feet', () => {
    const t = renderThumbnail(gradientJpeg(800, 600), 'image/jpeg', 6);
    expect([t.width, t.height]).toEqual([240, 320]);
    const img = jpeg.decode(t.jpeg, { useTArray: true });
    // the stored left edge is red-free (red grows with x): shown turned clockwise, it is the top
    const top = img.data[(2 * 240 + 120) * 4]!;
    const bottom = img.data[(317 * 240 + 120) * 4]!;
    expect(top).toBeLessThan(20);
    expect(bottom).toBeGreaterThan(235);
  });

  it('refuses a declared size beyond the limit before decoding anything', () => {
    const bomb = withSize(gradientJpeg(64, 48), 60000, 60000);
    expect(() => renderThumbnail(bomb, 'image/jpeg', 1)).toThrow(ThumbnailError);
    try {
      renderThumbnail(bomb, 'image/jpeg', 1);
    } catch (err) {
      expect((err as ThumbnailError).reason).toBe('too_large');
    }
  });

  it('refuses an interlaced PNG whose data inflates beyond its declared size', () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(100, 0);
    ihdr.writeUInt32BE(100, 4);
    ihdr.set([8, 6, 0, 0, 1], 8); // 8-bit RGBA, interlaced
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(4 * 1024 * 1024))),
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
    expect(() => renderThumbnail(png, 'image/png', 1)).toThrow(/larger than|too large|maxOutputLength|buffer/i);
  });

  it('reads a PNG with transparency', () => {
    const png = new PNG({ width: 400, height: 100 });
    for (let i = 0; i < 400 * 100; i++) png.data.set([0, 0, 255, i % 400 < 200 ? 255 : 0], i * 4);
    const t = renderThumbnail(PNG.sync.write(png), 'image/png', 1);
    expect([t.width, t.height]).toEqual([320, 80]);
    const img = jpeg.decode(t.jpeg, { useTArray: true });
    const at = (x: number) => [...img.data.subarray((40 * 320 + x) * 4, (40 * 320 + x) * 4 + 3)];
    expect(at(40)[2]).toBeGreaterThan(240); // blue
    expect(at(40)[0]).toBeLessThan(20);
    expect(at(280).every((v) => v > 240)).toBe(true); // transparent → white
  });
});

describe('a thumbnail by sharp (decisions/0049)', () => {
  it('looks like the pure-JS one: same size, same mean colour, upright, no metadata', async () => {
    const src = withExif(gradientJpeg(800, 600));
    const t = await makeThumbnail(src, 'image/jpeg', 1, 'sharp');
    expect([t.width, t.height]).toEqual([320, 240]);
    expect(t.jpeg.includes(Buffer.from('Exif'))).toBe(false);
    const img = jpeg.decode(t.jpeg, { useTArray: true });
    expect([img.width, img.height]).toEqual([320, 240]);
    const want = meanRgb(jpeg.decode(src, { useTArray: true }).data, 4);
    const got = meanRgb(img.data, 4);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThan(3);
    const turned = await makeThumbnail(gradientJpeg(800, 600), 'image/jpeg', 6, 'sharp');
    expect([turned.width, turned.height]).toEqual([240, 320]);
    const up = jpeg.decode(turned.jpeg, { useTArray: true });
    expect(up.data[(2 * 240 + 120) * 4]!).toBeLessThan(20);
    expect(up.data[(317 * 240 + 120) * 4]!).toBeGreaterThan(235);
  });

  it('lays a transparent PNG on white and refuses bombs and damaged files', async () => {
    const png = new PNG({ width: 40, height: 40 });
    png.data.fill(0); // transparent black
    const t = await makeThumbnail(PNG.sync.write(png), 'image/png', 1, 'sharp');
    const img = jpeg.decode(t.jpeg, { useTArray: true });
    expect(img.data[0]!).toBeGreaterThan(245);
    const bomb = withSize(gradientJpeg(64, 48), 60000, 60000);
    await expect(makeThumbnail(bomb, 'image/jpeg', 1, 'sharp')).rejects.toMatchObject({ reason: 'too_large' });
    const broken = gradientJpeg(64, 48);
    broken.fill(0x55, 200);
    await expect(makeThumbnail(broken.subarray(0, 300), 'image/jpeg', 1, 'sharp')).rejects.toBeInstanceOf(
      ThumbnailError,
    );
  });
});

describe('the thumbnail worker', () => {
  const pool = new ThumbnailPool({ maxQueue: 1, timeoutMs: 20_000 });
  afterAll(() => pool.close());

  it('renders off the main thread, refuses bombs, and queues no more than it may', async () => {
    const src = gradientJpeg(800, 600);
    const jobs = [
      pool.render(src, 'image/jpeg', 1),
      pool.render(withSize(src, 60000, 60000), 'image/jpeg', 1),
      pool.render(src, 'image/jpeg', 1),
    ];
    const [ok, bomb, busy] = await Promise.all(jobs);
    expect(ok).toMatchObject({ ok: true, width: 320, height: 240 });
    expect(bomb).toMatchObject({ ok: false, reason: 'too_large' });
    expect(busy).toMatchObject({ ok: false, reason: 'busy' });
    expect(await pool.render(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg', 1)).toMatchObject({
      ok: false,
      reason: 'corrupt',
    });
  });

  it('ends a job that runs too long and starts a fresh worker for the next', async () => {
    pool.timeoutMs = 1;
    const late = await pool.render(gradientJpeg(800, 600), 'image/jpeg', 1);
    expect(late).toMatchObject({ ok: false, reason: 'timeout' });
    pool.timeoutMs = 20_000;
    expect(await pool.render(gradientJpeg(640, 480), 'image/jpeg', 1)).toMatchObject({ ok: true, width: 320 });
    const closed = new ThumbnailPool();
    await closed.close();
    expect(await closed.render(gradientJpeg(16, 16), 'image/jpeg', 1)).toMatchObject({ reason: 'unavailable' });
  });
});
