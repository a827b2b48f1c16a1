import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { cleanText, dateFormatter, safeSheetName, toCellValue } from './xlsx-values.js';

/**
 * A one-sheet xlsx written straight as XML into a zip of our own (decisions/0074), for the table
 * export (table-export.ts) where exceljs cost more than reading the rows: a row object, a cell
 * model and a style lookup per cell, its XML built node by node, buffers copied per row — about
 * 1.5 s of CPU and as much again in garbage for 100,000 rows. The file says what exceljs' streaming
 * writer said for the same rows (writeXlsxStream without shared strings): text as `t="str"`
 * cells, numbers, booleans, the header bold and frozen, the column widths; values go through the
 * same `toCellValue` (formula escaping, XML cleaning, dates as text). It imports nothing but node:
 * the export worker loads it in milliseconds.
 *
 * The sheet is deflated at level 1 (a quarter of level 6's CPU for a file ~15 % larger) as it is
 * written, in the zlib thread pool, never held whole; the zip's entries carry their sizes in a
 * data descriptor. No zip64: a sheet beyond 4 GiB (≈ 10^7 rows of the registry) is refused.
 */
export interface SheetColumn {
  header: string;
  key: string;
  /** Width in characters (default 16). */
  width?: number;
}

export interface WriteSheetOptions {
  sheetName: string;
  columns: readonly SheetColumn[];
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>;
  /** Zone for Date values (default Asia/Shanghai): written as 'YYYY-MM-DD HH:mm:ss' text. */
  timeZone?: string;
  /** Deflate level of the sheet (default 1). */
  level?: number;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Bytes of sheet XML gathered before they go to the compressor. */
const FLUSH_AT = 64 * 1024;
const MAX_32 = 0xffffffff;

/** Writes the sheet as an xlsx into `output` and ends it; resolves with the rows written once all is flushed. */
export async function writeSheetXlsx(output: Writable, opts: WriteSheetOptions): Promise<{ rows: number }> {
  const zip = new ZipOut(output);
  const name = safeSheetName(opts.sheetName);
  const cols = opts.columns;
  const n = cols.length;
  const letters = cols.map((_, i) => columnLetter(i + 1));
  const keys = cols.map((c) => c.key);
  const formatDate = dateFormatter(opts.timeZone ?? 'Asia/Shanghai');
  const now = new Date();

  await zip.file('[Content_Types].xml', contentTypes(), now);
  await zip.file('_rels/.rels', rootRels(), now);
  await zip.file('docProps/app.xml', appXml(name), now);
  await zip.file('docProps/core.xml', coreXml(now), now);
  await zip.file('xl/workbook.xml', workbookXml(name), now);
  await zip.file('xl/_rels/workbook.xml.rels', workbookRels(), now);
  await zip.file('xl/styles.xml', STYLES, now);

  const sheet = zip.stream('xl/worksheets/sheet1.xml', now, opts.level ?? 1);
  let xml = `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15" outlineLevelRow="0" outlineLevelCol="0"/><cols>${cols
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? 16}" customWidth="1"/>`)
    .join('')}</cols><sheetData><row r="1" spans="1:${n}" s="1" customFormat="1">`;
  for (let i = 0; i < n; i++)
    xml += `<c r="${letters[i]}1" s="1" t="str"><v>${xmlText(cleanText(cols[i]!.header))}</v></c>`;
  xml += '</row>';
  const spans = ` spans="1:${n}">`;
  let r = 1;
  for await (const record of opts.rows) {
    r++;
    xml += `<row r="${r}"${spans}`;
    for (let i = 0; i < n; i++) {
      const v = toCellValue(record[keys[i]!], formatDate);
      if (v === null) continue;
      if (typeof v === 'string') xml += `<c r="${letters[i]}${r}" t="str"><v>${xmlText(v)}</v></c>`;
      else if (typeof v === 'number') xml += `<c r="${letters[i]}${r}"><v>${v}</v></c>`;
      else xml += `<c r="${letters[i]}${r}" t="b"><v>${v ? 1 : 0}</v></c>`;
    }
    xml += '</row>';
    if (xml.length >= FLUSH_AT) {
      await sheet.write(xml);
      xml = '';
    }
  }
  xml +=
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
  await sheet.write(xml);
  await sheet.end();
  await zip.finish();
  return { rows: r - 1 };
}

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

const XML_SPECIAL = /[<>&'"\x7F]/;
const XML_SPECIAL_G = /[<>&'"\x7F]/g;
const XML_ENTITY: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
  '\x7F': '',
};
/** Text as XML character data, escaped as exceljs does (DEL dropped; the rest was cleaned by cleanText). */
function xmlText(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_G, (c) => XML_ENTITY[c]!) : s;
}

const contentTypes = () =>
  `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`;

const rootRels = () =>
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`;

const appXml = (sheet: string) =>
  `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>${xmlText(sheet)}</vt:lpstr></vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`;

const coreXml = (now: Date) => {
  const at = `${now.toISOString().slice(0, 19)}Z`;
  return `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified></cp:coreProperties>`;
};

const workbookXml = (sheet: string) =>
  `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet sheetId="1" name="${xmlText(sheet)}" state="visible" r:id="rId2"/></sheets><calcPr calcId="171027"/></workbook>`;

const workbookRels = () =>
  `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;

/** Style 0: the default; style 1: bold (the header). */
const STYLES = `${XML_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;

interface CentralEntry {
  name: Buffer;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  dosTime: number;
  dosDate: number;
  descriptor: boolean;
}

/**
 * A zip written front to back into a Writable (deflated entries, UTF-8 names, no zip64), waiting
 * for the output to drain. `file` adds a small part whole; `stream` one whose size is not known
 * ahead, deflated as it comes, its CRC and sizes after it in a data descriptor.
 */
class ZipOut {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];
  private failed: Error | null = null;

  constructor(private readonly out: Writable) {
    out.once('error', (err) => {
      this.failed ??= err;
    });
    out.once('close', () => {
      this.failed ??= new Error('the output was closed before the file was complete');
    });
  }

  private async put(b: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    this.offset += b.length;
    if (!this.out.write(b)) await this.drained();
  }

  private async drained(): Promise<void> {
    if (this.failed) throw this.failed;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
    if (this.failed) throw this.failed;
  }

  async file(name: string, text: string, date: Date): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    const deflated = zlib.deflateRawSync(data, { level: 6 });
    const e = this.entry(name, date, false);
    e.crc = zlib.crc32(data);
    e.csize = deflated.length;
    e.usize = data.length;
    await this.put(localHeader(e));
    await this.put(deflated);
  }

  stream(name: string, date: Date, level: number): { write(text: string): Promise<void>; end(): Promise<void> } {
    const e = this.entry(name, date, true);
    const deflate = zlib.createDeflateRaw({ level, memLevel: 9 });
    let crc = 0;
    let started: Promise<void> | null = null;
    let pending: Promise<void> = Promise.resolve();
    const start = () => {
      started ??= this.put(localHeader(e));
      return started;
    };
    // the compressed bytes go out in order, one put after another; the compressor pauses meanwhile
    deflate.on('data', (chunk: Buffer) => {
      e.csize += chunk.length;
      deflate.pause();
      pending = pending
        .then(() => this.put(chunk))
        .then(
          () => {
            deflate.resume();
          },
          (err: Error) => {
            deflate.destroy(err);
          },
        );
    });
    const ended = once(deflate, 'end');
    ended.catch(() => {});
    return {
      write: async (text: string) => {
        await start();
        if (this.failed) throw this.failed;
        const data = Buffer.from(text, 'utf8');
        crc = zlib.crc32(data, crc);
        e.usize += data.length;
        if (e.usize > MAX_32) throw new Error('the sheet is larger than 4 GiB (no zip64)');
        if (!deflate.write(data))
          await new Promise<void>((resolve) => {
            const done = () => {
              deflate.off('drain', done);
              deflate.off('close', done);
              resolve();
            };
            deflate.on('drain', done);
            deflate.on('close', done);
          });
        if (this.failed) throw this.failed;
      },
      end: async () => {
        await start();
        deflate.end();
        await ended;
        await pending;
        if (this.failed) throw this.failed;
        if (e.csize > MAX_32) throw new Error('the sheet is larger than 4 GiB (no zip64)');
        e.crc = crc;
        const d = Buffer.alloc(16);
        d.writeUInt32LE(0x08074b50, 0);
        d.writeUInt32LE(e.crc >>> 0, 4);
        d.writeUInt32LE(e.csize, 8);
        d.writeUInt32LE(e.usize, 12);
        await this.put(d);
      },
    };
  }

  private entry(name: string, date: Date, descriptor: boolean): CentralEntry {
    const e: CentralEntry = {
      name: Buffer.from(name, 'utf8'),
      crc: 0,
      csize: 0,
      usize: 0,
      offset: this.offset,
      dosTime: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
      dosDate: ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
      descriptor,
    };
    this.entries.push(e);
    return e;
  }

  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(0x02014b50, 0);
      h.writeUInt16LE(20, 4); // made by: 2.0
      h.writeUInt16LE(20, 6); // needed: 2.0
      h.writeUInt16LE(flags(e), 8);
      h.writeUInt16LE(8, 10); // deflate
      h.writeUInt16LE(e.dosTime, 12);
      h.writeUInt16LE(e.dosDate, 14);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.csize, 20);
      h.writeUInt32LE(e.usize, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk, internal attributes: 0
      h.writeUInt32LE(0, 38); // external attributes
      h.writeUInt32LE(e.offset, 42);
      await this.put(Buffer.concat([h, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
    if (this.offset > MAX_32) throw new Error('the file is larger than 4 GiB (no zip64)');
    const finished = once(this.out, 'finish');
    this.out.end();
    await Promise.race([finished, once(this.out, 'close')]);
    if (this.failed && !this.out.writableFinished) throw this.failed;
  }
}

/** General purpose flags: UTF-8 names (bit 11), sizes in a data descriptor (bit 3). */
const flags = (e: CentralEntry) => 0x0800 | (e.descriptor ? 0x0008 : 0);

function localHeader(e: CentralEntry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(flags(e), 6);
  h.writeUInt16LE(8, 8);
  h.writeUInt16LE(e.dosTime, 10);
  h.writeUInt16LE(e.dosDate, 12);
  // with a data descriptor the CRC and sizes here are 0
  h.writeUInt32LE(e.descriptor ? 0 : e.crc >>> 0, 14);
  h.writeUInt32LE(e.descriptor ? 0 : e.csize, 18);
  h.writeUInt32LE(e.descriptor ? 0 : e.usize, 22);
  h.writeUInt16LE(e.name.length, 26);
  return Buffer.concat([h, e.name]);
}
