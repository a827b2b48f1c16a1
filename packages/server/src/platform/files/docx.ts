import { AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

/**
 * The look of the Word documents the platform writes (the campaign report, the daily brief): the
 * fonts of official documents (GB/T 9704: 仿宋 body, 黑体 headings, 小标宋 titles; Latin in Times
 * New Roman) and the bordered, centred table both use. Sizes are half-points (32 = 三号 16 pt).
 */
const face = (eastAsia: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia });
export const DOCX_FONTS = {
  fangsong: face('仿宋_GB2312'),
  song: face('宋体'),
  hei: face('黑体'),
  title: face('方正小标宋简体'),
} as const;
export type DocxFont = (typeof DOCX_FONTS)[keyof typeof DOCX_FONTS];

export interface DocxTextStyle {
  font: DocxFont;
  /** Half-points. */
  size: number;
  bold?: boolean;
}

export const docxText = (text: string, s: DocxTextStyle) =>
  new TextRun({ text, font: s.font, size: s.size, bold: s.bold });

/** A full-width table with single black borders, every cell centred, the head row bold and repeated. */
export function docxTable(head: string[], rows: (string | number)[][], s: DocxTextStyle): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cell = (v: string | number, bold: boolean) =>
    new TableCell({
      borders: { top: border, bottom: border, left: border, right: border },
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [docxText(String(v), { ...s, bold })],
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v, false)) })),
    ],
  });
}
