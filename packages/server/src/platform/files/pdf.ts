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
  doc.registerFont('cjk', file, face);
  doc.font('cjk');
  return { doc, done };
}
