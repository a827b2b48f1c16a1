import { readdirSync, readFileSync } from 'node:fs';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { hasMessage, t } from '@shuangyong/shared';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { filesMessages } from '../../shared/src/i18n/files.zh-CN.js';
import {
  decodeText,
  decodeTextAsync,
  detectDelimiter,
  detectHeader,
  escapeCell,
  FileError,
  locateHeader,
  locateHeaderInBatches,
  normaliseHeader,
  numberToText,
  openTable,
  openTableBatches,
  parseCsv,
  parseCsvBatches,
  readTable,
  readTableAll,
  readZipDirectory,
  skipRow,
  sniff,
  unquotedLines,
  writeErrorReport,
  writeTemplate,
  writeXlsxStream,
} from '../src/platform/files/index.js';
import { acceptUpload, type UploadRules } from '../src/platform/files/upload.js';
import { seededRandom } from '../src/platform/random.js';
import {
  BufferSink,
  bigXlsx,
  buildZip,
  damagedXlsx,
  encodeText,
  foreignFile,
  handmadeXlsx,
  headerlessXlsx,
  legacyXls,
  type MessySheet,
  messyCsv,
  messyLayout,
  messyXlsx,
  plainZip,
  syntheticRow,
  truncatedXlsx,
  unknownEncodingCsv,
  zipBombXlsx,
} from './fixtures/messy-sheets.js';
import { gradientJpeg, withExif } from './photo-fixtures.js';

/** The FileError a call throws (or rejects with), so its code, key and params can be checked. */
async function fileError(fn: () => unknown): Promise<FileError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof FileError) return err;
    throw err;
  }
  throw new Error('expected a FileError');
}

const HEADER = ['序号', '姓名', '身份证号（必填）', '出生日期', '联系电话', '优抚类别'];
const SHEET: MessySheet = {
  header: HEADER,
  rows: [
    [1, '张三', '650203199001011234', new Date(Date.UTC(1990, 0, 1)), '13800000000', '伤残军人'],
    [2, '李四', 6.50203198506151e17, new Date(Date.UTC(1985, 5, 15)), 13912345678, '烈士遗属'],
    [3, '王五', '65020319700101123X', null, '', '复员军人'],
  ],
  blankAfter: [0, 1],
};

const SYNONYMS = {
  seq: ['序号'],
  name: ['姓名', '名字'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码'],
  birthDate: ['出生日期', '出生年月'],
  phone: ['联系电话', '手机号码', '电话'],
  category: ['优抚类别', '类别'],
} as const;

describe('sniff: type by content signature', () => {
  it('recognises xlsx by its zip parts, whatever the name', async () => {
    const r = sniff(await messyXlsx(SHEET));
    expect(r.kind).toBe('xlsx');
    if (r.kind === 'xlsx') expect(r.zip.entries.map((e) => e.name)).toContain('xl/workbook.xml');
  });

  it('takes text without NUL bytes as CSV, in any encoding', () => {
    expect(sniff(messyCsv(SHEET, 'gbk')).kind).toBe('csv');
    expect(sniff(messyCsv(SHEET, 'utf8-bom')).kind).toBe('csv');
    expect(sniff(messyCsv(SHEET, 'utf16le')).kind).toBe('csv'); // NULs, but a UTF-16 BOM
  });

  it('refuses legacy .xls with a "save as xlsx" message', async () => {
    const e = await fileError(() => sniff(legacyXls()));
    expect(e.fileCode).toBe('file_legacy_xls');
    expect(e.key).toBe('files.legacyXls');
    expect(e.status).toBe(415);
    expect(filesMessages['files.legacyXls']).toContain('.xlsx');
  });

  it.each([
    ['png', 'PNG'],
    ['jpeg', 'JPEG'],
    ['gif', 'GIF'],
    ['pdf', 'PDF'],
  ] as const)('refuses a %s renamed to .xlsx, naming what it is', async (format, name) => {
    const e = await fileError(() => sniff(foreignFile(format)));
    expect(e.fileCode).toBe('file_not_spreadsheet');
    expect(e.key).toBe('files.notSpreadsheet');
    expect(e.params).toEqual({ format: name });
  });

  it('refuses a zip that is not a workbook, binary junk, HTML "xls" and empty files', async () => {
    expect((await fileError(() => sniff(plainZip()))).fileCode).toBe('file_not_xlsx');
    const junk = Buffer.from([0x01, 0x02, 0x00, 0x03, 0x04]);
    expect((await fileError(() => sniff(junk))).fileCode).toBe('file_type_unsupported');
    const html = Buffer.from('\ufeff <html><body><table><tr><td>姓名</td></tr></table></body></html>');
    expect((await fileError(() => sniff(html))).fileCode).toBe('file_markup_sheet');
    const xml = Buffer.from('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>');
    expect((await fileError(() => sniff(xml))).fileCode).toBe('file_markup_sheet');
    expect((await fileError(() => sniff(Buffer.alloc(0)))).fileCode).toBe('file_empty');
  });

  it('enforces the size limit (default 20 MB) and names the limit in MB', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x61);
    const e = await fileError(() => sniff(big));
    expect(e.fileCode).toBe('file_too_large');
    expect(e.status).toBe(413);
    expect(e.params).toEqual({ limitMb: 20 });
    const small = await fileError(() => sniff(Buffer.alloc(2 * 1024 * 1024, 0x61), { maxBytes: 1024 * 1024 }));
    expect(small.params).toEqual({ limitMb: 1 });
    expect(sniff(Buffer.alloc(1024, 0x61), { maxBytes: 1024 }).kind).toBe('csv');
  });

  it('refuses a truncated xlsx and one with damaged sheet data as corrupt', async () => {
    const xlsx = await messyXlsx(SHEET);
    expect((await fileError(() => readTableAll(truncatedXlsx(xlsx)))).fileCode).toBe('file_corrupt');
    expect((await fileError(() => readTableAll(damagedXlsx(xlsx)))).fileCode).toBe('file_corrupt');
  });
});

describe('zip-bomb guard (central directory, before exceljs)', () => {
  it('refuses 300 MB of zeros packed into ~300 KB, from the directory alone', async () => {
    const bomb = await zipBombXlsx(300);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const e = await fileError(() => readTableAll(bomb));
    expect(e.fileCode).toBe('file_zip_bomb');
    expect(e.status).toBe(413);
    expect(e.params).toEqual({ limitMb: 200 });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);

  it('refuses a large entry compressed more than 100:1 even under the total limit', async () => {
    const e = await fileError(async () => sniff(await zipBombXlsx(50)));
    expect(e.fileCode).toBe('file_zip_bomb');
  });

  it('catches a bomb whose directory lies about its size while inflating, before parsing', async () => {
    const lying = await zipBombXlsx(60, true);
    expect(sniff(lying).kind).toBe('xlsx'); // the directory looks harmless
    expect((await fileError(() => readTableAll(lying))).fileCode).toBe('file_zip_bomb');
  });

  it('refuses archives with absurdly many entries', async () => {
    const many = buildZip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') })));
    expect((await fileError(() => readZipDirectory(many, { maxEntries: 10 }))).fileCode).toBe('file_zip_bomb');
    expect(readZipDirectory(many).entries).toHaveLength(20);
  });
});

describe('text decoding (detected, not asked)', () => {
  const text = '克拉玛依区 张三';

  it('reads valid UTF-8 without a BOM', () => {
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
  });

  it('strips a UTF-8 BOM', () => {
    expect(decodeText(encodeText(text, 'utf8-bom'))).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('round-trips GBK text through the GB18030 fallback', () => {
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    expect(decodeText(gbk)).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads UTF-16 LE and BE with their BOMs', () => {
    expect(decodeText(encodeText(text, 'utf16le'))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(encodeText(text, 'utf16be'))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('decodes large files in steps without breaking characters at step boundaries', async () => {
    const big = '克拉玛依区独山子区白碱滩区乌尔禾区，张三 650203199001011234\r\n'.repeat(60_000); // > 1 MB steps
    for (const enc of ['gbk', 'utf8', 'utf8-bom', 'utf16le'] as const) {
      const decoded = await decodeTextAsync(encodeText(big, enc));
      expect(decoded.text === big, enc).toBe(true);
    }
    expect((await decodeTextAsync(iconv.encode(big, 'gbk'))).encoding).toBe('gb18030');
  });

  it('gives up on bytes that are no text encoding', async () => {
    const e = await fileError(() => decodeText(unknownEncodingCsv()));
    expect(e.fileCode).toBe('file_unknown_encoding');
    expect(e.key).toBe('files.unknownEncoding');
    // decodes as GB18030 without replacement characters, but is mostly control characters
    const controls = Buffer.concat([Buffer.from([0xc4, 0xe3]), Buffer.alloc(200, 0x01), Buffer.from([0xff, 0x41])]);
    expect(decodeText(Buffer.from([0xc4, 0xe3, 0xba, 0xc3])).text).toBe('你好');
    expect((await fileError(() => decodeText(controls))).fileCode).toBe('file_unknown_encoding');
  });
});

describe('the upload pipeline', () => {
  const err = (code: string) => () => Object.assign(new Error(code), { code });
  const rules: UploadRules = {
    maxBytes: 1000,
    accept: ['pdf', 'jpeg'],
    empty: err('empty'),
    tooLarge: err('large'),
    type: err('type'),
    corrupt: err('corrupt'),
  };
  it("answers each refusal with the route's own error, in one order", () => {
    expect(() => acceptUpload(Buffer.alloc(0), rules)).toThrow('empty');
    expect(() => acceptUpload(Buffer.alloc(1001, 0x25), rules)).toThrow('large');
    expect(() => acceptUpload(Buffer.from('GIF89a'), rules)).toThrow('type');
    expect(() => acceptUpload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), rules)).toThrow(
      'type',
    );
    expect(() => acceptUpload(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 9]), rules)).toThrow('corrupt');
  });

  it('passes documents as they are and strips images, keeping only their orientation', () => {
    const pdf = Buffer.from('%PDF-1.7\n');
    expect(acceptUpload(pdf, rules)).toEqual({ mime: 'application/pdf', data: pdf, image: null });
    const photo = withExif(gradientJpeg(16, 12), 6);
    const out = acceptUpload(photo, { ...rules, maxBytes: 1e6 });
    expect(out.mime).toBe('image/jpeg');
    expect(out.image).toMatchObject({ orientation: 6, size: { width: 16, height: 12 } });
    expect(out.data.includes(Buffer.from('GPS'))).toBe(false);
    expect(out.data.length).toBeLessThan(photo.length);
  });
});

describe('CSV parser', () => {
  const records = async (s: string, d?: string) => {
    const out = [];
    for await (const r of parseCsv(s, d)) out.push(r);
    return out;
  };

  it('handles quotes, doubled quotes, embedded line breaks and reports the starting line', async () => {
    const csv = 'a,"b ""x"", c",d\r\n"多\r\n行",2,3\n\n"末",,\n';
    expect(await records(csv)).toEqual([
      { lineNumber: 1, fields: ['a', 'b "x", c', 'd'] },
      { lineNumber: 2, fields: ['多\r\n行', '2', '3'] },
      { lineNumber: 4, fields: [''] },
      { lineNumber: 5, fields: ['末', '', ''] },
    ]);
  });

  it('accepts LF, CRLF, lone CR and a missing final newline', async () => {
    expect((await records('a,b\nc,d\r\ne,f\rg,h')).map((r) => [r.lineNumber, ...r.fields])).toEqual([
      [1, 'a', 'b'],
      [2, 'c', 'd'],
      [3, 'e', 'f'],
      [4, 'g', 'h'],
    ]);
  });

  it('is lenient: stray quotes inside fields and text after a closing quote are kept as they stand', async () => {
    expect((await records('ab"c,"x"y,z'))[0]!.fields).toEqual(['ab"c', '"x"y', 'z']);
  });

  it('reads a CRLF and a quoted field cut across two of the pieces it parses at a time', async () => {
    const long = 'a'.repeat(256 * 1024 - 1);
    expect((await records(`${long}\r\nb\r\n"多\n${'c'.repeat(256 * 1024)}",d\r\ne`)).map((r) => r.lineNumber)).toEqual([
      1, 2, 3, 5,
    ]);
    expect((await records(`${long}\r\nb`)).map((r) => r.fields[0]!.length)).toEqual([long.length, 1]);
  });

  it('refuses an unclosed quote, naming the line where it opened', async () => {
    const e = await fileError(() => records('a,b\nc,"never closed\nmore\n'));
    expect(e.fileCode).toBe('file_csv_unclosed_quote');
    expect(e.params).toEqual({ line: 2 });
  });

  it('detects the delimiter among comma, tab and semicolon', async () => {
    expect(detectDelimiter('姓名\t身份证号\t电话\n张三\t650203\t138\n')).toBe('\t');
    expect(detectDelimiter('姓名;身份证号;电话\n张三;"6502,03";138\n')).toBe(';');
    expect(detectDelimiter('"姓名;别名",身份证号\n"张;三",650203\n')).toBe(',');
    expect(detectDelimiter('only one column\nno delimiters\n')).toBe(',');
    expect((await records('x\ty\n1\t2\n')).map((r) => r.fields)).toEqual([
      ['x', 'y'],
      ['1', '2'],
    ]);
  });
});

describe('CSV in batches', () => {
  const flat = async (s: string, d = ',') => {
    const out = [];
    for await (const b of parseCsvBatches(s, d)) out.push(...b);
    return out;
  };
  const viaParser = async (s: string, d = ',') => {
    const out = [];
    for await (const r of parseCsv(s, d)) out.push(r);
    return out;
  };

  it('splits a text without quotes into the records csv-parse makes of it (random texts)', async () => {
    const random = seededRandom(21);
    const alphabet = ['a', 'b', ',', ';', '\t', '\n', '\r', '\r\n', ' ', '多', '6502'];
    for (let k = 0; k < 2000; k++) {
      let s = '';
      for (let i = Math.floor(random() * 14); i > 0; i--) s += alphabet[Math.floor(random() * alphabet.length)];
      const d = [',', ';', '\t'][k % 3]!;
      expect([...unquotedLines(s, d)].flat(), JSON.stringify(s)).toEqual(await viaParser(s, d));
    }
  });

  it('hands over up to 250 records a batch, line numbers running on', async () => {
    const text = Array.from({ length: 4600 }, (_, i) => `${i + 1},x`).join('\r\n');
    const sizes = [];
    for await (const b of parseCsvBatches(text)) sizes.push(b.length);
    expect(sizes).toEqual([...Array.from({ length: 18 }, () => 250), 100]);
    expect((await flat(text)).map((r) => r.lineNumber)).toEqual(Array.from({ length: 4600 }, (_, i) => i + 1));
  });

  it('leaves a text with quotes to csv-parse (a quoted field may span lines)', async () => {
    const csv = 'a,"b ""x"", c",d\r\n"多\r\n行",2,3\n\n"末",,\n';
    expect(await flat(csv)).toEqual(await viaParser(csv));
    expect((await flat(csv)).map((r) => r.lineNumber)).toEqual([1, 2, 4, 5]);
  });

  it.each(['gbk', 'utf8-bom', 'utf8', 'utf16le'] as const)(
    'openTableBatches gives the rows of openTable (%s CSV)',
    async (enc) => {
      const buf = messyCsv(SHEET, enc);
      const { info, batches } = await openTableBatches(buf);
      expect(info.kind).toBe('csv');
      const all = [];
      for await (const b of batches) all.push(...b);
      expect(all).toEqual(await readTableAll(buf));
    },
  );

  it('openTableBatches reads the same rows again (CSV from its decoded text, xlsx opened again), with the options of the second reading', async () => {
    for (const buf of [messyCsv(SHEET, 'gbk'), await messyXlsx(SHEET)]) {
      const first = await openTableBatches(buf, { maxRows: 1000 });
      const all = [];
      for await (const b of first.batches) all.push(...b);
      const seen: number[] = [];
      const again = await first.again({ progressEvery: 1, onProgress: (p) => seen.push(p.rows) });
      expect(again.info).toEqual(first.info);
      const all2 = [];
      for await (const b of again.batches) all2.push(...b);
      expect(all2).toEqual(all);
      expect(seen.at(-1)).toBe(all.length);
      await expect(
        (async () => {
          for await (const _ of (await first.again({ maxRows: 1 })).batches);
        })(),
      ).rejects.toMatchObject({ code: 'file_too_many_rows' });
    }
  });

  it('openTableBatches gives the rows of openTable (xlsx), and the header is found across batches', async () => {
    const xlsx = await messyXlsx(SHEET);
    const all = [];
    for await (const b of (await openTableBatches(xlsx)).batches) all.push(...b);
    expect(all).toEqual(await readTableAll(xlsx));
    const fields = { name: ['姓名'], idNumber: ['身份证号'] };
    const { header, dataBatches } = await locateHeaderInBatches((await openTableBatches(xlsx)).batches, fields);
    const { header: h2, dataRows } = await locateHeader(readTable(xlsx), fields);
    expect(header).toEqual(h2);
    const rest = [];
    for await (const b of dataBatches) rest.push(...b);
    const rest2 = [];
    for await (const r of dataRows) rest2.push(r);
    expect(rest).toEqual(rest2);
    expect(rest.length).toBeGreaterThan(0);
  });

  it('openTableBatches refuses more rows than maxRows', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `${i},x`).join('\n');
    const e = await fileError(async () => {
      for await (const _ of (await openTableBatches(Buffer.from(text), { maxRows: 20 })).batches);
    });
    expect(e.fileCode).toBe('file_too_many_rows');
  });
});

describe('readTable', () => {
  it('reads the messy xlsx with user-visible row numbers, dates, plain numbers, merged title once', async () => {
    const layout = messyLayout(SHEET);
    const rows = await readTableAll(await messyXlsx(SHEET));
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, ...layout.dataRowNumbers, layout.totalsRowNumber]);
    expect(rows[0]!.cells).toEqual(['克拉玛依区优抚对象花名册']); // merged across, value only in A1
    expect(rows[2]!.cells).toEqual(HEADER);
    expect(rows[3]).toEqual({
      rowNumber: 4,
      cells: ['1', '张三', '650203199001011234', '1990-01-01', '13800000000', '伤残军人'],
    });
    // an ID number typed as a number has lost its last digits: flagged
    expect(rows[4]!.cells.slice(2, 5)).toEqual(['650203198506151000', '1985-06-15', '13912345678']);
    expect(rows[4]!.bigNumbers).toEqual([2]);
    expect(rows[5]!.cells).toEqual(['3', '王五', '65020319700101123X', '', '', '复员军人']);
    expect(rows[5]!.bigNumbers).toBeUndefined();
  });

  it.each(['gbk', 'utf8-bom', 'utf8', 'utf16le'] as const)('reads the same sheet as %s CSV', async (enc) => {
    const { info, rows } = await openTable(messyCsv(SHEET, enc));
    expect(info.kind).toBe('csv');
    const all = [];
    for await (const r of rows) all.push(r);
    const fromXlsx = await readTableAll(await messyXlsx(SHEET));
    expect(all.map((r) => r.rowNumber)).toEqual(fromXlsx.map((r) => r.rowNumber));
    expect(all.map((r) => r.cells)).toEqual(fromXlsx.map((r) => r.cells));
  });

  it('flags ID numbers Excel wrote to CSV in scientific notation', async () => {
    const rows = await readTableAll(Buffer.from('姓名,身份证号\n张三,6.50203E+17\n李四,12345\n'));
    expect(rows[1]!.bigNumbers).toEqual([1]);
    expect(rows[2]!.bigNumbers).toBeUndefined();
  });

  it('converts formulas to cached results, flattens rich text, keeps booleans, errors and tiny numbers', async () => {
    const sst = Buffer.from(
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">' +
        '<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r></si></sst>',
    );
    const xml =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"克"&amp;"拉"</f><v>克拉</v></c>' +
      '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2"><v>6.50203199001012E+17</v></c>' +
      '<c r="F2"><v>1E-7</v></c><c r="G2" t="inlineStr"><is><t>内联</t></is></c><c r="H2" t="s"><v>0</v></c>' +
      '<c r="I2"><v>0.30000000000000004</v></c></row>' +
      '<row r="5"><c r="C5"><v>12.5</v></c></row></sheetData></worksheet>';
    const rows = await readTableAll(
      handmadeXlsx(xml, [
        {
          name: 'xl/sharedStrings.xml',
          data: deflateRawSync(sst),
          method: 8,
          uncompressedSize: sst.length,
          crc: crc32(sst),
        },
      ]),
    );
    expect(rows).toEqual([
      {
        rowNumber: 2,
        cells: ['2', '克拉', 'TRUE', '#N/A', '650203199001012000', '0.0000001', '内联', '富文本', '0.3'],
        bigNumbers: [4],
      },
      { rowNumber: 5, cells: ['', '', '12.5'] },
    ]);
  });

  it('ignores cells right of maxColumns and refuses malformed or entity-laden sheet XML as corrupt', async () => {
    const w = (body: string) =>
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      `<sheetData>${body}</sheetData></worksheet>`;
    const far = handmadeXlsx(w('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1"><v>2</v></c></row>'));
    expect((await readTableAll(far))[0]!.cells).toEqual(['1']);
    expect((await readTableAll(far, { maxColumns: 20_000 }))[0]!.cells).toHaveLength(16_384);
    const malformed = handmadeXlsx(w('<row r="1"><c r="A1"><v>1</c></row>'));
    expect((await fileError(() => readTableAll(malformed))).fileCode).toBe('file_corrupt');
    const laughs = handmadeXlsx(
      `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${w(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>',
      )}`,
    );
    expect((await fileError(() => readTableAll(laughs))).fileCode).toBe('file_corrupt');
  });

  it('writes numbers without exponents', () => {
    expect(numberToText(6.50203199001012e17)).toBe('650203199001012000');
    expect(numberToText(1e21)).toBe('1000000000000000000000');
    expect(numberToText(1.5e-7)).toBe('0.00000015');
    expect(numberToText(-2.5e-8)).toBe('-0.000000025');
    expect(numberToText(0.1 + 0.2)).toBe('0.3');
  });

  it('reads the first visible worksheet (tab order), skipping hidden ones', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明', { state: 'hidden' }).addRow(['隐藏的说明']);
    wb.addWorksheet('花名册').addRow(['姓名', '身份证号']);
    wb.addWorksheet('第三页').addRow(['其他']);
    const { info, rows } = await openTable(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(info).toEqual({ kind: 'xlsx', sheetName: '花名册' });
    const all = [];
    for await (const r of rows) all.push(r.cells);
    expect(all).toEqual([['姓名', '身份证号']]);
  });

  it('keeps Chinese text intact across stream chunk boundaries (exceljs splits characters)', async () => {
    const n = 20_000;
    const rows = await readTableAll(await bigXlsx(n, 15));
    expect(rows).toHaveLength(n + 1);
    for (let i = 0; i < n; i++) {
      const cells = rows[i + 1]!.cells;
      if (cells.join('') !== syntheticRow(i, 15).join('')) expect(cells).toEqual(syntheticRow(i, 15));
    }
  }, 60_000);

  it('enforces maxRows and reports progress', async () => {
    const xlsx = await bigXlsx(2500, 5);
    expect((await fileError(() => readTableAll(xlsx, { maxRows: 1000 }))).fileCode).toBe('file_too_many_rows');
    const seen: { rows: number; fraction: number }[] = [];
    const rows = await readTableAll(xlsx, { onProgress: (p) => seen.push(p), progressEvery: 500 });
    expect(rows).toHaveLength(2501);
    expect(seen.map((p) => p.rows)).toEqual([500, 1000, 1500, 2000, 2500, 2501]);
    expect(seen.at(-1)!.fraction).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
  });
});

describe('header detection', () => {
  it('normalises header cells', () => {
    expect(normaliseHeader('身份证号（必填）')).toBe('身份证号');
    expect(normaliseHeader(' 姓　名\n')).toBe('姓名');
    expect(normaliseHeader('*联系电话')).toBe('联系电话');
    expect(normaliseHeader('＊出生日期(YYYY-MM-DD)')).toBe('出生日期');
    expect(normaliseHeader('【必填】证件号码：')).toBe('证件号码');
    expect(normaliseHeader('ＩＤ')).toBe('id');
  });

  it.each(['身份证号', '身份证号码', '公民身份号码', '证件号码', '身份证号（必填）', '*身份证号码\n(18位)'])(
    'finds the header under merged title rows with %j',
    async (idHeader) => {
      const header = ['序号', '姓名', idHeader, '出生日期', '联系电话', '优抚类别', '备注'];
      const sheet: MessySheet = { ...SHEET, header, rows: SHEET.rows.map((r) => [...r, '']) };
      const rows = await readTableAll(await messyXlsx(sheet));
      const h = detectHeader(rows, SYNONYMS);
      expect(h.headerRowNumber).toBe(3);
      expect(h.columns).toEqual({ seq: 0, name: 1, idNumber: 2, birthDate: 3, phone: 4, category: 5 });
      expect(h.missing).toEqual([]);
      expect(h.unknownColumns).toEqual(['备注']);
    },
  );

  it('reports missing fields and duplicate columns', () => {
    const rows = [
      { rowNumber: 1, cells: ['花名册'] },
      { rowNumber: 2, cells: ['姓名', '证件号码', '身份证号', '性别'] },
    ];
    const h = detectHeader(rows, SYNONYMS);
    expect(h.columns).toEqual({ name: 0, idNumber: 1 });
    expect(h.duplicateColumns).toEqual(['身份证号']);
    expect(h.unknownColumns).toEqual(['性别']);
    expect(h.missing).toEqual(['seq', 'birthDate', 'phone', 'category']);
  });

  it('refuses a sheet without a recognisable header', async () => {
    const rows = await readTableAll(await headerlessXlsx());
    const e = await fileError(() => detectHeader(rows, SYNONYMS));
    expect(e.fileCode).toBe('file_no_header');
    expect(e.params).toMatchObject({ scanRows: 15 });
    // the header must be within scanRows
    const late = [...Array.from({ length: 3 }, (_, i) => ({ rowNumber: i + 1, cells: ['标题'] }))];
    late.push({ rowNumber: 4, cells: ['姓名', '身份证号'] });
    expect((await fileError(() => detectHeader(late, SYNONYMS, { scanRows: 3 }))).fileCode).toBe('file_no_header');
    expect(detectHeader(late, SYNONYMS).headerRowNumber).toBe(4);
  });

  it('skips blank and totals rows', () => {
    expect(skipRow([])).toBe(true);
    expect(skipRow(['', '  ', '\t'])).toBe(true);
    for (const s of ['合计', '合 计', '总计', '小计', '合计：3人', '合计(人)']) expect(skipRow([s, '3'])).toBe(true);
    expect(skipRow(['', '合计', '3'])).toBe(true);
    expect(skipRow(['1', '张三', '合计'])).toBe(false);
    expect(skipRow(['合作社'])).toBe(false);
  });

  it('yields data rows with the row numbers the user sees, blank and totals rows skipped', async () => {
    const layout = messyLayout(SHEET);
    for (const buf of [await messyXlsx(SHEET), messyCsv(SHEET, 'gbk')]) {
      const { header, dataRows } = await locateHeader(readTable(buf), SYNONYMS);
      expect(header.headerRowNumber).toBe(layout.headerRowNumber);
      const kept = [];
      for await (const r of dataRows) if (!skipRow(r.cells)) kept.push(r);
      expect(kept.map((r) => r.rowNumber)).toEqual(layout.dataRowNumbers);
      expect(kept.map((r) => r.cells[header.columns.name!])).toEqual(['张三', '李四', '王五']);
    }
  });
});

describe('export', () => {
  it('escapes formula-looking text (OWASP CSV injection)', () => {
    expect(escapeCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(escapeCell('+1+cmd|x')).toBe("'+1+cmd|x");
    expect(escapeCell('-2+3+cmd|x')).toBe("'-2+3+cmd|x");
    expect(escapeCell('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(escapeCell('\t=1')).toBe("'\t=1");
    expect(escapeCell('\r=1')).toBe("'\r=1");
    expect(escapeCell('+86 138')).toBe("'+86 138");
    // plain numbers written as text run nothing and stay as they are
    expect(escapeCell('-12.5')).toBe('-12.5');
    expect(escapeCell('+86')).toBe('+86');
    expect(escapeCell('张三=李四')).toBe('张三=李四');
    expect(escapeCell(-5)).toBe(-5);
    expect(escapeCell(null)).toBe(null);
  });

  it('round-trips Chinese text through writeXlsxStream and readTable; no formula survives', async () => {
    const sink = new BufferSink();
    const progress: number[] = [];
    async function* rows() {
      yield { name: '张三', id: '650203199001011234', n: 42, note: '=HYPERLINK("http://x","点我")', ok: true };
      yield {
        name: '克拉玛依区\u0007 独山子',
        id: '65020319900101123X',
        n: 1.5,
        note: '@cmd',
        at: new Date('2025-03-01T16:30:00Z'),
      };
      yield { name: '乌尔禾区', id: null, n: 12345678901234567890n, note: undefined };
    }
    const columns = [
      { header: '姓名', key: 'name' },
      { header: '身份证号', key: 'id', width: 22 },
      { header: '数量', key: 'n' },
      { header: '备注', key: 'note' },
      { header: '是否', key: 'ok' },
      { header: '时间', key: 'at' },
    ];
    const res = await writeXlsxStream(sink, {
      sheetName: '导出/花名册',
      columns,
      rows: rows(),
      onProgress: (n) => progress.push(n),
    });
    expect(res.rows).toBe(3);
    expect(progress.at(-1)).toBe(3);
    const back = await readTableAll(sink.buffer);
    expect(back.map((r) => r.cells)).toEqual([
      ['姓名', '身份证号', '数量', '备注', '是否', '时间'],
      ['张三', '650203199001011234', '42', '\'=HYPERLINK("http://x","点我")', 'TRUE'],
      ['克拉玛依区 独山子', '65020319900101123X', '1.5', "'@cmd", '', '2025-03-02 00:30:00'],
      ['乌尔禾区', '', '12345678901234567890'],
    ]);
    const sheetXml = unzipEntry(sink.buffer, 'xl/worksheets/sheet1.xml');
    expect(sheetXml).not.toContain('<f>');
    expect(sheetXml).toContain('state="frozen"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sink.buffer as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('导出_花名册');
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(1).font?.bold).toBeFalsy();
  });

  it('writes an error report: original cells, then 错误原因 and the source row number', async () => {
    const sink = new BufferSink();
    await writeErrorReport(sink, {
      header: ['姓名', '身份证号'],
      rows: [
        { rowNumber: 5, cells: ['张三', '123'], reasons: ['身份证号位数不对', '出生日期无效'] },
        { rowNumber: 9, cells: ['=cmd|x', '650203199001011234', '多出的列'], reasons: ['姓名含非法字符'] },
      ],
    });
    const back = await readTableAll(sink.buffer);
    const sep = t('files.report.reasonSeparator');
    expect(back.map((r) => r.cells)).toEqual([
      ['姓名', '身份证号', t('files.report.reason'), t('files.report.rowNumber')],
      ['张三', '123', `身份证号位数不对${sep}出生日期无效`, '5'],
      ["'=cmd|x", '650203199001011234', '姓名含非法字符', '9'], // cells beyond the header are not kept
    ]);
    expect(filesMessages['files.report.reason']).toBe('错误原因');
    if (hasMessage('files.report.reason')) expect(back[0]!.cells[2]).toBe('错误原因');
  });

  it('writes a template with drop-down lists (inline, or on a hidden sheet when long) and text columns', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `带病回乡退役军人类别${i + 1}`);
    const buf = await writeTemplate({
      columns: [
        { header: '姓名', key: 'name' },
        { header: '身份证号', key: 'idNumber', width: 22 },
        { header: '性别', key: 'gender', text: false },
        { header: '优抚类别', key: 'category' },
      ],
      validations: { gender: ['男', '女'], category: long },
    });
    const xml = unzipEntry(buf, 'xl/worksheets/sheet1.xml');
    expect(xml).toMatch(/<dataValidation type="list" allowBlank="1"[^>]*sqref="C2:C1001"><formula1>&quot;男,女&quot;</);
    const optionsSheet = t('files.template.optionsSheet');
    expect(xml).toContain(`sqref="D2:D1001"><formula1>&apos;${optionsSheet}&apos;!$A$1:$A$40</formula1>`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const [main, options] = wb.worksheets;
    expect(main!.getRow(1).values).toEqual([undefined, '姓名', '身份证号', '性别', '优抚类别']);
    expect(main!.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(main!.getColumn(2).numFmt).toBe('@');
    expect(main!.getColumn(3).numFmt).toBeUndefined();
    expect(options!.state).toBe('veryHidden');
    expect(options!.getColumn(1).values.slice(1)).toEqual(long);
    // exceljs expands the range per cell when loading: rows 2..1001 have it, 1002 does not
    expect(main!.getCell('C2').dataValidation?.formulae).toEqual(['"男,女"']);
    expect(main!.getCell('C1001').dataValidation?.type).toBe('list');
    expect(main!.getCell('C1002').dataValidation).toBeUndefined();
    expect(main!.getCell('A2').dataValidation).toBeUndefined();
  });
});

describe('i18n', () => {
  it('every files.* key the code uses has a Chinese message', () => {
    const dir = new URL('../src/platform/files/', import.meta.url);
    const used = new Set<string>();
    for (const f of readdirSync(dir)) {
      for (const m of readFileSync(new URL(f, dir), 'utf8').matchAll(/'(files\.[\w.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(15);
    const messages: Record<string, string> = filesMessages;
    for (const key of used) expect(messages[key], key).toMatch(/[\u4e00-\u9fff；]/);
  });
});

function unzipEntry(zip: Buffer, name: string): string {
  const dir = readZipDirectory(zip);
  const e = dir.entries.find((x) => x.name === name)!;
  const h = e.localHeaderOffset;
  const start = h + 30 + zip.readUInt16LE(h + 26) + zip.readUInt16LE(h + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  return (e.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}
