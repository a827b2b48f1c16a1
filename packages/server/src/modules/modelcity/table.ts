import { PassThrough } from 'node:stream';
import { EVIDENCE_KINDS, type EvidenceKind, t } from '@shuangyong/shared';
import { badRequest } from '../../platform/errors.js';
import { readTableAll, writeXlsxStream } from '../../platform/files/index.js';
import type { ElementRow, ItemRow, StandardRow, VetoRow } from './modelcity.repo.js';
import { kindsOf } from './readiness.js';

/**
 * The assessment table as an xlsx (the template a city fills in with its province's detailed
 * rules, decisions/0046): one row per scoring element under its standard and item, then one row
 * per one-vote-veto condition. Export and import are exact inverses, so a round exported and
 * imported again gives the same cells.
 */
const COLUMNS = [
  'kind',
  'standardSeq',
  'standard',
  'itemSeq',
  'content',
  'rule',
  'itemPoints',
  'elementSeq',
  'element',
  'points',
  'kinds',
  'minCount',
] as const;
const KIND_ELEMENT = () => t('modelcity.table.kindElement');
const KIND_VETO = () => t('modelcity.table.kindVeto');
const SEP = '、';

export interface TableData {
  standards: StandardRow[];
  items: ItemRow[];
  elements: ElementRow[];
  vetoes: VetoRow[];
}

/** The table's rows as the template's cells (points in points, not hundredths). */
export function tableRows(d: TableData): Record<(typeof COLUMNS)[number], string | number>[] {
  const rows: Record<(typeof COLUMNS)[number], string | number>[] = [];
  for (const s of d.standards)
    for (const i of d.items.filter((x) => x.standard_id === s.id))
      for (const e of d.elements.filter((x) => x.item_id === i.id))
        rows.push({
          kind: KIND_ELEMENT(),
          standardSeq: s.seq,
          standard: s.title,
          itemSeq: i.seq,
          content: i.content,
          rule: i.rule,
          itemPoints: i.points / 100,
          elementSeq: e.seq,
          element: e.text,
          points: e.points / 100,
          kinds: kindsOf(e)
            .map((k) => t(`modelcity.kind.${k}`))
            .join(SEP),
          minCount: e.min_count,
        });
  for (const v of d.vetoes)
    rows.push({
      kind: KIND_VETO(),
      standardSeq: '',
      standard: '',
      itemSeq: '',
      content: '',
      rule: '',
      itemPoints: '',
      elementSeq: v.seq,
      element: v.text,
      points: '',
      kinds: '',
      minCount: '',
    });
  return rows;
}

export async function tableXlsx(d: TableData): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await writeXlsxStream(out, {
    sheetName: t('modelcity.table.sheet'),
    columns: COLUMNS.map((key) => ({ header: t(`modelcity.table.col.${key}`), key, width: 12 })),
    rows: tableRows(d),
  });
  await done;
  return Buffer.concat(chunks);
}

/** A table read from the template, before ids: what `importRound` inserts. */
export interface ParsedTable {
  standards: {
    seq: number;
    title: string;
    items: {
      seq: number;
      content: string;
      rule: string;
      points: number;
      elements: { seq: number; text: string; points: number; kinds: EvidenceKind[]; minCount: number }[];
    }[];
  }[];
  vetoes: { seq: number; text: string }[];
}

/**
 * Reads the template back. Refuses (400, naming the row) a header that is not the template's, a
 * number that is not one, an evidence kind it does not know, sequence numbers out of order, an
 * item whose content or total differs between its rows, or a table without elements.
 */
export async function parseTable(buf: Buffer): Promise<ParsedTable> {
  const rows = await readTableAll(buf, { maxRows: 5000, maxColumns: COLUMNS.length });
  const header = rows.shift();
  const expected = COLUMNS.map((k) => t(`modelcity.table.col.${k}`));
  if (!header || expected.some((h, i) => (header.cells[i] ?? '').trim() !== h))
    throw badRequest('table_header', 'modelcity.table.badHeader', { columns: expected.join('、') });
  const kindOf = new Map(EVIDENCE_KINDS.map((k) => [t(`modelcity.kind.${k}`), k]));
  const out: ParsedTable = { standards: [], vetoes: [] };
  for (const r of rows) {
    const cell = (k: (typeof COLUMNS)[number]) => (r.cells[COLUMNS.indexOf(k)] ?? '').trim();
    const bad = (what: string) => badRequest('table_row', 'modelcity.table.badRow', { row: r.rowNumber, what });
    const int = (k: (typeof COLUMNS)[number]) => {
      const n = Number(cell(k));
      if (!Number.isInteger(n) || n < 1) throw bad(t(`modelcity.table.col.${k}`));
      return n;
    };
    const hundredths = (k: (typeof COLUMNS)[number]) => {
      const n = Math.round(Number(cell(k)) * 100);
      if (!cell(k) || !Number.isFinite(n) || n < 0 || n > 100_000) throw bad(t(`modelcity.table.col.${k}`));
      return n;
    };
    const text = (k: (typeof COLUMNS)[number], max: number) => {
      const v = cell(k);
      if (!v || v.length > max) throw bad(t(`modelcity.table.col.${k}`));
      return v;
    };
    if (cell('kind') === KIND_VETO()) {
      const seq = int('elementSeq');
      if (seq !== out.vetoes.length + 1) throw bad(t('modelcity.table.col.elementSeq'));
      out.vetoes.push({ seq, text: text('element', 500) });
      continue;
    }
    if (cell('kind') !== KIND_ELEMENT()) throw bad(t('modelcity.table.col.kind'));
    const sSeq = int('standardSeq');
    let s = out.standards.at(-1);
    if (!s || s.seq !== sSeq) {
      if (sSeq !== out.standards.length + 1) throw bad(t('modelcity.table.col.standardSeq'));
      s = { seq: sSeq, title: text('standard', 100), items: [] };
      out.standards.push(s);
    } else if (s.title !== text('standard', 100)) throw bad(t('modelcity.table.col.standard'));
    const iSeq = int('itemSeq');
    let i = s.items.at(-1);
    if (!i || i.seq !== iSeq) {
      if (iSeq !== s.items.length + 1) throw bad(t('modelcity.table.col.itemSeq'));
      i = {
        seq: iSeq,
        content: text('content', 500),
        rule: text('rule', 500),
        points: hundredths('itemPoints'),
        elements: [],
      };
      s.items.push(i);
    } else if (i.content !== text('content', 500) || i.points !== hundredths('itemPoints'))
      throw bad(t('modelcity.table.col.content'));
    const eSeq = int('elementSeq');
    if (eSeq !== i.elements.length + 1) throw bad(t('modelcity.table.col.elementSeq'));
    const kinds = text('kinds', 200)
      .split(/[、,，]/)
      .map((k) => kindOf.get(k.trim()));
    if (kinds.some((k) => !k)) throw bad(t('modelcity.table.col.kinds'));
    i.elements.push({
      seq: eSeq,
      text: text('element', 500),
      points: hundredths('points'),
      kinds: kinds as EvidenceKind[],
      minCount: int('minCount'),
    });
  }
  if (!out.standards.length) throw badRequest('table_empty', 'modelcity.table.empty');
  return out;
}
