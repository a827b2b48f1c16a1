import type { MessageKey } from '@shuangyong/shared';
import { AppError } from '../errors.js';
import { cjkPdf } from './pdf.js';
import { render, renderTask } from './render-pool.js';
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
  // docx loads at the first letter, not at start-up (docs/decisions/0063)
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await import('docx');
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

/** The letter as PDF; `fontMissing()` when the server has no CJK font (the DOCX still works). */
export async function formalLetterPdf(l: FormalLetter, fontMissing: () => Error): Promise<Buffer> {
  const { doc, done } = await cjkPdf(
    { prefer: 'serif', margins: { top: 90, bottom: 80, left: 80, right: 80 }, title: l.title, author: l.sender },
    fontMissing,
  );
  doc.fontSize(22).text(l.title, { align: 'center' }).moveDown(1.2);
  doc.fontSize(14).text(l.salutation).moveDown(0.6);
  for (const p of l.paragraphs) doc.text(`\u3000\u3000${p}`, { lineGap: 8 }).moveDown(0.4);
  doc.moveDown(2).text(l.sender, { align: 'right' }).text(l.date, { align: 'right' });
  doc.end();
  return done;
}

/**
 * A formal letter in either format, made in the render worker (decisions/0077): a PDF takes ~0.2 s
 * of CPU (the CJK font embedded). `fontMissing`: the message of the 503 when there is no CJK font.
 */
export const LETTER_RENDER = renderTask<
  { letter: FormalLetter; format: 'pdf' | 'docx'; fontMissing: MessageKey },
  Buffer
>(
  'letter',
  async () =>
    ({ letter, format, fontMissing }) =>
      format === 'pdf'
        ? formalLetterPdf(letter, () => new AppError(503, 'pdf_font_missing', fontMissing))
        : formalLetterDocx(letter),
);

/** A formal letter as DOCX or PDF, made in the render worker; `fontMissing` as in LETTER_RENDER. */
export const renderFormalLetter = (letter: FormalLetter, format: 'pdf' | 'docx', fontMissing: MessageKey) =>
  render(LETTER_RENDER, { letter, format, fontMissing });

/**
 * Letters as DOCX, a batch per render (the bulk letters job): one round trip to the render worker
 * for many letters, the job's progress told after each batch.
 */
export const LETTERS_RENDER = renderTask<{ letters: readonly FormalLetter[] }, Buffer[]>(
  'letters',
  async () =>
    async ({ letters }) => {
      const out: Buffer[] = [];
      for (const l of letters) out.push(await formalLetterDocx(l));
      return out;
    },
);
