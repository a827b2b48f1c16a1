import fs from 'node:fs';
import {
  binderBody,
  editItemBody,
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
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { toJob } from '../../platform/jobs/present.js';
import { BINDER_KIND, BINDER_PARTS, type BinderParams, type BinderPart } from './binder-job.js';
import { editItem } from './edit.js';
import { MAX_EVIDENCE_BYTES, type ModelCityService } from './modelcity.service.js';

const tags = ['创建双拥模范城'];
const evidence = { target: 'modelEvidence' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The assessment table, readiness, evidence and the binder. Thin: the service decides. */
export function modelcityRoutes(p: Platform, s: ModelCityService, jobs: Jobs): FastifyPluginAsyncZod {
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

    app.put(
      '/modelcity/items/:id',
      {
        config: { access: { permission: 'modelcity:write', target: 'modelItem' } },
        schema: {
          tags,
          summary:
            '修改考评项目（市级）：项目内容、评分要素的内容、分值和佐证类型，增删评分要素；项目分值为要素分值之和',
          params: idParams,
          body: editItemBody,
          response: { 200: readinessSchema },
        },
      },
      async (req) => {
        const { roundId } = await editItem(p, ctxOf(req), req.params.id, req.body);
        return s.readiness(ctxOf(req), roundId);
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

    app.post(
      '/modelcity/binder',
      {
        config: { access: { permission: 'modelcity:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary:
            '创建档案（任务）：一次生成目录式档案 DOCX、自评表 XLSX 和按标准、项目分文件夹的佐证材料包 zip（默认脱敏）',
          body: binderBody,
          response: { 202: jobSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const { reveal, reason } = req.body;
        if (reveal && !ctx.actor.permissions.has('beneficiary:reveal'))
          throw new AppError(403, 'forbidden', 'modelcity.binder.revealForbidden');
        if (reveal && !reason) throw new AppError(400, 'reason_required', 'modelcity.binder.reasonRequired');
        const round = await s.round(req.body.roundId);
        const from = req.body.from ?? round.period_start;
        const to = req.body.to ?? round.period_end;
        if (to < from) throw new AppError(400, 'period', 'modelcity.binder.badPeriod');
        const params: BinderParams = { roundId: round.id, from, to, reveal };
        const job = await jobs.create(
          ctx.actor,
          { id: ctx.actor.orgId, path: ctx.actor.orgPath },
          BINDER_KIND,
          params as unknown as Record<string, unknown>,
        );
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'modelcity.binder.export',
          entityType: 'modelcity_round',
          entityId: round.id,
          changes: {
            format: 'docx+xlsx+zip',
            job: job.id,
            from,
            to,
            revealed: reveal,
            reason: reason ?? null,
            scope: ctx.actor.scope.kind === 'all' ? t('modelcity.scope.city') : ctx.actor.orgName,
          },
        });
        return reply.code(202).send(toJob(job));
      },
    );

    for (const part of Object.keys(BINDER_PARTS) as BinderPart[]) {
      const f = BINDER_PARTS[part];
      app.get(
        `/modelcity/binder/:id/${part}`,
        {
          config: { access: { permission: 'modelcity:read', target: 'job' } },
          schema: { tags, summary: f.summary, params: idParams },
        },
        async (req, reply) => {
          const job = await jobs.visibleTo(ctxOf(req).actor, req.params.id);
          if (job?.kind !== BINDER_KIND || !jobs.hasArtefact(req.params.id, f.artefact))
            throw new AppError(409, 'binder_not_ready', 'modelcity.binder.notReady');
          const fileName = f.file();
          await auditDownload(p, req, {
            kind: `modelcity_binder_${part}`,
            entityType: 'job',
            entityId: job.id,
            fileName,
          });
          return reply
            .type(f.type)
            .header('content-disposition', attachment(fileName))
            .send(jobs.readArtefact(req.params.id, f.artefact));
        },
      );
    }
  };
}
