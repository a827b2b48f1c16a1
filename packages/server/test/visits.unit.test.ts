import { inflateRawSync } from 'node:zlib';
import type { CampaignKind } from '@shuangyong/shared';
import { describe, expect, it } from 'vitest';
import { evaluateCaps, needsApproval } from '../src/modules/visits/caps.js';
import { defaultTemplate, letterOccasion, mergeTemplate } from '../src/modules/visits/letters.js';
import { birthCutoff, ruleLabel } from '../src/modules/visits/rules.js';
import { sniffImage as photoType, stripMetadata } from '../src/platform/files/image.js';
import { entryData, readZipDirectory } from '../src/platform/files/zip.js';
import { writeZip } from '../src/platform/files/zip-write.js';
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

  it('names the campaign’s festival and year in each kind’s letter, never the plan’s title', () => {
    const campaign = (kind: CampaignKind, title: string, periodStart: string | null, periodEnd: string | null) => ({
      kind,
      title,
      periodStart,
      periodEnd,
      issueDate: null,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const letter = (c: ReturnType<typeof campaign>, name = '王秀英', kind = 'household') =>
      mergeTemplate(defaultTemplate(c.kind), {
        name,
        kind,
        sender: '克拉玛依区退役军人事务局',
        occasion: letterOccasion(c),
        date: '2027年1月20日',
      });
    const spring = campaign('spring_festival', '关于做好2027年元旦春节期间双拥工作的通知', '2026-12-20', '2027-02-28');
    expect(letter(spring)).toBe(
      '值此2027年元旦、春节来临之际，克拉玛依区退役军人事务局向您和您的家人致以节日的问候和新春的祝福！\n' +
        '长期以来，您和家人关心支持国防和军队建设，为我们这座城市的发展和双拥工作作出了贡献，党和政府不会忘记，人民群众不会忘记。' +
        '新的一年里，我们将认真落实各项优抚政策，用心用情为您和家人做好服务。\n' +
        '恭祝您新春愉快、身体健康、阖家幸福、万事如意！',
    );
    // a spring-festival campaign without an end date, issued in December, is for next year's festival
    expect(letterOccasion(campaign('spring_festival', '春节走访', '2026-12-15', null))).toBe('2027年元旦、春节');
    expect(letter(campaign('army_day', '八一走访慰问', '2027-07-15', '2027-08-10'))).toBe(
      '值此中国人民解放军建军100周年之际，克拉玛依区退役军人事务局向您和您的家人致以节日的问候和崇高的敬意！\n' +
        '您为国防和军队建设付出了青春和汗水，您的家人为支持您的事业默默奉献。' +
        '我们将始终把您和家人的冷暖放在心上，认真落实各项优抚政策，尽心尽力解决实际困难。\n' +
        '祝您节日愉快、身体健康、阖家幸福！',
    );
    expect(letter(campaign('qingming', '清明祭扫', '2027-03-25', '2027-04-10'))).toBe(
      '值此2027年清明节之际，克拉玛依区退役军人事务局向您和您的家人致以诚挚的问候！\n' +
        '英烈的功绩永载史册，英烈的精神永远激励着我们。我们将继续做好烈士纪念和褒扬工作，认真落实各项优抚政策，关心照顾好您和家人的生活。\n' +
        '祝您身体健康、生活安康！',
    );
    expect(letter(campaign('martyrs_day', '烈士纪念日', '2027-09-20', '2027-09-30'))).toBe(
      '值此2027年烈士纪念日之际，克拉玛依区退役军人事务局向您和您的家人致以崇高的敬意和诚挚的问候！\n' +
        '烈士为国家和人民献出了宝贵的生命，他们的英名和事迹将永远铭记在人民心中。我们将认真落实各项褒扬优待政策，用心用情关心照顾好您和家人。\n' +
        '祝您身体健康、生活幸福！',
    );
    expect(letter(campaign('other', '关于开展2027年双拥模范城创建走访活动的通知', '2027-05-01', null))).toBe(
      '在2027年双拥模范城创建走访活动中，克拉玛依区退役军人事务局向您和您的家人致以诚挚的问候和美好的祝福！\n' +
        '感谢您和家人长期以来对国防和军队建设的关心和支持。我们将认真落实各项优抚政策，用心用情为您和家人做好服务。\n' +
        '祝您身体健康、阖家幸福、万事如意！',
    );
    expect(letterOccasion(campaign('other', '关于开展双拥走访活动的通知', '2027-05-01', null))).toBe(
      '2027年双拥走访活动',
    );
  });

  it('writes a store-only zip the platform reader accepts', async () => {
    const parts: Buffer[] = [];
    for await (const chunk of writeZip(
      [
        { name: '慰问信/王秀英.docx', data: Buffer.from('hello') },
        { name: 'b.txt', data: Buffer.alloc(1000, 1) },
      ],
      { store: true },
    ))
      parts.push(chunk as Buffer);
    const buf = Buffer.concat(parts);
    const dir = readZipDirectory(buf);
    expect(dir.entries.map((e) => e.name)).toEqual(['慰问信/王秀英.docx', 'b.txt']);
    expect(entryData(buf, dir, dir.entries[0]!).toString()).toBe('hello');
    expect(() => inflateRawSync(Buffer.alloc(0))).toThrow();
  });
});
