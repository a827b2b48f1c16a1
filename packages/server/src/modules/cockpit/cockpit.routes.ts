import {
  briefFileQuery,
  briefList,
  briefSchema,
  cockpitQuery,
  cockpitSchema,
  createBriefBody,
  idParams,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Platform } from '../../platform/context.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { BriefsService } from './briefs.service.js';
import type { CockpitService } from './cockpit.service.js';

const tags = ['领导驾驶舱'];

/** The cockpit's aggregates and the daily briefs: for everyone with dashboard:read, in their own scope. */
export function cockpitRoutes(p: Platform, cockpit: CockpitService, briefs: BriefsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/cockpit',
      {
        config: { access: { permission: 'dashboard:read' } },
        schema: {
          tags,
          summary: '驾驶舱汇总（任务完成率、走访覆盖、每日走访、急难愁盼时限、经费、排名；只含汇总数）',
          querystring: cockpitQuery,
          response: { 200: cockpitSchema },
        },
      },
      async (req) => cockpit.cockpit(ctxOf(req), req.query.campaignId),
    );

    app.get(
      '/cockpit/briefs',
      {
        config: { access: { permission: 'dashboard:read' } },
        schema: { tags, summary: '某工作部署的历次每日简报', querystring: cockpitQuery, response: { 200: briefList } },
      },
      async (req) => briefs.list(ctxOf(req), req.query.campaignId),
    );

    app.post(
      '/cockpit/briefs',
      {
        config: { access: { permission: 'dashboard:read' } },
        schema: {
          tags,
          summary: '生成今日简报（DOCX 与 PDF；同日再生成则替换；公开版须通过保密检查；领导只读）',
          body: createBriefBody,
          response: { 201: briefSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await briefs.generate(ctxOf(req), req.body)),
    );

    app.get(
      '/cockpit/briefs/:id/file',
      {
        config: { access: { permission: 'dashboard:read', target: 'cockpitBrief' } },
        schema: { tags, summary: '下载每日简报（DOCX 或 PDF）', params: idParams, querystring: briefFileQuery },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const file = await briefs.file(ctx, req.params.id, req.query.format);
        await auditDownload(p, req, {
          kind: 'cockpit_brief',
          entityType: 'cockpit_brief',
          entityId: req.params.id,
          fileName: file.name,
        });
        return reply.type(file.mime).header('content-disposition', attachment(file.name)).send(file.data);
      },
    );
  };
}
