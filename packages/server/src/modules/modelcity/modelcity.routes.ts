import fs from 'node:fs';
import {
  evidenceSchema,
  idParams,
  importRoundQuery,
  jobSchema,
  readinessQuery,
  readinessSchema,
  removeEvidenceBody,
  roundList,
  roundSchema,
  suggestionList,
  t,
  tagEvidenceBody,
  trendSchema,
  uploadEvidenceQuery,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { toJob } from '../../platform/jobs/present.js';
import { binderDocx, selfAssessmentXlsx } from './binder.js';
import { EVIDENCE_ZIP_ARTEFACT, EVIDENCE_ZIP_KIND } from './evidence-zip.js';
import { LISTED_PER_ELEMENT, MAX_EVIDENCE_BYTES, type ModelCityService } from './modelcity.service.js';

const tags = ['创建双拥模范城'];
const evidence = { target: 'modelEvidence' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The assessment table, readiness, evidence and the binder. Thin: the service decides. */
export function modelcityRoutes(p: Platform, s: ModelCityService, jobs: Jobs): FastifyPluginAsyncZod {
  const today = () => localToday(p.config.tzDisplay);
  const binderInput = async (req: Parameters<typeof ctxOf>[0], roundId?: string) => {
    const ctx = ctxOf(req);
    const { round, scored, byElement } = await s.scored(ctx.actor, roundId, LISTED_PER_ELEMENT.binder);
    return {
      round,
      scopeName: ctx.actor.scope.kind === 'all' ? t('modelcity.scope.city') : ctx.actor.orgName,
      standards: scored.standards,
      points: scored.points,
      score: scored.score,
      evidence: byElement,
      today: today(),
    };
  };

  return async (app) => {
    app.addContentTypeParser(
      [
        'application/octet-stream',
        'application/pdf',
        'image/jpeg',
        'image/png',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      { parseAs: 'buffer', bodyLimit: MAX_EVIDENCE_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/modelcity/rounds',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: { tags, summary: '考评标准的届次（各届并存）', response: { 200: roundList } },
      },
      async () => s.rounds(),
    );

    app.get(
      '/modelcity/table.xlsx',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: { tags, summary: '考评细则（XLSX 模板，可修改后导入为新一届）', querystring: readinessQuery },
      },
      async (req, reply) => {
        const { data } = await s.tableXlsx(req.query.roundId);
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`${t('modelcity.table.file')}.xlsx`))
          .send(data);
      },
    );

    app.post(
      '/modelcity/rounds/import',
      {
        bodyLimit: MAX_EVIDENCE_BYTES + 1,
        config: { access: { permission: 'modelcity:write' } },
        schema: {
          tags,
          summary: '导入考评细则（XLSX 模板）为新的一届，与已有各届并存',
          querystring: importRoundQuery,
          response: { 201: roundSchema },
        },
      },
      async (req, reply) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        if (ctxOf(req).actor.scope.kind !== 'all') throw new AppError(403, 'forbidden', 'modelcity.cityOnly');
        return reply.code(201).send(await s.importRound(ctxOf(req), req.query, data));
      },
    );

    app.get(
      '/modelcity/trend',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: { tags, summary: '各届自评得分（本单位及所辖范围），看达标趋势', response: { 200: trendSchema } },
      },
      async (req) => s.trend(ctxOf(req)),
    );

    app.get(
      '/modelcity/readiness',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: {
          tags,
          summary: '达标情况：按考评细则逐项计分（本单位及所辖单位的佐证材料；市级看全市），缺项清单',
          querystring: readinessQuery,
          response: { 200: readinessSchema },
        },
      },
      async (req) => s.readiness(ctxOf(req), req.query.roundId),
    );

    app.get(
      '/modelcity/suggestions',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: {
          tags,
          summary: '建议归档：已有记录中按规则可作佐证、尚未归档的（经人确认后归档）',
          querystring: readinessQuery,
          response: { 200: suggestionList },
        },
      },
      async (req) => s.suggestions(ctxOf(req), req.query.roundId),
    );

    app.post(
      '/modelcity/evidence',
      {
        config: { access: { permission: 'modelcity:write' } },
        schema: {
          tags,
          summary: '把平台中的记录（已发布的宣传稿件）归档为某一评分要素的佐证材料',
          body: tagEvidenceBody,
          response: { 201: evidenceSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await s.tag(ctxOf(req), req.body)),
    );

    app.post(
      '/modelcity/evidence/upload',
      {
        bodyLimit: MAX_EVIDENCE_BYTES + 1,
        config: { access: { permission: 'modelcity:write' }, rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '上传佐证文件（会议纪要、计划、支付凭证等；PDF、图片、DOCX、XLSX，按内容识别）',
          querystring: uploadEvidenceQuery,
          response: { 201: evidenceSchema },
        },
      },
      async (req, reply) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        return reply.code(201).send(await s.upload(ctxOf(req), req.query, data));
      },
    );

    app.get(
      '/modelcity/evidence/:id/file',
      {
        config: { access: { permission: 'modelcity:read', ...evidence } },
        schema: { tags, summary: '下载佐证文件', params: idParams },
      },
      async (req, reply) => {
        const { row, file } = await s.file(ctxOf(req), req.params.id);
        await auditDownload(p, req, {
          kind: 'modelcity_evidence',
          entityType: 'modelcity_evidence',
          entityId: row.id,
          fileName: row.file_name ?? undefined,
        });
        return reply
          .type(row.content_type ?? 'application/octet-stream')
          .header('content-disposition', attachment(row.file_name ?? row.id))
          .send(fs.createReadStream(file));
      },
    );

    app.post(
      '/modelcity/evidence/:id/remove',
      {
        config: { access: { permission: 'modelcity:write', ...evidence } },
        schema: { tags, summary: '撤回佐证材料（须说明理由）', params: idParams, body: removeEvidenceBody },
      },
      async (req, reply) => {
        await s.remove(ctxOf(req), req.params.id, req.body.reason);
        return reply.code(204).send();
      },
    );

    app.get(
      '/modelcity/binder.docx',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: {
          tags,
          summary: '创建档案（DOCX）：按标准、项目、要素排列的佐证材料目录与自评得分',
          querystring: readinessQuery,
        },
      },
      async (req, reply) => {
        const input = await binderInput(req, req.query.roundId);
        const buf = await binderDocx(input);
        await p.audit.event(p.handle.db, auditActorOf(ctxOf(req)), {
          action: 'modelcity.binder.export',
          entityType: 'modelcity_round',
          entityId: input.round.id,
          changes: { format: 'docx', scope: input.scopeName },
        });
        return reply
          .type(DOCX)
          .header('content-disposition', attachment(`${t('modelcity.binder.title')}.docx`))
          .send(buf);
      },
    );

    app.post(
      '/modelcity/evidence-zip',
      {
        config: { access: { permission: 'modelcity:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '佐证材料包（任务）：按标准、项目分文件夹的佐证文件和材料清单，完成后下载 zip',
          querystring: readinessQuery,
          response: { 202: jobSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const round = await s.round(req.query.roundId);
        const job = await jobs.create(ctx.actor, { id: ctx.actor.orgId, path: ctx.actor.orgPath }, EVIDENCE_ZIP_KIND, {
          roundId: round.id,
        });
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'modelcity.binder.export',
          entityType: 'modelcity_round',
          entityId: round.id,
          changes: {
            format: 'zip',
            job: job.id,
            scope: ctx.actor.scope.kind === 'all' ? t('modelcity.scope.city') : ctx.actor.orgName,
          },
        });
        return reply.code(202).send(toJob(job));
      },
    );

    app.get(
      '/modelcity/evidence-zip/:id',
      {
        config: { access: { permission: 'modelcity:read', target: 'job' } },
        schema: { tags, summary: '下载佐证材料包（zip）', params: idParams },
      },
      async (req, reply) => {
        const job = await jobs.visibleTo(ctxOf(req).actor, req.params.id);
        if (job?.kind !== EVIDENCE_ZIP_KIND || !jobs.hasArtefact(req.params.id, EVIDENCE_ZIP_ARTEFACT))
          throw new AppError(409, 'evidence_zip_not_ready', 'modelcity.zip.notReady');
        const fileName = `${t('modelcity.zip.name')}.zip`;
        await auditDownload(p, req, { kind: 'modelcity_evidence_zip', entityType: 'job', entityId: job.id, fileName });
        return reply
          .type('application/zip')
          .header('content-disposition', attachment(fileName))
          .send(jobs.readArtefact(req.params.id, EVIDENCE_ZIP_ARTEFACT));
      },
    );

    app.get(
      '/modelcity/self-assessment.xlsx',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: { tags, summary: '自评表（XLSX，考评组的表样）', querystring: readinessQuery },
      },
      async (req, reply) => {
        const input = await binderInput(req, req.query.roundId);
        const buf = await selfAssessmentXlsx(input);
        await p.audit.event(p.handle.db, auditActorOf(ctxOf(req)), {
          action: 'modelcity.binder.export',
          entityType: 'modelcity_round',
          entityId: input.round.id,
          changes: { format: 'xlsx', scope: input.scopeName },
        });
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`${t('modelcity.xlsx.sheet')}.xlsx`))
          .send(buf);
      },
    );
  };
}
