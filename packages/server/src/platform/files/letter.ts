import fs from 'node:fs';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import type PDFKit from 'pdfkit';
import { DOCUMENT_TYPES } from './upload.js';

/**
 * The formal letters the platform writes (慰问信 of a visit plan, 感谢信 of an emergency): a centred
 * title, a salutation, indented paragraphs, the sender and the date on the right. As DOCX (the
 * font is a Chinese font name the reader's Word resolves — 宋体/仿宋 ship with every Chinese
 * Windows) and as PDF (pdfkit with the system's Noto CJK font embedded, so it prints the same
 * everywhere).
 */
export interface FormalLetter {
  title: string;
  salutation: string;
  paragraphs: readonly string[];
  sender: string;
  date: string;
}

export const DOCX_TYPE = DOCUMENT_TYPES.docx;

const FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };

export async function formalLetterDocx(l: FormalLetter): Promise<Buffer> {
  const run = (text: string, extra: Record<string, unknown> = {}) =>
    new TextRun({ text, font: FONT, size: 32, ...extra });
  const doc = new Document({
    creator: l.sender,
    title: l.title,
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 400 },
            children: [run(l.title, { bold: true, size: 44, font: { eastAsia: '宋体', ascii: 'SimSun' } })],
          }),
          new Paragraph({ spacing: { after: 200 }, children: [run(l.salutation)] }),
          ...l.paragraphs.map(
            (p) => new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [run(p)] }),
          ),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 600 }, children: [run(l.sender)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(l.date)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

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

/** The letter as PDF; `fontMissing()` when the server has no CJK font (the DOCX still works). */
export async function formalLetterPdf(l: FormalLetter, fontMissing: () => Error): Promise<Buffer> {
  const [file, face] = pdfFont('serif', fontMissing);
  const PDFDocument = await loadPdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 90, bottom: 80, left: 80, right: 80 },
    info: { Title: l.title, Author: l.sender },
  });
  const done = pdfBytes(doc);
  doc.registerFont('cjk', file, face);
  doc.font('cjk');
  doc.fontSize(22).text(l.title, { align: 'center' }).moveDown(1.2);
  doc.fontSize(14).text(l.salutation).moveDown(0.6);
  for (const p of l.paragraphs) doc.text(`\u3000\u3000${p}`, { lineGap: 8 }).moveDown(0.4);
  doc.moveDown(2).text(l.sender, { align: 'right' }).text(l.date, { align: 'right' });
  doc.end();
  return done;
}
