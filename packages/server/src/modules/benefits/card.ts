import { fenToYuanText, t } from '@shuangyong/shared';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';

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
