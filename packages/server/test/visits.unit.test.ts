import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { evaluateCaps, needsApproval } from '../src/modules/visits/caps.js';
import { mergeTemplate } from '../src/modules/visits/letters.js';
import { photoType, stripMetadata } from '../src/modules/visits/photos.js';
import { birthCutoff, ruleLabel } from '../src/modules/visits/rules.js';
import { ZipWriter } from '../src/modules/visits/zip-writer.js';
import { entryData, readZipDirectory } from '../src/platform/files/zip.js';
import { jpegWithGps } from './visits-fixtures.js';

const seg = (marker: number, body: Buffer) => {
  const h = Buffer.from([0xff, marker, 0, 0]);
  h.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([h, body]);
};

/** A JPEG whose EXIF has IFD1 with an embedded preview (itself carrying a comment). */
function jpegWithThumbnail(): Buffer {
  const thumb = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xfe, Buffer.from('thumb comment')),
    seg(0xdb, Buffer.alloc(10, 3)),
    seg(0xda, Buffer.from([1, 1, 0, 0])),
    Buffer.from([9, 9, 0xff, 0xd9]),
  ]);
  const tiff = Buffer.alloc(40);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(0, 8); // IFD0: no entries
  tiff.writeUInt32LE(14, 10); // → IFD1
  tiff.writeUInt16LE(2, 14);
  tiff.writeUInt16LE(0x0201, 16);
  tiff.writeUInt16LE(4, 18);
  tiff.writeUInt32LE(1, 20);
  tiff.writeUInt32LE(40, 24);
  tiff.writeUInt16LE(0x0202, 28);
  tiff.writeUInt16LE(4, 30);
  tiff.writeUInt32LE(1, 32);
  tiff.writeUInt32LE(thumb.length, 36);
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, thumb, Buffer.from('GPS 45.6N')]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe1, exif),
    seg(0xdb, Buffer.alloc(10, 5)),
    seg(0xda, Buffer.from([1, 1, 0, 0])),
    Buffer.from([1, 2, 0xff, 0xd9]),
  ]);
}

describe('photo metadata', () => {
  it('drops the EXIF segment (with GPS) of a JPEG and keeps the image data', () => {
    const input = jpegWithGps();
    const out = stripMetadata(input);
    expect(out.type).toBe('image/jpeg');
    expect(out.data.includes(Buffer.from('GPSLatitude'))).toBe(false);
    expect(out.data.includes(Buffer.from('Exif'))).toBe(false);
    expect(out.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(out.data.subarray(-8)).toEqual(input.subarray(-8));
    expect(out.data.length).toBeLessThan(input.length);
  });

  it('keeps the embedded preview as a thumbnail, stripped as well', () => {
    const out = stripMetadata(jpegWithThumbnail());
    expect(out.thumbnail).not.toBeNull();
    expect(photoType(out.thumbnail!)).toBe('image/jpeg');
    expect(out.thumbnail!.includes(Buffer.from('thumb comment'))).toBe(false);
    expect(out.data.includes(Buffer.from('GPS'))).toBe(false);
  });

  it('drops the text and EXIF chunks of a PNG', () => {
    const chunk = (type: string, data: Buffer) => {
      const h = Buffer.alloc(8);
      h.writeUInt32BE(data.length, 0);
      h.write(type, 4, 'latin1');
      return Buffer.concat([h, data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', Buffer.alloc(13, 1)),
      chunk('eXIf', Buffer.from('GPS 45.6N')),
      chunk('tEXt', Buffer.from('Comment\0secret')),
      chunk('IDAT', Buffer.alloc(20, 2)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const out = stripMetadata(png).data;
    expect(out.includes(Buffer.from('GPS'))).toBe(false);
    expect(out.includes(Buffer.from('secret'))).toBe(false);
    expect(out.includes(Buffer.from('IDAT'))).toBe(true);
  });

  it('refuses what is not an image, and a truncated JPEG', () => {
    expect(() => stripMetadata(Buffer.from('%PDF-1.7'))).toThrow('type');
    expect(() => stripMetadata(jpegWithGps().subarray(0, 30))).toThrow('corrupt');
  });
});

describe('caps', () => {
  const caps = {
    campaign_id: 'c',
    cash_per_visit_warn_fen: 50_000,
    cash_per_visit_max_fen: 100_000,
    goods_per_visit_warn_fen: null,
    goods_per_visit_max_fen: 30_000,
    cash_per_target_max_fen: 150_000,
    goods_per_target_max_fen: null,
    version: 1,
    updated_by: 'x',
    updated_at: '',
  };
  const base = { cashFen: 0, goodsFen: 0, priorCashFen: 0, priorGoodsFen: 0, repeat: false };
  it('warns above the warning level and asks approval above a hard cap', () => {
    expect(evaluateCaps(caps, { ...base, cashFen: 50_000 })).toEqual([]);
    const w = evaluateCaps(caps, { ...base, cashFen: 50_001 });
    expect(w.map((x) => x.code)).toEqual(['cashVisitWarn']);
    expect(needsApproval(w)).toBe(false);
    expect(evaluateCaps(caps, { ...base, cashFen: 100_001 }).map((x) => x.code)).toEqual(['cashVisitMax']);
    expect(needsApproval(evaluateCaps(caps, { ...base, goodsFen: 30_001 }))).toBe(true);
    const target = evaluateCaps(caps, { ...base, cashFen: 60_000, priorCashFen: 100_000, repeat: true });
    expect(target.map((x) => x.code)).toEqual(['cashVisitWarn', 'cashTargetMax', 'repeat']);
    expect(target[1]!.message).toBe('该对象本次工作部署累计慰问金 1600 元，超过上限 1500 元，需上级审批');
    expect(evaluateCaps(undefined, { ...base, cashFen: 1e7 })).toEqual([]);
  });
});

describe('rules, letters, zip', () => {
  it('labels rules in Chinese and computes the birth cutoff of an age', () => {
    expect(ruleLabel({ kind: 'registry', categories: ['demobilized_veteran'], minAge: 80 }, '克拉玛依区')).toBe(
      '在乡老复员军人 · 克拉玛依区 · 80 岁以上',
    );
    expect(ruleLabel({ kind: 'merit_citation', meritCitationYear: 2026 })).toBe('2026 年有立功喜报的家庭');
    expect(birthCutoff('2026-11-30', 80)).toBe('1946-11-30');
  });

  it('merges the fields of a letter template', () => {
    const d = {
      name: '王秀英',
      kind: 'household',
      sender: '克拉玛依区退役军人事务局',
      occasion: '春节',
      date: '2027年1月20日',
    };
    expect(mergeTemplate('{姓名}{称谓}：{慰问单位}祝{活动}快乐 {未知}', d)).toBe(
      '王秀英同志及家人：克拉玛依区退役军人事务局祝春节快乐 {未知}',
    );
  });

  it('writes a store-only zip the platform reader accepts', () => {
    const zip = new ZipWriter();
    zip.add('慰问信/王秀英.docx', Buffer.from('hello'));
    zip.add('b.txt', Buffer.alloc(1000, 1));
    const buf = zip.finish();
    const dir = readZipDirectory(buf);
    expect(dir.entries.map((e) => e.name)).toEqual(['慰问信/王秀英.docx', 'b.txt']);
    expect(entryData(buf, dir, dir.entries[0]!).toString()).toBe('hello');
    expect(() => inflateRawSync(Buffer.alloc(0))).toThrow();
  });
});
