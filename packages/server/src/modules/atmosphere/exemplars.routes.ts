import { PassThrough } from 'node:stream';
import {
  createExemplarBody,
  exemplarDetail,
  exemplarExportQuery,
  exemplarLinkBody,
  exemplarLinkParams,
  exemplarListQuery,
  exemplarPage,
  exemplarReviewBody,
  idParams,
  publicityVersionBody,
  t,
  updateExemplarBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { type ExportColumn, writeXlsxStream } from '../../platform/files/index.js';
import { attachment } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { ExemplarsService } from './exemplars.service.js';

const tags = ['营造双拥氛围'];
const exemplar = { target: 'exemplar' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const COLUMNS = ['year', 'type', 'subject', 'name', 'summary', 'org', 'concerned', 'status', 'publishedOn'] as const;

/** 双拥先进典型: nomination, the city's review, the profile through the confidentiality review, the register. */
export function exemplarsRoutes(p: Platform, exemplars: ExemplarsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/exemplars',
      {
        config: { access: { permission: 'publicity:read' } },
        schema: {
          tags,
          summary: '先进典型名录（按年度、类别；本单位及所辖的推荐，及全市已公开的典型）',
          querystring: exemplarListQuery,
          response: { 200: exemplarPage },
        },
      },
      async (req) => exemplars.page(ctxOf(req), req.query),
    );

    app.get(
      '/exemplars/export',
      {
        config: { access: { permission: 'publicity:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '导出先进典型名录（xlsx；个人信息不导出）', querystring: exemplarExportQuery },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const rows = await exemplars.register(ctx, req.query);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'exemplar.export',
          entityType: 'exemplar',
          changes: { filters: req.query, rows: rows.length },
        });
        const name = t('exemplars.exportFileName');
        const columns: ExportColumn[] = COLUMNS.map((key) => ({
          key,
          header: t(`exemplars.col.${key}`),
          width: key === 'summary' ? 48 : key === 'name' || key === 'org' ? 24 : 12,
        }));
        const out = new PassThrough();
        reply.type(XLSX).header('content-disposition', attachment(`${name}.xlsx`));
        writeXlsxStream(out, {
          sheetName: name,
          columns,
          rows: rows.map((r) => ({
            year: r.year,
            type: r.typeName,
            subject: t(`exemplars.subject.${r.subject}`),
            name: r.name,
            summary: r.summary,
            org: r.orgName,
            concerned: r.concernedOrgName ?? '',
            status: t(`exemplars.status.${r.status}`),
            publishedOn: r.publishedOn ?? '',
          })),
        }).catch((err) => {
          req.log.error({ err }, 'export failed');
          out.destroy(err);
        });
        return reply.send(out);
      },
    );

    app.post(
      '/exemplars',
      {
        config: { access: { permission: 'publicity:write' } },
        schema: {
          tags,
          summary: '推荐先进典型（事迹为结构化内容，不接受 HTML；个人信息加密保存、脱敏显示）',
          body: createExemplarBody,
          response: { 201: exemplarDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await exemplars.create(ctxOf(req), req.body)),
    );

    app.get(
      '/exemplars/:id',
      {
        config: { access: { permission: 'publicity:read', ...exemplar } },
        schema: {
          tags,
          summary: '先进典型详情：保密检查结果、审核记录、事迹稿件及关联稿件',
          params: idParams,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.detail(ctxOf(req), req.params.id),
    );

    app.put(
      '/exemplars/:id',
      {
        config: { access: { permission: 'publicity:write', ...exemplar } },
        schema: {
          tags,
          summary: '修改推荐（草稿或被退回时）',
          params: idParams,
          body: updateExemplarBody,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.update(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/exemplars/:id/submit',
      {
        config: { access: { permission: 'publicity:write', ...exemplar } },
        schema: {
          tags,
          summary: '报送市级审核',
          params: idParams,
          body: publicityVersionBody,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.submit(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/exemplars/:id/review',
      {
        config: { access: { permission: 'publicity:review', ...exemplar } },
        schema: {
          tags,
          summary: '市级审核：认定或退回（须填写意见）',
          params: idParams,
          body: exemplarReviewBody,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.review(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/exemplars/:id/profile',
      {
        config: { access: { permission: 'publicity:write', ...exemplar } },
        schema: {
          tags,
          summary: '为已认定的典型生成事迹稿件（宣传稿件，经保密审查后发布即公开）',
          params: idParams,
          body: publicityVersionBody,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.draftProfile(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/exemplars/:id/items',
      {
        config: { access: { permission: 'publicity:write', ...exemplar } },
        schema: {
          tags,
          summary: '关联一篇宣传该典型的稿件',
          params: idParams,
          body: exemplarLinkBody,
          response: { 200: exemplarDetail },
        },
      },
      async (req) => exemplars.link(ctxOf(req), req.params.id, req.body.itemId),
    );

    app.delete(
      '/exemplars/:id/items/:itemId',
      {
        config: { access: { permission: 'publicity:write', ...exemplar } },
        schema: { tags, summary: '取消关联稿件', params: exemplarLinkParams, response: { 200: exemplarDetail } },
      },
      async (req) => exemplars.unlink(ctxOf(req), req.params.id, req.params.itemId),
    );
  };
}
