import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orientationSegment, stripMetadata } from '../src/platform/files/image.js';
import { type Client, signedIn, type TestEnv, testEnv } from './helpers.js';
import { gradientJpeg, gradientPng, meanRgb, withExif, withSize } from './photo-fixtures.js';
import { CAMPAIGN, jpegWithGps, visitBody, visitsRegistry } from './visits-fixtures.js';

/** Photo thumbnails: made at upload in the thumbnail worker, served by ?thumb=1, metadata-free. */
let env: TestEnv;
let klmy: Client;
let url: string;
let visitId: string;
let targetIds: string[];

beforeAll(async () => {
  env = await testEnv();
  klmy = await signedIn(env.app, 'klmy', '10.8.1.1');
  const dsz = await signedIn(env.app, 'dsz', '10.8.1.2');
  await visitsRegistry(env, klmy, dsz);
  const plan = await klmy.post('/api/v1/visit-plans', {
    campaignId: CAMPAIGN,
    title: '照片测试',
    rules: [{ categories: ['martyr_survivor'] }],
  });
  expect(plan.statusCode).toBe(201);
  const confirmed = await klmy.post(`/api/v1/visit-plans/${plan.json().id}/confirm`, {
    version: plan.json().version,
  });
  expect(confirmed.statusCode).toBe(200);
  const targets = (await klmy.get(`/api/v1/visit-plans/${plan.json().id}/targets`)).json().items;
  targetIds = targets.map((t: { id: string }) => t.id);
  const visit = await klmy.post('/api/v1/visits', visitBody(targets[0].id));
  expect(visit.statusCode).toBe(201);
  visitId = visit.json().id;
  url = `/api/v1/visits/${visitId}/photos`;
});
afterAll(async () => env?.close());

const upload = (body: Buffer, type = 'image/jpeg') => klmy.request('POST', url, body, { 'content-type': type });
const fetchPhoto = (id: string, thumb = false) => klmy.get(`/api/v1/visit-photos/${id}${thumb ? '?thumb=1' : ''}`);
const photoFiles = () => fs.readdirSync(path.join(env.dataDir, 'visit-photos')).sort();

/** No APP1 (EXIF/XMP) segment and none of the GPS text. */
function expectNoMetadata(file: Buffer) {
  expect(file.includes(Buffer.from('GPSLatitude'))).toBe(false);
  expect(file.includes(Buffer.from('Exif'))).toBe(false);
  expect(file.includes(Buffer.from([0xff, 0xe1]))).toBe(false);
}

describe('visit photo thumbnails', () => {
  it('shrinks an uploaded JPEG to fit 320×320, with its colours and without EXIF or GPS', async () => {
    const source = withExif(gradientJpeg(1600, 1200));
    expect(source.includes(Buffer.from('GPSLatitude'))).toBe(true);
    const up = await upload(source);
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'image/jpeg', hasThumbnail: true });
    const thumb = await fetchPhoto(up.json().id, true);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expectNoMetadata(thumb.rawPayload);
    expect(thumb.rawPayload.length).toBeLessThan(40_000);
    const small = jpeg.decode(thumb.rawPayload, { useTArray: true });
    expect([small.width, small.height]).toEqual([320, 240]);
    const original = await fetchPhoto(up.json().id);
    expectNoMetadata(original.rawPayload);
    const big = jpeg.decode(original.rawPayload, { useTArray: true });
    expect([big.width, big.height]).toEqual([1600, 1200]);
    const want = meanRgb(big.data, 4);
    const got = meanRgb(small.data, 4);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThan(3);
    const listed = (await klmy.get(`/api/v1/visits/${visitId}`)).json().photos;
    expect(listed.find((p: { id: string }) => p.id === up.json().id)).toMatchObject({ hasThumbnail: true });
  });

  it('turns the thumbnail of a photo taken upright by its EXIF orientation', async () => {
    const up = await upload(withExif(gradientJpeg(800, 600), 6));
    expect(up.json().hasThumbnail).toBe(true);
    const small = jpeg.decode((await fetchPhoto(up.json().id, true)).rawPayload, { useTArray: true });
    expect([small.width, small.height]).toEqual([240, 320]);
    // red grows left to right in the stored pixels; turned clockwise, the left edge is the top
    expect(small.data[(2 * 240 + 120) * 4]).toBeLessThan(20);
    expect(small.data[(317 * 240 + 120) * 4]).toBeGreaterThan(235);
    // the full-size photo keeps the orientation tag alone (shown upright), nothing else of the EXIF
    const original = (await fetchPhoto(up.json().id)).rawPayload;
    expect(original.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(original.subarray(2, 38).equals(orientationSegment(6))).toBe(true);
    expect(original.indexOf(Buffer.from([0xff, 0xe1]), 38)).toBe(-1);
    expect(stripMetadata(original).orientation).toBe(6);
  });

  it('makes a JPEG thumbnail of a PNG, transparency laid on white, text and EXIF chunks gone', async () => {
    const source = gradientPng(900, 600);
    const up = await upload(source, 'image/png');
    expect(up.statusCode).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'image/png', hasThumbnail: true });
    const original = await fetchPhoto(up.json().id);
    expect(original.headers['content-type']).toBe('image/png');
    expect(original.rawPayload.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(original.rawPayload.includes(Buffer.from('eXIf'))).toBe(false);
    const thumb = await fetchPhoto(up.json().id, true);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expectNoMetadata(thumb.rawPayload);
    const small = jpeg.decode(thumb.rawPayload, { useTArray: true });
    expect([small.width, small.height]).toEqual([320, 213]);
    const want = meanRgb(PNG.sync.read(original.rawPayload).data, 4);
    const got = meanRgb(small.data, 4);
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - want[c]!)).toBeLessThan(3);
  });

  it('keeps a photo whose pixels cannot be read, without a thumbnail, and refuses a damaged header', async () => {
    // scan data cut short, or scrambled: stored as sent (the headers are whole), but no thumbnail
    const cut = gradientJpeg(640, 480);
    const truncated = await upload(cut.subarray(0, Math.floor(cut.length * 0.6)));
    expect(truncated.statusCode).toBe(201);
    expect(truncated.json().hasThumbnail).toBe(false);
    const scrambled = Buffer.from(cut);
    for (let i = 700; i < scrambled.length - 2; i++) scrambled[i] = (i * 31) & 0xff;
    const garbage = await upload(scrambled);
    expect(garbage.statusCode).toBe(201);
    expect(garbage.json().hasThumbnail).toBe(false);
    expect((await fetchPhoto(garbage.json().id, true)).rawPayload).toEqual(scrambled);
    // a JPEG-shaped file without a frame header: stored, no thumbnail, ?thumb=1 serves the photo
    const frameless = await upload(jpegWithGps());
    expect(frameless.statusCode).toBe(201);
    expect(frameless.json().hasThumbnail).toBe(false);
    const served = await fetchPhoto(frameless.json().id, true);
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload).toEqual((await fetchPhoto(frameless.json().id)).rawPayload);
    // cut inside the segment headers: refused as before
    const files = photoFiles();
    const broken = await upload(cut.subarray(0, 30));
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toBe('照片文件已损坏，无法读取');
    expect(photoFiles()).toEqual(files);
  });

  it('refuses a decompression bomb with a clear message and leaves nothing on disk', async () => {
    const files = photoFiles();
    const jpegBomb = await upload(withSize(gradientJpeg(64, 48), 60000, 60000));
    expect(jpegBomb.statusCode).toBe(400);
    expect(jpegBomb.json().detail).toBe('照片尺寸过大（60000×60000 像素，上限 120 百万像素），请缩小后再上传');
    const pngBomb = await upload(withSize(gradientPng(16, 16), 60000, 60000), 'image/png');
    expect(pngBomb.statusCode).toBe(400);
    expect(pngBomb.json().detail).toContain('照片尺寸过大');
    expect(photoFiles()).toEqual(files);
  });

  it('stores a photo too large to shrink (over 24 MP) without a thumbnail, and says so', async () => {
    const source = withSize(gradientJpeg(64, 48), 8000, 5000);
    const up = await upload(source);
    expect(up.statusCode).toBe(201);
    expect(up.json().hasThumbnail).toBe(false);
    const served = await fetchPhoto(up.json().id, true);
    expect(served.rawPayload).toEqual((await fetchPhoto(up.json().id)).rawPayload);
    expect(photoFiles()).not.toContain(`${up.json().id}.thumb`);
    const listed = (await klmy.get(`/api/v1/visits/${visitId}`)).json().photos;
    expect(listed.find((p: { id: string }) => p.id === up.json().id)).toMatchObject({ hasThumbnail: false });
  });

  it('answers a retried upload of the same file with the photo already kept, storing nothing new', async () => {
    const source = withExif(gradientJpeg(400, 300));
    const first = await upload(source);
    expect(first.statusCode).toBe(201);
    const files = photoFiles();
    const before = (await klmy.get(`/api/v1/visits/${visitId}`)).json().photos.length;
    const again = await upload(source);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(photoFiles()).toEqual(files);
    expect((await klmy.get(`/api/v1/visits/${visitId}`)).json().photos).toHaveLength(before);
    // another photo is still a new one
    const other = await upload(gradientJpeg(300, 400));
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
  });

  it('stores one photo when the same file arrives twice at once', async () => {
    // a visit of its own: the one above holds many photos already
    const visit = await klmy.post('/api/v1/visits', visitBody(targetIds[1]!));
    expect(visit.statusCode).toBe(201);
    const id = visit.json().id;
    // a file without a frame header skips the thumbnail worker, so both reach the database together
    const source = jpegWithGps();
    const files = photoFiles().length;
    const send = () => klmy.request('POST', `/api/v1/visits/${id}/photos`, source, { 'content-type': 'image/jpeg' });
    // the first upload to reach the audit log waits there, inside its transaction, while the second runs
    const audit = env.p.audit;
    const append = audit.append.bind(audit);
    let held = false;
    audit.append = async (...args: Parameters<typeof append>) => {
      if (!held) {
        held = true;
        await new Promise((r) => setTimeout(r, 300));
      }
      return append(...args);
    };
    const [a, b] = await Promise.all([send(), send()]).finally(() => {
      audit.append = append;
    });
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect((await klmy.get(`/api/v1/visits/${id}`)).json().photos).toHaveLength(1);
    expect(photoFiles()).toHaveLength(files + 1);
  });
});
