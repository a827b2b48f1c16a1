import fs from 'node:fs';
import path from 'node:path';
import { type ModelEvidence, t } from '@shuangyong/shared';
import { escapeCell } from '../../platform/files/export.js';
import type { ZipInput } from '../../platform/files/zip-write.js';
import type { ScoredStandard } from './readiness.js';

const EXT_OF_TYPE: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/**
 * A name part of the zip: no path separators or characters Windows refuses, the masks of masked
 * personal data written full-width (＊ is a valid name character, * is not), at most `max`
 * characters. The caller masks personal data first (the binder job, unless the exporter reveals).
 */
export function zipNamePart(s: string, max = 40): string {
  const clean = s
    .replace(/\*/g, '＊')
    .replace(/[\\/:?"<>|\p{Cc}]/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const chars = [...clean];
  return (chars.length > max ? `${chars.slice(0, max).join('')}…` : clean) || '_';
}

const extOf = (e: { fileName: string | null }, contentType: string | null | undefined) => {
  const fromName = e.fileName ? path.extname(e.fileName).slice(1).toLowerCase() : '';
  if (/^[a-z0-9]{1,5}$/.test(fromName)) return fromName;
  return EXT_OF_TYPE[contentType ?? ''] ?? 'bin';
};

const csvCell = (v: string) => {
  const s = String(escapeCell(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

interface Line {
  item: string;
  element: string;
  ev: ModelEvidence;
  /** Path in the zip, when the evidence is a file. */
  entry?: string;
  file?: string;
}

/**
 * 佐证材料包: the evidence files in folders named by standard and item (`1 组织领导坚强有力/1.3 …/`),
 * each named by date and title, with a manifest (CSV, UTF-8 with BOM so Excel opens it) that lists
 * every piece — records filed from visits, needs, campaigns and the other modules have no file and
 * appear there only. The titles come masked or not as the binder job decided. Streamed one file at
 * a time (decisions/0049); `onFile` is told after each file.
 */
export function evidenceZip(
  standards: readonly ScoredStandard[],
  byElement: ReadonlyMap<string, ModelEvidence[]>,
  files: ReadonlyMap<string, { path: string; contentType: string | null }>,
) {
  const lines: Line[] = [];
  const used = new Set<string>();
  for (const s of standards) {
    const sDir = zipNamePart(`${s.row.seq} ${s.row.title}`);
    for (const i of s.items) {
      const iDir = `${sDir}/${zipNamePart(`${i.code} ${i.row.content}`)}`;
      for (const e of i.elements)
        for (const ev of byElement.get(e.row.id) ?? []) {
          const line: Line = { item: i.code, element: `${e.code} ${e.row.text}`, ev };
          const file = ev.fileName ? files.get(ev.id) : undefined;
          if (file) {
            const stem = `${iDir}/${zipNamePart(`${ev.date} ${ev.title}`, 60)}`;
            const ext = extOf(ev, file.contentType);
            let entry = `${stem}.${ext}`;
            if (used.has(entry)) entry = `${stem}-${ev.id.slice(-6)}.${ext}`;
            used.add(entry);
            line.entry = entry;
            line.file = file.path;
          }
          lines.push(line);
        }
    }
  }
  const header = ['item', 'element', 'title', 'date', 'kind', 'org', 'file'].map((k) => t(`modelcity.zip.${k}`));
  const manifest = [header, ...lines.map((l) => manifestRow(l))].map((r) => r.map(csvCell).join(',')).join('\r\n');
  const withFiles = lines.filter((l) => l.file);
  const stamp = new Date();
  return {
    lines: lines.length,
    files: withFiles.length,
    async *entries(onFile: (done: number) => Promise<void>): AsyncGenerator<ZipInput> {
      yield {
        name: `${t('modelcity.zip.manifest')}.csv`,
        data: Buffer.from(`\uFEFF${manifest}\r\n`, 'utf8'),
        date: stamp,
      };
      let done = 0;
      for (const l of withFiles) {
        // a file removed since the list was read is left out; the manifest still names it
        const data = await fs.promises.readFile(l.file!).catch(() => undefined);
        if (data) yield { name: l.entry!, data, date: new Date(`${l.ev.date}T12:00:00Z`) };
        await onFile(++done);
      }
    },
  };
}

function manifestRow(l: Line): string[] {
  const ev = l.ev;
  const kind = ev.docType ? t(`modelcity.docType.${ev.docType}`) : t(`modelcity.kind.${ev.sourceKind}`);
  return [l.item, l.element, ev.title, ev.date, kind, ev.orgName, l.entry ?? t('modelcity.zip.noFile')];
}
