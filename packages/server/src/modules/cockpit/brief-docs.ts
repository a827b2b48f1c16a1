import { type Cockpit, cockpitCharts, rankLabel, t } from '@shuangyong/shared';
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph } from 'docx';
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.js';
import { DOCX_FONTS, type DocxFont, docxTable, docxText } from '../../platform/files/docx.js';
import { pdfBytes, pdfFont, useCjkFont } from '../../platform/files/pdf.js';
import { headlineLines } from './brief-lines.js';
import { CHART_HEIGHT, CHART_WIDTH, chartPngs, chartSvg } from './chart-render.js';
import type { BriefFiles, BriefInput } from './renders.js';

/** What a brief is made of: the cockpit's figures and its charts, rendered (decisions/0037). */
export interface BriefContent {
  cockpit: Cockpit;
  orgName: string;
  day: string;
  charts: { title: string; png: Buffer }[];
}

function tables(c: Cockpit) {
  return {
    league: {
      head: [
        t('cockpit.col.rank'),
        t('cockpit.col.district'),
        t('cockpit.col.completionPct'),
        t('cockpit.col.coveragePct'),
        t('cockpit.col.overdue'),
      ],
      rows: c.league.map((r) => [rankLabel(r.rank, r.tied), r.orgName, r.completion, r.coverage, r.overdue]),
    },
    overdue: {
      head: [t('cockpit.col.org'), t('cockpit.col.task'), t('cockpit.col.deadline'), t('cockpit.col.daysOverdue')],
      rows: c.overdue.map((o) => [o.orgName, o.taskTitle, o.deadline, o.daysOverdue]),
    },
    breached: {
      head: [
        t('cockpit.col.need'),
        t('cockpit.col.department'),
        t('cockpit.col.deadline'),
        t('cockpit.col.workingDaysOver'),
      ],
      rows: c.breached.map((n) => [n.title, n.leadOrgName ?? '', n.deadline, n.workingDaysOver]),
    },
  };
}

const FONT = DOCX_FONTS.song;
const HEADING_FONT = DOCX_FONTS.hei;

export async function briefDocx(b: BriefContent): Promise<Buffer> {
  const run = (text: string, extra: { bold?: boolean; size?: number; font?: DocxFont } = {}) =>
    docxText(text, { font: extra.font ?? FONT, size: extra.size ?? 28, bold: extra.bold });
  const p = (text: string) =>
    new Paragraph({ spacing: { line: 440 }, indent: { firstLine: 560 }, children: [run(text)] });
  const h = (text: string) =>
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      spacing: { before: 240, after: 120 },
      children: [run(text, { font: HEADING_FONT, size: 30 })],
    });
  const table = (head: string[], rows: (string | number)[][]) => docxTable(head, rows, { font: FONT, size: 21 });
  const tb = tables(b.cockpit);
  const doc = new Document({
    creator: b.orgName,
    title: t('brief.docTitle', { title: b.cockpit.campaign.title }),
    sections: [
      {
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 120 },
            children: [
              run(t('brief.docTitle', { title: b.cockpit.campaign.title }), {
                bold: true,
                size: 40,
                font: HEADING_FONT,
              }),
            ],
          }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [run(t('brief.dateLine', { org: b.orgName, day: b.day }))],
          }),
          h(t('brief.section.headline')),
          ...headlineLines(b.cockpit).map(p),
          ...(tb.league.rows.length ? [h(t('cockpit.league')), table(tb.league.head, tb.league.rows)] : []),
          h(t('brief.section.charts')),
          ...b.charts.flatMap((c) => [
            new Paragraph({ alignment: AlignmentType.CENTER, children: [run(c.title, { bold: true, size: 24 })] }),
            new Paragraph({
              alignment: AlignmentType.CENTER,
              children: [
                new ImageRun({
                  type: 'png',
                  data: c.png,
                  transformation: { width: 576, height: 288 },
                  altText: { name: c.title, description: c.title, title: c.title },
                }),
              ],
            }),
          ]),
          h(t('brief.section.overdue')),
          ...(tb.overdue.rows.length ? [table(tb.overdue.head, tb.overdue.rows)] : [p(t('brief.noOverdue'))]),
          h(t('brief.section.breached')),
          ...(tb.breached.rows.length ? [table(tb.breached.head, tb.breached.rows)] : [p(t('brief.noBreached'))]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function briefPdf(b: BriefContent): Promise<Buffer> {
  const [file, face] = pdfFont('sans', () => new AppError(503, 'pdf_font_missing', 'visits.letter.fontMissing'));
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 56, right: 56 },
    info: { Title: t('brief.docTitle', { title: b.cockpit.campaign.title }), Author: b.orgName },
  });
  const done = pdfBytes(doc);
  useCjkFont(doc, file, face);
  const width = doc.page.width - 112;
  doc.fontSize(18).text(t('brief.docTitle', { title: b.cockpit.campaign.title }), { align: 'center' });
  doc
    .fontSize(11)
    .moveDown(0.3)
    .text(t('brief.dateLine', { org: b.orgName, day: b.day }), { align: 'center' })
    .moveDown(1);
  const heading = (text: string) => doc.fontSize(13).moveDown(0.6).text(text).moveDown(0.3).fontSize(10.5);
  const table = (head: string[], rows: (string | number)[][]) => {
    const col = width / head.length;
    const line = (cells: (string | number)[]) => {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      let h = 0;
      cells.forEach((v, i) => {
        const text = String(v);
        doc.text(text, 56 + i * col + 2, y, { width: col - 4 });
        h = Math.max(h, doc.heightOfString(text, { width: col - 4 }));
      });
      doc.y = y + h + 4;
      doc
        .moveTo(56, doc.y - 2)
        .lineTo(56 + width, doc.y - 2)
        .lineWidth(0.3)
        .stroke('#999999');
    };
    line(head);
    for (const r of rows) line(r);
    doc.x = 56;
  };
  const tb = tables(b.cockpit);
  heading(t('brief.section.headline'));
  for (const l of headlineLines(b.cockpit)) doc.text(`\u3000\u3000${l}`, { lineGap: 4 });
  if (tb.league.rows.length) {
    heading(t('cockpit.league'));
    table(tb.league.head, tb.league.rows);
  }
  heading(t('brief.section.charts'));
  const imgW = width;
  const imgH = (width * CHART_HEIGHT) / CHART_WIDTH;
  for (const c of b.charts) {
    if (doc.y + imgH + 20 > doc.page.height - 56) doc.addPage();
    doc.image(c.png, 56, doc.y, { width: imgW, height: imgH });
    doc.y += imgH + 8;
  }
  heading(t('brief.section.overdue'));
  if (tb.overdue.rows.length) table(tb.overdue.head, tb.overdue.rows);
  else doc.text(t('brief.noOverdue'));
  heading(t('brief.section.breached'));
  if (tb.breached.rows.length) table(tb.breached.head, tb.breached.rows);
  else doc.text(t('brief.noBreached'));
  doc.end();
  return done;
}

/**
 * The brief's two files from the cockpit's figures: its charts drawn from the same definitions as
 * the browser's (ECharts to SVG, then PNG), then the DOCX and the PDF. Runs in the render worker
 * (renders.ts BRIEF_RENDER): all of it is CPU work, some 0.5 s of it.
 */
export async function briefFiles(input: BriefInput): Promise<BriefFiles> {
  const defs = cockpitCharts(input.cockpit);
  const pngs = await chartPngs(defs.map((d) => chartSvg(d.option)));
  const content: BriefContent = { ...input, charts: defs.map((d, i) => ({ title: d.title, png: pngs[i]! })) };
  const [docx, pdf] = await Promise.all([briefDocx(content), briefPdf(content)]);
  return { docx, pdf };
}
