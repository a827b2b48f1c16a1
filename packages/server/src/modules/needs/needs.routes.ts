import fs from 'node:fs';
import {
  createNeedBody,
  idParams,
  idSchema,
  NEED_ATTACHMENT_PURPOSES,
  type NeedDetail,
  needAcceptAssignBody,
  needAssignBody,
  needAttachmentSchema,
  needCommentBody,
  needConfirmBody,
  needDetail,
  needListQuery,
  needMergeBody,
  needNoteBody,
  needPage,
  needReasonBody,
  needResolveBody,
  needTagsBody,
  plainText,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import { MAX_ATTACHMENT_BYTES, type NeedAttachments } from './needs.attachments.js';
import type { NeedNotes } from './needs.notes.js';
import type { NeedsService } from './needs.service.js';

const tags = ['急难愁盼问题'];
const need = { target: 'need' } as const;

const attachmentQuery = z.strictObject({
  // folders, controls and reserved names are taken off by cleanFileName, as on every upload route
  fileName: plainText(200),
  purpose: z.enum(NEED_ATTACHMENT_PURPOSES).default('material'),
  militaryOnly: z.enum(['true', 'false']).optional(),
});
const attachmentParams = z.strictObject({ id: idSchema, attachmentId: idSchema });

/** The case itself: intake, list, detail, the life-cycle actions, comments, tags, attachments. */
export function needsRoutes(
  p: Platform,
  needs: NeedsService,
  notes: NeedNotes,
  files: NeedAttachments,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/needs',
      {
        config: { access: { permission: 'need:read' } },
        schema: {
          tags,
          summary: '问题列表（本单位提出的、分派给本部门的、辖区内的；市级全部）',
          querystring: needListQuery,
          response: { 200: needPage },
        },
      },
      async (req) => needs.page(ctxOf(req), req.query),
    );

    app.post(
      '/needs',
      {
        config: { access: { permission: 'need:create' } },
        schema: {
          tags,
          summary: '提交问题（部队联络员提出，或工作人员代家庭登记）',
          body: createNeedBody,
          response: { 201: needDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await needs.create(ctxOf(req), req.body)),
    );

    app.get(
      '/needs/:id',
      {
        config: { access: { permission: 'need:read', ...need } },
        schema: {
          tags,
          summary: '问题详情与办理过程（地方用户看不到仅军方可见的内容）',
          params: idParams,
          response: { 200: needDetail },
        },
      },
      async (req) => needs.detail(ctxOf(req), req.params.id),
    );

    const action = <B extends z.ZodTypeAny>(
      path: string,
      permission: 'need:triage' | 'need:handle' | 'need:create',
      summary: string,
      body: B,
      run: (ctx: ReturnType<typeof ctxOf>, id: string, b: z.infer<B>) => Promise<NeedDetail>,
    ) =>
      app.post(
        `/needs/:id/${path}`,
        {
          // accepting or assigning hands the case over: decided by the city, never its requester
          config: {
            access: {
              permission,
              ...need,
              ...(['accept', 'assign', 'accept-assign'].includes(path) ? { approves: 'need.handover' as const } : {}),
            },
          },
          schema: { tags, summary, params: idParams, body, response: { 200: needDetail } },
        },
        async (req) => run(ctxOf(req), req.params.id, req.body as z.infer<B>),
      );

    action('accept', 'need:triage', '受理（按类别计算办理时限，工作日）', needNoteBody, (c, id, b) =>
      needs.workflow.accept(c, id, b),
    );
    action('decline', 'need:triage', '退回（须说明理由）', needReasonBody, (c, id, b) =>
      needs.workflow.decline(c, id, b),
    );
    action('merge', 'need:triage', '合并重复问题', needMergeBody, (c, id, b) => needs.workflow.merge(c, id, b));
    action('assign', 'need:triage', '分派牵头部门和协办部门', needAssignBody, (c, id, b) =>
      needs.workflow.assign(c, id, b),
    );
    action(
      'accept-assign',
      'need:triage',
      '受理并分派（一步完成：牵头部门、协办部门、办理时限）',
      needAcceptAssignBody,
      (c, id, b) => needs.workflow.acceptAndAssign(c, id, b),
    );
    action('start', 'need:handle', '牵头部门开始办理', needNoteBody, (c, id, b) => needs.workflow.start(c, id, b));
    action('resolve', 'need:handle', '办复（办理结果和佐证材料）', needResolveBody, (c, id, b) =>
      needs.workflow.resolve(c, id, b),
    );
    action('confirm', 'need:create', '提出单位确认并评价（1—5 星）', needConfirmBody, (c, id, b) =>
      needs.workflow.confirm(c, id, b),
    );
    action('close', 'need:triage', '办结', needNoteBody, (c, id, b) => needs.workflow.close(c, id, b));
    action('reopen', 'need:create', '提出单位要求重新办理（仅一次，须说明理由）', needReasonBody, (c, id, b) =>
      needs.workflow.reopen(c, id, b),
    );

    app.post(
      '/needs/:id/comments',
      {
        config: { access: { permission: 'need:read', ...need } },
        schema: {
          tags,
          summary: '添加办理说明（军方可标为仅军方可见）',
          params: idParams,
          body: needCommentBody,
          response: { 200: needDetail },
        },
      },
      async (req) => {
        await notes.comment(ctxOf(req), req.params.id, req.body);
        return needs.detail(ctxOf(req), req.params.id);
      },
    );

    app.put(
      '/needs/:id/tags',
      {
        config: { access: { permission: 'need:triage', ...need } },
        schema: {
          tags,
          summary: '专项标记（聚焦一线、聚力解难等）',
          params: idParams,
          body: needTagsBody,
          response: { 200: needDetail },
        },
      },
      async (req) => {
        await notes.setTags(ctxOf(req), req.params.id, req.body);
        return needs.detail(ctxOf(req), req.params.id);
      },
    );

    app.post(
      '/needs/:id/attachments',
      {
        bodyLimit: MAX_ATTACHMENT_BYTES + 1,
        config: { access: { permission: 'need:read', ...need }, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '上传附件（PDF、JPEG、PNG，按内容识别；图片去除 EXIF 等元数据）',
          params: idParams,
          querystring: attachmentQuery,
          response: { 201: needAttachmentSchema },
        },
      },
      async (req, reply) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        return reply.code(201).send(await files.upload(ctxOf(req), req.params.id, req.query, data));
      },
    );

    app.get(
      '/needs/:id/attachments/:attachmentId',
      {
        config: { access: { permission: 'need:read', ...need } },
        schema: { tags, summary: '下载附件', params: attachmentParams },
      },
      async (req, reply) => {
        const { row, file } = await files.get(ctxOf(req), req.params.id, req.params.attachmentId);
        await auditDownload(p, req, {
          kind: 'need_attachment',
          entityType: 'need_attachment',
          entityId: req.params.attachmentId,
          // the name of a military-only attachment is itself military-only: the audit trail keeps ids
          extra: { needId: req.params.id },
        });
        return reply
          .type(row.content_type)
          .header('content-disposition', attachment(row.file_name))
          .header('x-content-type-options', 'nosniff')
          .send(fs.createReadStream(file));
      },
    );
  };
}
