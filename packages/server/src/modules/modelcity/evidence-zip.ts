import fs from 'node:fs';
import path from 'node:path';
import { type ModelEvidence, t } from '@shuangyong/shared';
import type { Actor } from '../../platform/auth/actor.js';
import { escapeCell } from '../../platform/files/export.js';
import type { ZipInput } from '../../platform/files/zip-write.js';
import { writeZip } from '../../platform/files/zip-write.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import { LISTED_PER_ELEMENT, type ModelCityService } from './modelcity.service.js';

export const EVIDENCE_ZIP_KIND = 'modelcity.evidence-zip';
export const EVIDENCE_ZIP_ARTEFACT = 'evidence.zip';

const EXT_OF_TYPE: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
};

/**
 * A name part of the zip: no path separators or characters Windows refuses, digit runs that could
 * be an ID or phone number masked (personal data never goes into a name), at most `max` characters.
 */
export function zipNamePart(s: string, max = 40): string {
  const clean = s
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
    .replace(/\d{6,}[\dXx]?/g, '＊')
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
 * 佐证材料包: the evidence files of a round within the exporter's scope, in folders named by
 * standard and item (`1 组织领导坚强有力/1.3 …/`), each named by date and title, with a manifest
 * (CSV, UTF-8 with BOM so Excel opens it) that lists every piece — records filed from visits,
 * needs, campaigns and the other modules have no file and appear there only. Streamed into the
 * sealed artefact one file at a time (decisions/0049), with progress.
 */
export class EvidenceZipJob implements JobHandler {
  readonly permission = 'modelcity:read' as const;
  constructor(
    private readonly jobs: Jobs,
    private readonly modelcity: ModelCityService,
    private readonly actorOf: (job: JobContext['job']) => Promise<Actor>,
  ) {}

  async validate(ctx: JobContext) {
    const actor = await this.actorOf(ctx.job);
    const roundId = typeof ctx.params.roundId === 'string' ? ctx.params.roundId : undefined;
    const { round, scored, byElement } = await this.modelcity.scored(actor, roundId, LISTED_PER_ELEMENT.zip);
    const files = await this.modelcity.fileFacts([...byElement.values()].flat().map((e) => e.id));
    const lines: Line[] = [];
    const used = new Set<string>();
    for (const s of scored.standards) {
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
    const total = withFiles.length;
    await ctx.progress(0, total);
    const stamp = new Date();
    async function* entries(): AsyncGenerator<ZipInput> {
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
        done++;
        if (done % 20 === 0 || done === total) await ctx.progress(done, total);
      }
    }
    await this.jobs.writeArtefactStream(ctx.job.id, EVIDENCE_ZIP_ARTEFACT, writeZip(entries()));
    // an element with more pieces than the zip lists (LISTED_PER_ELEMENT.zip) is named in the result
    const truncated = scored.standards.flatMap((st) =>
      st.items.flatMap((i) =>
        i.elements.filter((e) => e.fresh + e.stale > (byElement.get(e.row.id)?.length ?? 0)).map((e) => e.code),
      ),
    );
    return { round: round.id, evidence: lines.length, files: total, truncated };
  }
}

function manifestRow(l: Line): string[] {
  const ev = l.ev;
  const kind = ev.docType ? t(`modelcity.docType.${ev.docType}`) : t(`modelcity.kind.${ev.sourceKind}`);
  return [l.item, l.element, ev.title, ev.date, kind, ev.orgName, l.entry ?? t('modelcity.zip.noFile')];
}
