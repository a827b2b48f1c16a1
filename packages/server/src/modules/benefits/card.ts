import { fenToYuanText, t } from '@shuangyong/shared';
import { AppError } from '../../platform/errors.js';
import { cjkPdf } from '../../platform/files/pdf.js';
import { renderTask } from '../../platform/files/render-pool.js';

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };

export interface CardPerson {
  name: string;
  idMasked: string;
  lines: { benefitType: string; amountFen: number; explanation: string }[];
  totalFen: number;
}

export interface CardInput {
  addressMasked: string | null;
  month: string;
  /** The household's active members owed something in the month, in the register's order. */
  people: CardPerson[];
  totalFen: number;
  /** Whom to ask (the district's office and its telephone). */
  contact: string;
  orgName: string;
  today: string;
}

/** One paragraph of the card: its text, size in points, weight, alignment and the space after it (lines). */
export interface Block {
  text: string;
  size: number;
  bold?: boolean;
  heading?: boolean;
  align?: 'center' | 'right';
  after: number;
}

/** A4 in points, and the card's margins (2 cm). */
export const A4 = { width: 595.28, height: 841.89, margin: 56.7 };
/** The smallest type the card shrinks to (a share of the normal size) before it leaves people out. */
const MIN_SCALE = 0.5;

function blocksOf(c: CardInput, people: CardPerson[], leftOut: number): Block[] {
  const blocks: Block[] = [
    { text: t('benefits.card.title'), size: 22, bold: true, heading: true, align: 'center', after: 0.8 },
    {
      text: t('benefits.card.household', { address: c.addressMasked ?? t('benefits.card.noAddress'), month: c.month }),
      size: 14,
      after: 0.6,
    },
  ];
  if (people.length === 0) blocks.push({ text: t('benefits.card.none'), size: 14, after: 0.6 });
  people.forEach((p, i) => {
    blocks.push({
      text: t('benefits.card.person', { no: i + 1, name: p.name, id: p.idMasked }),
      size: 14,
      bold: true,
      after: 0.2,
    });
    for (const l of p.lines)
      blocks.push(
        {
          text: t('benefits.card.line', {
            type: t(`benefits.type.${l.benefitType}`),
            amount: fenToYuanText(l.amountFen),
          }),
          size: 13,
          after: 0.1,
        },
        { text: t('benefits.card.basis', { basis: l.explanation }), size: 11, after: 0.3 },
      );
    blocks.push({ text: t('benefits.card.subtotal', { amount: fenToYuanText(p.totalFen) }), size: 12, after: 0.5 });
  });
  if (leftOut > 0) blocks.push({ text: t('benefits.card.more', { n: leftOut }), size: 12, after: 0.5 });
  blocks.push(
    { text: t('benefits.card.total', { amount: fenToYuanText(c.totalFen) }), size: 15, bold: true, after: 0.6 },
    { text: c.contact, size: 12, after: 0.3 },
    { text: t('benefits.card.note'), size: 11, after: 1.2 },
    { text: t('benefits.card.footer', { org: c.orgName, today: c.today }), size: 12, align: 'right', after: 0 },
  );
  return blocks;
}

/** Width of a text in ems: a CJK character is one, a Latin letter or digit about half. */
const ems = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e7f ? 1 : 0.55), 0);

/**
 * The height of the blocks on the page at a scale, estimated as Word lays them out (a line is 1.3
 * times the type size; a paragraph wraps at the text width) — deliberately pessimistic.
 */
export function estimatedHeight(blocks: readonly Block[], scale: number): number {
  const width = A4.width - 2 * A4.margin;
  return blocks.reduce((h, b) => {
    const size = b.size * scale;
    const lines = Math.max(1, Math.ceil((ems(b.text) * size) / width));
    return h + (lines + b.after) * size * 1.3;
  }, 0);
}

/**
 * The card's paragraphs and the scale of their type so that all fits on one A4 page: smaller type
 * for a big household, and past the smallest type the last members are left out with a line
 * saying so (the rows are bounded: the card never runs to a second page).
 */
export function cardLayout(c: CardInput): { blocks: Block[]; scale: number } {
  const room = (A4.height - 2 * A4.margin) * 0.92;
  for (let shown = c.people.length; shown >= 0; shown--) {
    const blocks = blocksOf(c, c.people.slice(0, shown), c.people.length - shown);
    let scale = 1;
    while (scale > MIN_SCALE && estimatedHeight(blocks, scale) > room) scale = Math.round((scale - 0.05) * 100) / 100;
    if (estimatedHeight(blocks, scale) <= room) return { blocks, scale };
  }
  return { blocks: blocksOf(c, [], c.people.length), scale: MIN_SCALE };
}

/**
 * 待遇明白卡 of a household (decisions/0057): one A4 page for the family — each member owed
 * something, what they are owed a month item by item and why (category, grade, standard, region,
 * 文号), the household's total and whom to ask. Address and ID numbers masked. No page break: the
 * layout (`cardLayout`) keeps it to one page.
 */
export async function cardDocx(c: CardInput): Promise<Buffer> {
  // docx loads at the first card, not at start-up (docs/decisions/0063)
  const { AlignmentType, Document, Packer, Paragraph, TextRun } = await import('docx');
  const { blocks, scale } = cardLayout(c);
  // sizes in half-points; spacing after in twentieths of a point
  const body = blocks.map(
    (b) =>
      new Paragraph({
        ...(b.align ? { alignment: b.align === 'center' ? AlignmentType.CENTER : AlignmentType.RIGHT } : {}),
        spacing: { after: Math.round(b.after * b.size * scale * 1.3 * 20) },
        children: [
          new TextRun({
            text: b.text,
            font: b.heading ? HEADING_FONT : BODY_FONT,
            size: Math.round(b.size * scale * 2),
            bold: !!b.bold,
          }),
        ],
      }),
  );
  const twips = (pt: number) => Math.round(pt * 20);
  const doc = new Document({
    sections: [
      {
        properties: {
          page: {
            size: { width: twips(A4.width), height: twips(A4.height) },
            margin: {
              top: twips(A4.margin),
              bottom: twips(A4.margin),
              left: twips(A4.margin),
              right: twips(A4.margin),
            },
          },
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * The same card as PDF on one A4 page (the system's CJK font embedded), measured with the font
 * itself: smaller type rather than a second page. `fontMissing()` when the server has no CJK font.
 */
export async function cardPdf(c: CardInput, fontMissing: () => Error): Promise<Buffer> {
  const margin = A4.margin;
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
  const { blocks, scale: estimated } = cardLayout(c);
  const height = (scale: number) =>
    blocks.reduce((h, b) => {
      doc.fontSize(b.size * scale);
      return h + doc.heightOfString(b.text, { width, lineGap: 3 }) + b.after * doc.currentLineHeight(true);
    }, 0);
  let scale = estimated;
  while (scale > 0.3 && height(scale) > room * 0.97) scale -= 0.05;
  for (const b of blocks) {
    doc
      .fontSize(b.size * scale)
      .text(b.text, { width, lineGap: 3, ...(b.align ? { align: b.align } : {}) })
      .moveDown(b.after);
  }
  doc.end();
  return done;
}

/** The card in either format, made in the render worker (decisions/0077): a PDF takes ~0.25 s of CPU. */
export const CARD_RENDER = renderTask<{ card: CardInput; format: 'pdf' | 'docx' }, Buffer>(
  'benefits.card',
  async () =>
    ({ card, format }) =>
      format === 'pdf'
        ? cardPdf(card, () => new AppError(503, 'pdf_font_missing', 'benefits.card.fontMissing'))
        : cardDocx(card),
);
