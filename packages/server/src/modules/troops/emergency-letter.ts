import fs from 'node:fs';
import { t } from '@shuangyong/shared';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import type PDFKit from 'pdfkit';
import { AppError } from '../../platform/errors.js';

/** A thanks letter (感谢信) of the requesting side to the units dispatched to an emergency. */
export interface ThanksLetter {
  units: string;
  text: string;
  sender: string;
  date: string;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const FONT = { ascii: 'FangSong', eastAsia: '仿宋', hAnsi: 'FangSong' };

export async function thanksDocx(l: ThanksLetter): Promise<Buffer> {
  const run = (text: string, extra: Record<string, unknown> = {}) =>
    new TextRun({ text, font: FONT, size: 32, ...extra });
  const doc = new Document({
    creator: l.sender,
    title: t('troops.letter.title'),
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 400 },
            children: [
              run(t('troops.letter.title'), { bold: true, size: 44, font: { eastAsia: '宋体', ascii: 'SimSun' } }),
            ],
          }),
          new Paragraph({
            spacing: { after: 200 },
            children: [run(t('troops.letter.salutation', { units: l.units }))],
          }),
          ...l.text
            .split(/\n+/)
            .map((p) => new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [run(p)] })),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 600 }, children: [run(l.sender)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(l.date)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const PDF_FONTS: [string, string | undefined][] = [
  [process.env.PDF_FONT_FILE ?? '', process.env.PDF_FONT_FACE],
  ['/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'],
  ['/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular'],
];

/** pdfkit, loaded at the first letter rather than at start-up (docs/decisions/0032). */
let pdfkit: Promise<typeof PDFKit> | undefined;
const loadPdfkit = () =>
  (pdfkit ??= import('pdfkit').then(
    (m) => (m as unknown as { default?: typeof PDFKit }).default ?? (m as unknown as typeof PDFKit),
  ));

export async function thanksPdf(l: ThanksLetter): Promise<Buffer> {
  const font = PDF_FONTS.find(([file]) => file && fs.existsSync(file));
  if (!font) throw new AppError(503, 'pdf_font_missing', 'troops.letter.fontMissing');
  const PDFDocument = await loadPdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 90, bottom: 80, left: 80, right: 80 },
    info: { Title: t('troops.letter.title'), Author: l.sender },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', font[0], font[1]);
  doc.font('cjk');
  doc.fontSize(22).text(t('troops.letter.title'), { align: 'center' }).moveDown(1.2);
  doc
    .fontSize(14)
    .text(t('troops.letter.salutation', { units: l.units }))
    .moveDown(0.6);
  for (const p of l.text.split(/\n+/)) doc.text(`\u3000\u3000${p}`, { lineGap: 8 }).moveDown(0.4);
  doc.moveDown(2).text(l.sender, { align: 'right' }).text(l.date, { align: 'right' });
  doc.end();
  return done;
}
