import fs from 'node:fs';
import type PDFKit from 'pdfkit';

/** Chinese fonts a PDF can embed, in order of preference: [file, face in a .ttc collection]. */
const SERIF: [string, string] = ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'];
const SANS: [string, string] = ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'];

/**
 * The CJK font a PDF embeds: PDF_FONT_FILE/PDF_FONT_FACE when set, else the system's Noto CJK
 * (serif first for letters, sans first for tables); `missing()` when there is none.
 */
export function pdfFont(prefer: 'serif' | 'sans', missing: () => Error): [string, string | undefined] {
  const fonts: [string, string | undefined][] = [
    [process.env.PDF_FONT_FILE ?? '', process.env.PDF_FONT_FACE],
    ...(prefer === 'serif' ? [SERIF, SANS] : [SANS, SERIF]),
  ];
  const found = fonts.find(([file]) => file && fs.existsSync(file));
  if (!found) throw missing();
  return found;
}

/** pdfkit, loaded at the first PDF rather than at start-up (docs/decisions/0032). */
let pdfkit: Promise<typeof PDFKit> | undefined;
export const loadPdfkit = () =>
  (pdfkit ??= import('pdfkit').then(
    (m) => (m as unknown as { default?: typeof PDFKit }).default ?? (m as unknown as typeof PDFKit),
  ));

/** The bytes a pdfkit document writes, once `doc.end()` is called. */
export function pdfBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
}

/**
 * An A4 pdfkit document with the CJK font registered as `cjk` and selected, and the promise of its
 * bytes (resolved after `doc.end()`); `missing()` when the server has no CJK font.
 */
export async function cjkPdf(
  opts: { prefer: 'serif' | 'sans'; margins: PDFKit.PDFDocumentOptions['margins']; title: string; author: string },
  missing: () => Error,
): Promise<{ doc: PDFKit.PDFDocument; done: Promise<Buffer> }> {
  const [file, face] = pdfFont(opts.prefer, missing);
  const PDFDocument = await loadPdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: opts.margins,
    info: { Title: opts.title, Author: opts.author },
  });
  const done = pdfBytes(doc);
  useCjkFont(doc, file, face);
  return { doc, done };
}

/** A CJK font file's bytes, read once per thread (the Noto collections are 19–26 MB). */
const fontFiles = new Map<string, Buffer>();
/**
 * The font parsed by fontkit, kept per thread with pdfkit's embedded-font class (decisions/0078):
 * pdfkit 0.17 parses the font anew for every document (its CFF table, ~65,000 glyphs), ~3/4 of a
 * letter PDF's CPU. Reached through pdfkit's private `_font` and `_fontFamilies`; should a pdfkit
 * release change them, `parsedFonts` stays empty and every PDF parses the font as before.
 */
interface EmbeddedFontClass {
  new (doc: PDFKit.PDFDocument, font: object, id: string): object;
}
const parsedFonts = new Map<string, { font: object; Embedded: EmbeddedFontClass }>();
interface PdfkitInternals {
  _font?: { font?: unknown; constructor: unknown };
  _fontFamilies?: Record<string, unknown>;
  _fontCount?: number;
}

/**
 * Registers the CJK font as `cjk` and selects it: the file read once per thread, and the font
 * parsed once per thread where pdfkit lets it be shared (the text and the subset embedded are the
 * same; a PDF of a letter ~120 ms -> ~40 ms of CPU, docs/benchmarks.md).
 */
export function useCjkFont(doc: PDFKit.PDFDocument, file: string, face: string | undefined): void {
  let bytes = fontFiles.get(file);
  if (!bytes) {
    bytes = fs.readFileSync(file);
    fontFiles.set(file, bytes);
  }
  doc.registerFont('cjk', bytes, face);
  const key = `${file}\0${face ?? ''}`;
  const internals = doc as unknown as PdfkitInternals;
  const parsed = parsedFonts.get(key);
  if (parsed && internals._fontFamilies && typeof internals._fontCount === 'number') {
    // the document's own embedded font (its subset, its widths) over the font parsed before
    internals._fontFamilies.cjk = new parsed.Embedded(doc, parsed.font, `F${++internals._fontCount}`);
  }
  doc.font('cjk');
  const made = internals._font;
  if (!parsed && made?.font && typeof made.font === 'object' && typeof made.constructor === 'function')
    parsedFonts.set(key, { font: made.font, Embedded: made.constructor as EmbeddedFontClass });
}
