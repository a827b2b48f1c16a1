import { PassThrough } from 'node:stream';
import { type ItemOwner, type ModelEvidence, t } from '@shuangyong/shared';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { writeXlsxStream } from '../../platform/files/index.js';
import type { RoundRow } from './modelcity.repo.js';
import { pointsText, type ScoredStandard } from './readiness.js';

/** What the binder is built from: the scored table of a round and its evidence, within one scope. */
export interface BinderInput {
  round: RoundRow;
  scopeName: string;
  standards: ScoredStandard[];
  points: number;
  score: number;
  evidence: ReadonlyMap<string, ModelEvidence[]>;
  /** The period whose evidence is listed. */
  period: { from: string; to: string };
  /** Who answers for each item (lead org, co-owners, deadline). */
  owners: ReadonlyMap<string, ItemOwner[]>;
  /** Display-zone date of the export. */
  today: string;
}

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEADING_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };

const text = (s: string, size = 28) => new TextRun({ text: s, font: BODY_FONT, size });
const heading = (s: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ heading: level, children: [new TextRun({ text: s, font: HEADING_FONT, bold: true })] });

/** The standard's heading in the binder: 一、组织领导坚强有力. */
export const standardHeading = (s: ScoredStandard) => `${CN[s.row.seq - 1] ?? s.row.seq}、${s.row.title}`;

/**
 * The 创建档案 as DOCX: standard → item → element headings in the table's order (Word builds the
 * table of contents from them), each element with its status and score and its evidence listed
 * with dates, types and the orgs that filed them.
 */
export async function binderDocx(b: BinderInput): Promise<Buffer> {
  const body: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      heading: HeadingLevel.TITLE,
      children: [new TextRun({ text: t('modelcity.binder.title'), font: HEADING_FONT, size: 44 })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        text(
          t('modelcity.binder.subtitle', {
            round: b.round.name,
            scope: b.scopeName,
            start: b.period.from,
            end: b.period.to,
            today: b.today,
          }),
        ),
      ],
    }),
    new Paragraph({
      children: [text(t('modelcity.binder.total', { score: pointsText(b.score), points: pointsText(b.points) }))],
    }),
  ];
  for (const s of b.standards) {
    body.push(
      heading(
        `${standardHeading(s)}（${t('modelcity.binder.score', { score: pointsText(s.score), points: pointsText(s.points) })}）`,
        HeadingLevel.HEADING_1,
      ),
    );
    for (const i of s.items) {
      body.push(heading(`${i.code} ${i.row.content}`, HeadingLevel.HEADING_2));
      body.push(
        new Paragraph({
          children: [
            text(
              t('modelcity.binder.itemLine', {
                rule: i.row.rule,
                score: pointsText(i.score),
                points: pointsText(i.row.points),
              }),
            ),
          ],
        }),
      );
      const owners = b.owners.get(i.row.id) ?? [];
      if (owners.length) body.push(new Paragraph({ children: [text(ownersLine(owners))] }));
      for (const e of i.elements) {
        body.push(heading(`${e.code} ${e.row.text}`, HeadingLevel.HEADING_3));
        body.push(
          new Paragraph({
            children: [
              text(
                t('modelcity.binder.elementLine', {
                  status: t(`modelcity.status.${e.status}`),
                  score: pointsText(e.score),
                  points: pointsText(e.row.points),
                }),
              ),
            ],
          }),
        );
        const list = b.evidence.get(e.row.id) ?? [];
        if (!list.length) body.push(new Paragraph({ children: [text(t('modelcity.binder.noEvidence'))] }));
        for (const ev of list)
          body.push(
            new Paragraph({
              bullet: { level: 0 },
              children: [
                text(
                  `${ev.date}　${ev.title}　${ev.docType ? t(`modelcity.docType.${ev.docType}`) : t(`modelcity.kind.${ev.sourceKind}`)}　${ev.orgName}${ev.stale ? `　${t('modelcity.stale')}` : ''}`,
                  24,
                ),
              ],
            }),
          );
      }
    }
  }
  const doc = new Document({ features: { updateFields: true }, sections: [{ children: body }] });
  return Packer.toBuffer(doc);
}

/** 牵头单位：市教育局；协办单位：…；完成时限：2026-06-30 */
export function ownersLine(owners: readonly ItemOwner[]): string {
  const lead = owners.filter((o) => o.role === 'lead').map((o) => o.orgName);
  const co = owners.filter((o) => o.role === 'co').map((o) => o.orgName);
  return t('modelcity.binder.owners', {
    lead: lead.join('、') || t('modelcity.binder.none'),
    co: co.join('、') || t('modelcity.binder.none'),
    deadline: owners[0]?.deadline ?? '',
  });
}

/** The self-assessment (自评表) in the inspectors' layout: one row per element under its item. */
export async function selfAssessmentXlsx(b: BinderInput): Promise<Buffer> {
  const rows = b.standards.flatMap((s) =>
    s.items.flatMap((i) =>
      i.elements.map((e) => ({
        standard: standardHeading(s),
        item: i.code,
        content: i.row.content,
        rule: i.row.rule,
        itemPoints: i.row.points / 100,
        element: `${e.code} ${e.row.text}`,
        points: e.row.points / 100,
        score: e.score / 100,
        status: t(`modelcity.status.${e.status}`),
        evidence: (b.evidence.get(e.row.id) ?? []).length,
        owners: (b.owners.get(i.row.id) ?? []).map((o) => o.orgName).join('、'),
      })),
    ),
  );
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeXlsxStream(out, {
    sheetName: t('modelcity.xlsx.sheet'),
    columns: [
      { header: t('modelcity.xlsx.standard'), key: 'standard', width: 20 },
      { header: t('modelcity.xlsx.item'), key: 'item', width: 8 },
      { header: t('modelcity.xlsx.content'), key: 'content', width: 36 },
      { header: t('modelcity.xlsx.rule'), key: 'rule', width: 36 },
      { header: t('modelcity.xlsx.itemPoints'), key: 'itemPoints', width: 8 },
      { header: t('modelcity.xlsx.element'), key: 'element', width: 36 },
      { header: t('modelcity.xlsx.points'), key: 'points', width: 8 },
      { header: t('modelcity.xlsx.score'), key: 'score', width: 8 },
      { header: t('modelcity.xlsx.status'), key: 'status', width: 10 },
      { header: t('modelcity.xlsx.evidence'), key: 'evidence', width: 10 },
      { header: t('modelcity.xlsx.owners'), key: 'owners', width: 24 },
    ],
    rows,
  });
  await done;
  return Buffer.concat(chunks);
}

/** Both files of the binder from one input (the render task BINDER_RENDER, binder-render.ts). */
export async function binderFiles(b: BinderInput): Promise<{ docx: Buffer; xlsx: Buffer }> {
  return { docx: await binderDocx(b), xlsx: await selfAssessmentXlsx(b) };
}
