import { fenToYuanText, t } from '@shuangyong/shared';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { cjkPdf } from '../../platform/files/pdf.js';

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const text = (s: string, size = 28, bold = false) => new TextRun({ text: s, font: BODY_FONT, size, bold });

export interface CardInput {
  name: string;
  idMasked: string;
  month: string;
  lines: { benefitType: string; amountFen: number; explanation: string }[];
  totalFen: number;
  orgName: string;
  today: string;
}

/**
 * 待遇明白卡: one page for the family — what the person is owed a month, item by item, and why
 * (category, grade, standard, document), with the total and who to ask. ID number masked.
 */
export async function cardDocx(c: CardInput): Promise<Buffer> {
  const body: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: t('benefits.card.title'), font: HEADING_FONT, size: 40, bold: true })],
    }),
    new Paragraph({ children: [text(t('benefits.card.person', { name: c.name, id: c.idMasked }))] }),
    new Paragraph({ children: [text(t('benefits.card.month', { month: c.month }))] }),
  ];
  if (c.lines.length === 0) body.push(new Paragraph({ children: [text(t('benefits.card.none'))] }));
  c.lines.forEach((l, i) => {
    body.push(
      new Paragraph({
        children: [
          text(
            t('benefits.card.line', {
              no: i + 1,
              type: t(`benefits.type.${l.benefitType}`),
              amount: fenToYuanText(l.amountFen),
            }),
            28,
            true,
          ),
        ],
      }),
      new Paragraph({ children: [text(t('benefits.card.basis', { basis: l.explanation }), 24)] }),
    );
  });
  body.push(
    new Paragraph({ children: [text(t('benefits.card.total', { amount: fenToYuanText(c.totalFen) }), 28, true)] }),
    new Paragraph({ children: [text(t('benefits.card.note'), 24)] }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [text(t('benefits.card.footer', { org: c.orgName, today: c.today }), 24)],
    }),
  );
  const doc = new Document({ sections: [{ children: body }] });
  return Packer.toBuffer(doc);
}

/** One paragraph of the PDF card: its text, size in points, alignment and the space after it (lines). */
interface Block {
  text: string;
  size: number;
  align?: 'center' | 'right';
  after: number;
}

function cardBlocks(c: CardInput): Block[] {
  const blocks: Block[] = [
    { text: t('benefits.card.title'), size: 22, align: 'center', after: 1 },
    { text: t('benefits.card.person', { name: c.name, id: c.idMasked }), size: 14, after: 0.3 },
    { text: t('benefits.card.month', { month: c.month }), size: 14, after: 0.8 },
  ];
  if (c.lines.length === 0) blocks.push({ text: t('benefits.card.none'), size: 14, after: 0.6 });
  c.lines.forEach((l, i) => {
    blocks.push(
      {
        text: t('benefits.card.line', {
          no: i + 1,
          type: t(`benefits.type.${l.benefitType}`),
          amount: fenToYuanText(l.amountFen),
        }),
        size: 14,
        after: 0.2,
      },
      { text: t('benefits.card.basis', { basis: l.explanation }), size: 12, after: 0.6 },
    );
  });
  blocks.push(
    { text: t('benefits.card.total', { amount: fenToYuanText(c.totalFen) }), size: 14, after: 0.8 },
    { text: t('benefits.card.note'), size: 12, after: 2 },
    { text: t('benefits.card.footer', { org: c.orgName, today: c.today }), size: 12, align: 'right', after: 0 },
  );
  return blocks;
}

/**
 * The same card as PDF on one A4 page (the system's CJK font embedded): a person with many items
 * gets smaller type rather than a second page. `fontMissing()` when the server has no CJK font.
 */
export async function cardPdf(c: CardInput, fontMissing: () => Error): Promise<Buffer> {
  const margin = 64;
  const { doc, done } = await cjkPdf(
    {
      prefer: 'serif',
      margins: { top: margin, bottom: margin, left: margin, right: margin },
      title: t('benefits.card.title'),
      author: c.orgName,
    },
    fontMissing,
  );
  const width = doc.page.width - 2 * margin;
  const room = doc.page.height - 2 * margin;
  const blocks = cardBlocks(c);
  const height = (scale: number) =>
    blocks.reduce((h, b) => {
      doc.fontSize(b.size * scale);
      return h + doc.heightOfString(b.text, { width, lineGap: 4 }) + b.after * doc.currentLineHeight(true);
    }, 0);
  let scale = 1;
  while (scale > 0.4 && height(scale) > room * 0.97) scale -= 0.05;
  for (const b of blocks) {
    doc
      .fontSize(b.size * scale)
      .text(b.text, { width, lineGap: 4, ...(b.align ? { align: b.align } : {}) })
      .moveDown(b.after);
  }
  doc.end();
  return done;
}
