import { t } from '@shuangyong/shared';
import { AlignmentType, Document, Packer, Paragraph, type Table, TextRun } from 'docx';
import { DOCX_FONTS, docxTable } from '../../platform/files/docx.js';
import type { CampaignSummary } from './dashboard.js';
import { chineseDate, reportTitle } from './report-title.js';

// The campaign summary report as DOCX; loaded by report.ts at the first report (docs/decisions/0063).

const CN_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const BODY_FONT = DOCX_FONTS.fangsong;
const HEADING_FONT = DOCX_FONTS.hei;
const TITLE_FONT = DOCX_FONTS.title;

const para = (
  text: string,
  opts: { indent?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {},
) =>
  new Paragraph({
    alignment: opts.align,
    indent: opts.indent === false ? undefined : { firstLine: 640 },
    spacing: { line: 560 },
    children: [new TextRun({ text, font: BODY_FONT, size: 32 })],
  });

const heading = (text: string) =>
  new Paragraph({
    indent: { firstLine: 640 },
    spacing: { line: 560 },
    children: [new TextRun({ text, font: HEADING_FONT, size: 32 })],
  });

const table = (head: string[], rows: (string | number)[][]) => docxTable(head, rows, { font: BODY_FONT, size: 24 });

/** The report as a government office writes it: 一、基本情况 … 五、存在问题, figures from the accepted reports. */
export async function summaryDocx(s: CampaignSummary): Promise<Buffer> {
  const d = s.dashboard;
  const by = d.totals.byStatus;
  const c = s.campaign;
  const title = reportTitle(c.title);
  const orgs = d.rows.length;
  const issued = c.issueDate ? `${chineseDate(c.issueDate)}，` : '';
  const doc = c.docNumber ? `（${c.docNumber}）` : '';
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 400, line: 700 },
      children: [new TextRun({ text: title, font: TITLE_FONT, size: 44 })],
    }),
    heading('一、基本情况'),
    para(
      `${issued}${c.issuers.join('、')}${c.issuers.length > 1 ? '联合' : ''}下发《${c.title}》${doc}，部署${s.items.length}项重点工作、${s.tasks.length}项具体任务，涉及${orgs}个单位，共${d.totals.assigned}项填报任务。截至${chineseDate(d.today)}，已审核通过${by.accepted}项，待审核${by.submitted}项，退回修改${by.returned}项，正在办理${by.in_progress + by.not_started}项，逾期未报${by.overdue}项，完成率${d.totals.completion}%。`,
    ),
    heading('二、各项工作开展情况'),
  ];
  s.items.forEach((item, i) => {
    children.push(para(`（${CN_ORDINALS[i] ?? i + 1}）${item.title}。`));
    for (const tk of s.tasks.filter((x) => x.itemOrdinal === item.ordinal)) {
      const figures = tk.figures.map((f) => `${f.label}合计${f.total}${f.unit}`).join('，');
      children.push(
        para(`${tk.title}：应报${tk.assigned}个单位，已审核通过${tk.accepted}个${figures ? `；${figures}` : ''}。`),
      );
    }
  });
  children.push(heading('三、各单位完成情况'));
  children.push(
    table(
      ['单位', '任务数', '已通过', '完成率'],
      d.rows.map((r) => [r.orgName, r.assigned, r.accepted, `${r.completion}%`]),
    ),
  );
  if (d.ranking.length) {
    children.push(
      para(`各区完成情况排名：${d.ranking.map((r) => `第${r.rank}名${r.orgName}（${r.completion}%）`).join('，')}。`),
    );
  }
  children.push(heading('四、督导检查情况'));
  const rects = s.inspections.reduce((n, i) => n + i.rectifications, 0);
  const closed = s.inspections.reduce((n, i) => n + i.closed, 0);
  children.push(
    para(
      s.inspections.length
        ? `共开展督导检查${s.inspections.length}次，提出整改事项${rects}项，已整改销号${closed}项，正在整改${rects - closed}项。`
        : '本次工作部署暂未开展督导检查。',
    ),
  );
  children.push(...s.inspections.map((i) => para(`${chineseDate(i.inspectedOn)}督导${i.orgName}：${i.findings}`)));
  children.push(heading('五、存在问题'));
  children.push(
    para(
      d.overdue.length
        ? `截至${chineseDate(d.today)}，仍有${d.overdue.length}项任务逾期未报：${d.overdue
            .map((o) => `${o.orgName}“${o.taskTitle}”（逾期${o.daysOverdue}天）`)
            .join('；')}。下一步将加强督促指导，确保各项工作落实到位。`
        : '各项任务均按期报送，无逾期未报情况。',
    ),
  );
  children.push(new Paragraph({ children: [] }));
  for (const issuer of c.issuers) children.push(para(issuer, { indent: false, align: AlignmentType.RIGHT }));
  children.push(para(chineseDate(d.today), { indent: false, align: AlignmentType.RIGHT }));

  const document = new Document({
    creator: t('campaigns.reportCreator'),
    title,
    styles: { default: { document: { run: { font: BODY_FONT, size: 32 } } } },
    sections: [{ properties: { page: { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(document);
}
