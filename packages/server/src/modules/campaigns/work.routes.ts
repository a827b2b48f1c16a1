import fs from 'node:fs';
import {
  addRectificationBody,
  assignmentDetail,
  assignmentListQuery,
  assignmentPage,
  campaignFileSchema,
  createInspectionBody,
  idParams,
  inspectionSchema,
  nudgeBody,
  rectificationRespondBody,
  rectificationReviewBody,
  reminderListSchema,
  reviewBody,
  reviewManyBody,
  reviewManyResult,
  saveDraftBody,
  submitReportBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Campaigns } from './campaigns.facade.js';
import { campaignsRepo, issuerSide } from './campaigns.repo.js';
import { cleanFileName, inspectUpload, MAX_FILE_BYTES } from './files.js';

const tags = ['工作部署：填报、审核、催办、督导'];
const fileQuery = z.strictObject({ fileName: z.string().trim().min(1).max(200) });
const BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024;

function bufferOf(body: unknown): Buffer {
  if (!Buffer.isBuffer(body)) throw new AppError(415, 'unsupported_media_type', 'campaigns.uploadAsOctetStream');
  return body;
}

/** Assignments (填报 and 审核), reminders to one assignee, files, inspections and rectifications. */
export function workRoutes(p: Platform, s: Campaigns): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/assignments',
      {
        config: { access: { permission: 'campaign:read' } },
        schema: {
          tags,
          summary: '任务清单（承办单位：本单位的任务；下发方：全部）',
          querystring: assignmentListQuery,
          response: { 200: assignmentPage },
        },
      },
      async (req) => s.work.list(ctxOf(req), req.query),
    );

    app.get(
      '/assignments/:id',
      {
        config: { access: { permission: 'campaign:read', target: 'assignment' } },
        schema: { tags, summary: '任务填报详情', params: idParams, response: { 200: assignmentDetail } },
      },
      async (req) => s.work.detail(ctxOf(req), req.params.id),
    );

    app.put(
      '/assignments/:id/draft',
      {
        config: { access: { permission: 'campaign:report', target: 'assignment' } },
        schema: {
          tags,
          summary: '暂存填报内容（状态变为“办理中”）',
          params: idParams,
          body: saveDraftBody,
          response: { 200: assignmentDetail },
        },
      },
      async (req) => s.work.saveDraft(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/assignments/:id/submit',
      {
        config: { access: { permission: 'campaign:report', target: 'assignment' } },
        schema: {
          tags,
          summary: '提交填报（文字情况、数据、附件）',
          params: idParams,
          body: submitReportBody,
          response: { 200: assignmentDetail },
        },
      },
      async (req) => s.work.submit(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/assignments/review',
      {
        config: { access: { permission: 'campaign:manage' } },
        schema: {
          tags,
          summary: '批量审核填报：逐条通过或退回（每条单独成败，结果逐条返回）',
          body: reviewManyBody,
          response: { 200: reviewManyResult },
        },
      },
      async (req) => s.work.reviewMany(ctxOf(req), req.body),
    );

    app.post(
      '/assignments/:id/review',
      {
        config: { access: { permission: 'campaign:manage', target: 'assignment', approves: 'campaign.report' } },
        schema: {
          tags,
          summary: '审核填报：通过，或退回修改（须写明原因）',
          params: idParams,
          body: reviewBody,
          response: { 200: assignmentDetail },
        },
      },
      async (req) => s.work.review(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/assignments/:id/nudge',
      {
        config: { access: { permission: 'campaign:manage', target: 'assignment' } },
        schema: { tags, summary: '催办', params: idParams, body: nudgeBody, response: { 200: reminderListSchema } },
      },
      async (req) => s.reminders.nudge(ctxOf(req), req.params.id, req.body ?? {}),
    );

    app.post(
      '/assignments/:id/files',
      {
        bodyLimit: BODY_LIMIT,
        config: { access: { permission: 'campaign:report', target: 'assignment' } },
        schema: {
          tags,
          summary: '上传填报附件（照片、PDF、Word、Excel；按内容识别类型，照片去除位置等元数据，上限 10 MB）',
          params: idParams,
          querystring: fileQuery,
          response: { 201: campaignFileSchema },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await s.work.upload(ctxOf(req), req.params.id, req.query.fileName, bufferOf(req.body))),
    );

    app.post(
      '/campaigns/:id/files',
      {
        bodyLimit: BODY_LIMIT,
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '上传通知附件',
          params: idParams,
          querystring: fileQuery,
          response: { 201: campaignFileSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const name = cleanFileName(req.query.fileName);
        const upload = inspectUpload(bufferOf(req.body));
        const file = await p.handle.db.transaction().execute(async (trx) => {
          const c = await campaignsRepo.campaign(trx, ctx.actor.scope, req.params.id);
          if (!c || !issuerSide(ctx.actor.scope, c)) throw notFound();
          if (c.status === 'closed') throw conflict('campaign_closed', 'campaigns.closed');
          return s.cx.files.store(
            trx,
            ctx,
            { campaignId: c.id, type: 'campaign', id: c.id, orgPath: c.org_path },
            name,
            upload,
          );
        });
        return reply.code(201).send(file);
      },
    );

    app.get(
      '/campaign-files/:id',
      {
        config: { access: { permission: 'campaign:read', target: 'campaignFile' } },
        schema: { tags, summary: '下载附件', params: idParams },
      },
      async (req, reply) => {
        const f = await campaignsRepo.file(p.handle.db, ctxOf(req).actor.scope, req.params.id);
        const file = f ? s.cx.files.fileOf(f.id) : '';
        if (!f || !fs.existsSync(file)) throw notFound();
        await auditDownload(p, req, {
          kind: 'campaign_file',
          entityType: 'campaign_file',
          entityId: f.id,
          fileName: f.file_name,
        });
        return reply
          .type(f.mime)
          .header('content-disposition', attachment(f.file_name))
          .send(fs.createReadStream(file));
      },
    );

    app.get(
      '/campaigns/:id/inspections',
      {
        config: { access: { permission: 'campaign:read', target: 'campaign' } },
        schema: { tags, summary: '督导检查记录', params: idParams, response: { 200: z.array(inspectionSchema) } },
      },
      async (req) => s.supervision.list(ctxOf(req), req.params.id),
    );

    app.post(
      '/campaigns/:id/inspections',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '登记督导检查：发现的问题与整改事项',
          params: idParams,
          body: createInspectionBody,
          response: { 201: inspectionSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await s.supervision.create(ctxOf(req), req.params.id, req.body)),
    );

    app.get(
      '/inspections/:id',
      {
        config: { access: { permission: 'campaign:read', target: 'inspection' } },
        schema: { tags, summary: '督导检查详情', params: idParams, response: { 200: inspectionSchema } },
      },
      async (req) => s.supervision.get(ctxOf(req), req.params.id),
    );

    app.post(
      '/inspections/:id/rectifications',
      {
        config: { access: { permission: 'campaign:manage', target: 'inspection' } },
        schema: {
          tags,
          summary: '追加整改事项',
          params: idParams,
          body: addRectificationBody,
          response: { 200: inspectionSchema },
        },
      },
      async (req) => s.supervision.addRectification(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/rectifications/:id/respond',
      {
        config: { access: { permission: 'campaign:report', target: 'rectification' } },
        schema: {
          tags,
          summary: '被督导单位反馈整改情况',
          params: idParams,
          body: rectificationRespondBody,
          response: { 200: inspectionSchema },
        },
      },
      async (req) => s.supervision.respond(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/rectifications/:id/review',
      {
        config: { access: { permission: 'campaign:manage', target: 'rectification' } },
        schema: {
          tags,
          summary: '整改销号，或退回继续整改（须写明原因）',
          params: idParams,
          body: rectificationReviewBody,
          response: { 200: inspectionSchema },
        },
      },
      async (req) => s.supervision.review(ctxOf(req), req.params.id, req.body),
    );
  };
}
