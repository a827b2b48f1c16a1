import { randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { ensureCampaign } from '../src/modules/visits/synthetic.js';
import { entryData, readZipDirectory } from '../src/platform/files/zip.js';
import { type Client, orgId, type TestEnv } from './helpers.js';
import { makeId } from './registry-fixtures.js';

export const CAMPAIGN = 'spring-2027';
export const YEAR = new Date().getFullYear();

/** The registry the visits tests count by hand (see visits.test.ts), and the campaign CAMPAIGN. */
export async function visitsRegistry(env: TestEnv, klmy: Client, dsz: Client) {
  await ensureCampaign(env.p.handle.db, CAMPAIGN, `${CAMPAIGN} 春节走访慰问`);
  const youyi = await orgId(env.p, '650200/650203/650203001/650203001001/');
  const youjian = await orgId(env.p, '650200/650203/650203001/650203001002/');
  const shengli = await orgId(env.p, '650200/650203/650203002/650203002001/');
  const dszCommunity = await orgId(env.p, '650200/650202/650202001/650202001001/');
  const person = async (c: Client, body: Record<string, unknown>) => {
    const res = await c.post('/api/v1/beneficiaries', body);
    if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json() as { id: string; household: { id: string } };
  };
  const a = await person(klmy, {
    orgId: youyi,
    name: '王秀英',
    idNumber: makeId('650203', '1940-02-02', 8, 'female'),
    categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
  });
  const b = await person(klmy, {
    orgId: youjian,
    name: '张建国',
    idNumber: makeId('650203', '1938-05-01', 11),
    categories: [{ code: 'demobilized_veteran', startDate: '1960-01-01' }],
  });
  await person(klmy, {
    orgId: youjian,
    name: '刘烈属',
    idNumber: makeId('650203', '1950-03-03', 13, 'female'),
    householdId: b.household.id,
    categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'spouse' }],
  });
  await person(klmy, {
    orgId: shengli,
    name: '李老兵',
    idNumber: makeId('650203', '1960-06-06', 15),
    categories: [{ code: 'demobilized_veteran', startDate: '1980-01-01' }],
  });
  const d = await person(klmy, {
    orgId: shengli,
    name: '赵军属',
    idNumber: makeId('650203', '1985-07-07', 17, 'female'),
    categories: [{ code: 'serving_member_family', startDate: '2010-01-01', relation: 'spouse' }],
  });
  const citation = await klmy.post('/api/v1/citations', {
    householdId: d.household.id,
    memberName: '赵立功',
    awardLevel: 'second_class',
    awardYear: YEAR,
    receivedAt: `${YEAR}-03-02`,
  });
  if (citation.statusCode !== 201) throw new Error(citation.body);
  const f = await person(dsz, {
    orgId: dszCommunity,
    name: '独山子烈属',
    idNumber: makeId('650202', '1945-01-01', 19, 'female'),
    categories: [{ code: 'martyr_survivor', startDate: '2000-01-01', relation: 'mother' }],
  });
  return { ha: a.household.id, hb: b.household.id, hd: d.household.id, hf: f.household.id };
}

export function visitBody(targetId: string, extra: Record<string, unknown> = {}) {
  return {
    clientKey: randomUUID(),
    targetId,
    visitedAt: new Date(Date.now() - 3600_000).toISOString(),
    visitors: { staff: ['张科长'], leaders: ['王局长'] },
    cashFen: 50_000,
    goods: [{ item: '米面油', quantity: 1, valueFen: 20_000 }],
    acknowledged: true,
    acknowledgedBy: '王秀英',
    ...extra,
  };
}

/** Entries of a zip (stored or deflated), by name. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  const dir = readZipDirectory(buf);
  const out = new Map<string, Buffer>();
  for (const e of dir.entries) {
    const raw = entryData(buf, dir, e);
    out.set(e.name, e.method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
  }
  return out;
}

/** A tiny JPEG-shaped file whose APP1 EXIF carries a GPS position (and an XMP-like string). */
export function jpegWithGps(): Buffer {
  const seg = (marker: number, body: Buffer) => {
    const h = Buffer.alloc(4);
    h[0] = 0xff;
    h[1] = marker;
    h.writeUInt16BE(body.length + 2, 2);
    return Buffer.concat([h, body]);
  };
  const tiff = Buffer.alloc(64);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // IFD0: one entry, the GPS IFD pointer
  tiff.writeUInt16LE(0x8825, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0', 'latin1'),
    tiff,
    Buffer.from('GPSLatitude=45.59N;GPSLongitude=84.88E'),
  ]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, exif),
    seg(0xdb, Buffer.alloc(65, 7)),
    seg(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0x00, 0x78]),
    Buffer.from([0xff, 0xd9]),
  ]);
}
