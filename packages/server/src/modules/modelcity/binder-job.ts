import { type ModelEvidence, maskPersonalData, t } from '@shuangyong/shared';
import type { Actor } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { render } from '../../platform/files/render-pool.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import { BINDER_RENDER } from './binder-render.js';
import { evidenceZip } from './evidence-zip.js';
import { LISTED_PER_ELEMENT, type ModelCityService } from './modelcity.service.js';

export const BINDER_KIND = 'modelcity.binder';
/** The three files of the binder, by the part named in the download route. */
export const BINDER_PARTS = {
  docx: {
    artefact: 'binder.docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    summary: '下载创建档案（DOCX，目录：标准—项目—要素—佐证材料）',
    file: () => `${t('modelcity.binder.title')}.docx`,
  },
  xlsx: {
    artefact: 'self-assessment.xlsx',
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    summary: '下载自评表（XLSX，考评组的表样）',
    file: () => `${t('modelcity.xlsx.sheet')}.xlsx`,
  },
  zip: {
    artefact: 'evidence.zip',
    type: 'application/zip',
    summary: '下载佐证材料包（zip，按标准、项目分文件夹）',
    file: () => `${t('modelcity.zip.name')}.zip`,
  },
} as const;
export type BinderPart = keyof typeof BINDER_PARTS;

/** What the job was started with (`POST /modelcity/binder`). */
export interface BinderParams {
  roundId: string;
  /** The evidence listed: dated within [from, to] (the round's period unless chosen). */
  from: string;
  to: string;
  /** Personal data in titles shown in clear: only for a holder of beneficiary:reveal, audited at the start. */
  reveal: boolean;
}

/**
 * 创建档案 as one job (decisions/0053): for a round and a period, within its creator's scope, the
 * DOCX (standard → item → element → evidence with dates and owners), the self-assessment xlsx in
 * the inspectors' layout and the zip of the evidence files in matching folders — three artefacts
 * of one run, built from one read of the scored table so they agree. ID and phone numbers in the
 * evidence titles are masked by the registry's detectors unless the creator asked to reveal and
 * still holds beneficiary:reveal when the job runs.
 */
export class BinderJob implements JobHandler {
  readonly permission = 'modelcity:read' as const;
  constructor(
    private readonly p: Platform,
    private readonly jobs: Jobs,
    private readonly modelcity: ModelCityService,
    private readonly actorOf: (job: JobContext['job']) => Promise<Actor>,
  ) {}

  async validate(ctx: JobContext) {
    const actor = await this.actorOf(ctx.job);
    const params = ctx.params as unknown as BinderParams;
    const reveal = params.reveal === true && actor.permissions.has('beneficiary:reveal');
    const { round, scored, byElement } = await this.modelcity.scored(actor, params.roundId, LISTED_PER_ELEMENT.zip);
    const owners = await this.modelcity.ownersOf(round.id);
    const inPeriod = new Map<string, ModelEvidence[]>();
    for (const [id, list] of byElement)
      inPeriod.set(
        id,
        list
          .filter((e) => e.date >= params.from && e.date <= params.to)
          .map((e) => (reveal ? e : { ...e, title: maskPersonalData(e.title) })),
      );
    const files = await this.modelcity.fileFacts([...inPeriod.values()].flat().map((e) => e.id));
    const zip = evidenceZip(scored.standards, inPeriod, files);
    const total = zip.files + 2;
    await ctx.progress(0, total);

    // archiver loads at the first binder, not at start-up (docs/decisions/0063); docx and exceljs
    // load in the render worker
    const { writeZip } = await import('../../platform/files/zip-write.js');
    const input = {
      round,
      scopeName: actor.scope.kind === 'all' ? t('modelcity.scope.city') : actor.orgName,
      period: { from: params.from, to: params.to },
      standards: scored.standards,
      points: scored.points,
      score: scored.score,
      evidence: inPeriod,
      owners,
      today: localToday(this.p.config.tzDisplay),
    };
    // the DOCX and the xlsx are made in the render worker (decisions/0077), off the event loop
    const { docx, xlsx } = await render(BINDER_RENDER, input);
    this.jobs.writeArtefact(ctx.job.id, BINDER_PARTS.docx.artefact, docx);
    this.jobs.writeArtefact(ctx.job.id, BINDER_PARTS.xlsx.artefact, xlsx);
    await ctx.progress(2, total);
    await this.jobs.writeArtefactStream(
      ctx.job.id,
      BINDER_PARTS.zip.artefact,
      writeZip(
        zip.entries(async (done) => {
          if (done % 20 === 0 || done === zip.files) await ctx.progress(done + 2, total);
        }),
      ),
    );
    // an element with more pieces than the binder lists (LISTED_PER_ELEMENT.zip) is named in the result
    const truncated = scored.standards.flatMap((st) =>
      st.items.flatMap((i) =>
        i.elements.filter((e) => e.fresh + e.stale > (byElement.get(e.row.id)?.length ?? 0)).map((e) => e.code),
      ),
    );
    return {
      round: round.id,
      from: params.from,
      to: params.to,
      revealed: reveal,
      evidence: zip.lines,
      files: zip.files,
      truncated,
    };
  }
}
