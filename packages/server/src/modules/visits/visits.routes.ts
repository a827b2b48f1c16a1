import fs from 'node:fs';
import {
  approveVisitBody,
  budgetLineList,
  budgetLineSchema,
  campaignQuery,
  capCheckBody,
  capCheckResult,
  coverageQuery,
  coverageSchema,
  createBudgetLineBody,
  createVisitBody,
  idParams,
  spendingSchema,
  standingCapsBody,
  standingCapsSchema,
  t,
  unvisitedQuery,
  updateBudgetLineBody,
  updateVisitBody,
  visitCapsBody,
  visitCapsSchema,
  visitListQuery,
  visitPage,
  visitPhotoSchema,
  visitSchema,
  visitTargetListQuery,
  visitTargetPage,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { DOCX_TYPE } from '../../platform/files/letter.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { readCoverage } from './coverage.js';
import { LETTERS_KIND, letterDocx, letterPdf, planLetter } from './letters.js';
import type { MoneyService } from './money.service.js';
import { MAX_PHOTO_BYTES, type PhotoStore } from './photo-store.js';
import type { PlansService } from './plans.service.js';
import type { RecordsService } from './records.service.js';
import { visitsRepo } from './visits.repo.js';

const tags = ['走访慰问：走访记录与覆盖'];
const photoQuery = z.strictObject({ thumb: z.enum(['0', '1']).optional() });

export interface VisitsDeps {
  p: Platform;
  plans: PlansService;
  records: RecordsService;
  money: MoneyService;
  photos: PhotoStore;
  jobs: Jobs;
  campaigns: Campaigns;
}

export function visitsRoutes({ p, plans, records, money, photos, jobs, campaigns }: VisitsDeps): FastifyPluginAsyncZod {
  return async (app) => {
    for (const type of ['image/jpeg', 'image/png', 'application/octet-stream'])
      app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES + 1 }, (_req, body, done) =>
        done(null, body),
      );

    app.get(
      '/visit-targets',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '可走访对象（本辖区、已确认名单）',
          querystring: visitTargetListQuery,
          response: { 200: visitTargetPage },
        },
      },
      async (req) => plans.targets(ctxOf(req), req.query),
    );

    app.get(
      '/visit-targets/:id/letter',
      {
        config: { access: { permission: 'visit:read', target: 'visitTarget' } },
        schema: {
          tags,
          summary: '下载该对象的慰问信（DOCX 或 PDF）',
          params: idParams,
          querystring: z.strictObject({ format: z.enum(['docx', 'pdf']).default('docx') }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const target = (await visitsRepo.target(p.handle.db, ctx.actor.scope, req.params.id))!;
        const { template, ...shared } = await planLetter(p, campaigns, target.plan_id);
        const letter = { ...shared, name: target.name, kind: target.kind };
        const pdf = req.query.format === 'pdf';
        await auditDownload(p, req, {
          kind: 'visit_letter',
          entityType: 'visit_target',
          entityId: req.params.id,
          fileName: `${t('visits.letter.title')}.${pdf ? 'pdf' : 'docx'}`,
        });
        return reply
          .type(pdf ? 'application/pdf' : DOCX_TYPE)
          .header('content-disposition', attachment(`${t('visits.letter.title')}.${pdf ? 'pdf' : 'docx'}`))
          .send(pdf ? await letterPdf(template, letter) : await letterDocx(template, letter));
      },
    );

    app.get(
      '/visit-letters/:id',
      {
        config: { access: { permission: 'visit:read', target: 'job' } },
        schema: { tags, summary: '下载批量慰问信（zip）', params: idParams },
      },
      async (req, reply) => {
        const job = await jobs.get(ctxOf(req).actor.scope, req.params.id);
        if (job?.kind !== LETTERS_KIND || !jobs.hasArtefact(req.params.id, 'letters.zip'))
          throw new AppError(409, 'letters_not_ready', 'visits.noLetter');
        await auditDownload(p, req, {
          kind: 'visit_letters_zip',
          entityType: 'job',
          entityId: req.params.id,
          fileName: `${t('visits.letter.zipName')}.zip`,
        });
        return reply
          .type('application/zip')
          .header('content-disposition', attachment(`${t('visits.letter.zipName')}.zip`))
          .send(jobs.readArtefact(req.params.id, 'letters.zip'));
      },
    );

    app.get(
      '/visits',
      {
        config: { access: { permission: 'visit:read' } },
        schema: { tags, summary: '走访记录列表', querystring: visitListQuery, response: { 200: visitPage } },
      },
      async (req) => records.page(ctxOf(req), req.query),
    );

    app.post(
      '/visits',
      {
        config: { access: { permission: 'visit:write' } },
        schema: {
          tags,
          summary: '登记走访（clientKey 幂等：同一草稿重复提交只记一次，返回首次的记录）',
          body: createVisitBody,
          response: { 200: visitSchema, 201: visitSchema },
        },
      },
      async (req, reply) => {
        const { visit, created } = await records.record(ctxOf(req), req.body);
        return reply.code(created ? 201 : 200).send(visit);
      },
    );

    app.post(
      '/visits/check',
      {
        config: { access: { permission: 'visit:write' } },
        schema: {
          tags,
          summary: '按慰问标准检查金额（录入时提示）',
          body: capCheckBody,
          response: { 200: capCheckResult },
        },
      },
      async (req) => records.check(ctxOf(req), req.body),
    );

    app.get(
      '/visits/:id',
      {
        config: { access: { permission: 'visit:read', target: 'visit' } },
        schema: { tags, summary: '走访记录详情', params: idParams, response: { 200: visitSchema } },
      },
      async (req) => records.view(ctxOf(req), req.params.id),
    );

    app.patch(
      '/visits/:id',
      {
        config: { access: { permission: 'visit:write', target: 'visit' } },
        schema: {
          tags,
          summary: '修改走访记录（version 过期返回 409）',
          params: idParams,
          body: updateVisitBody,
          response: { 200: visitSchema },
        },
      },
      async (req) => records.update(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/visits/:id/approval',
      {
        config: { access: { permission: 'visit:approve', target: 'visit', approves: 'visit.over_cap' } },
        schema: {
          tags,
          summary: '审批超标准的走访记录',
          params: idParams,
          body: approveVisitBody,
          response: { 200: visitSchema },
        },
      },
      async (req) => records.approve(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/visits/:id/photos',
      {
        bodyLimit: MAX_PHOTO_BYTES + 1,
        config: {
          access: { permission: 'visit:write', target: 'visit' },
          rateLimit: { max: 60, timeWindow: '1 minute' },
        },
        schema: {
          tags,
          summary: '上传照片（JPEG/PNG，去除 EXIF、GPS 等元数据；同一文件重复上传只存一次，返回已存的照片）',
          params: idParams,
          response: { 200: visitPhotoSchema, 201: visitPhotoSchema },
        },
      },
      async (req, reply) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'visits.photoType');
        const { photo, created } = await photos.add(ctxOf(req), req.params.id, data, req.log);
        return reply.code(created ? 201 : 200).send(photo);
      },
    );

    app.get(
      '/visit-photos/:id',
      {
        config: { access: { permission: 'visit:read', target: 'visitPhoto' } },
        schema: { tags, summary: '查看照片（?thumb=1 取缩略图）', params: idParams, querystring: photoQuery },
      },
      async (req, reply) => {
        const thumb = req.query.thumb === '1';
        const { row, file } = await photos.get(ctxOf(req), req.params.id, thumb);
        return reply
          .type(row.content_type)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, max-age=3600')
          .send(fs.createReadStream(file));
      },
    );

    app.get(
      '/visit-coverage',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '走访覆盖：按类别、区、街道、小组的应走访与已走访',
          querystring: coverageQuery,
          response: { 200: coverageSchema },
        },
      },
      async (req) =>
        readCoverage(p.handle.reader, ctxOf(req).actor.scope, req.query.campaignId, req.query.planId, {
          campaigns,
          visits: plans.outside,
        }),
    );

    app.get(
      '/visit-coverage/unvisited',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '尚未走访的重点对象（独居、年长者优先）',
          querystring: unvisitedQuery,
          response: { 200: visitTargetPage },
        },
      },
      async (req) => money.unvisited(ctxOf(req), req.query),
    );

    app.get(
      '/visit-spending',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '慰问金和慰问品支出：按单位、按经费科目对比预算',
          querystring: campaignQuery,
          response: { 200: spendingSchema },
        },
      },
      async (req) => money.spending(ctxOf(req), req.query.campaignId),
    );

    app.get(
      '/visit-caps',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '慰问标准（每次、每个对象的上限）',
          querystring: campaignQuery,
          response: { 200: visitCapsSchema },
        },
      },
      async (req) => money.caps(req.query.campaignId),
    );

    app.get(
      '/visit-caps/standing',
      {
        config: { access: { permission: 'visit:read' } },
        schema: { tags, summary: '全市常设慰问标准（新的工作部署默认沿用）', response: { 200: standingCapsSchema } },
      },
      async () => money.standing(),
    );

    app.put(
      '/visit-caps/standing',
      {
        config: { access: { permission: 'visit:approve' } },
        schema: {
          tags,
          summary: '设置全市常设慰问标准（市级）',
          body: standingCapsBody,
          response: { 200: standingCapsSchema },
        },
      },
      async (req) => money.setStanding(ctxOf(req), req.body),
    );

    app.put(
      '/visit-caps',
      {
        config: { access: { permission: 'visit:approve' } },
        schema: { tags, summary: '设置慰问标准（市级）', body: visitCapsBody, response: { 200: visitCapsSchema } },
      },
      async (req) => money.setCaps(ctxOf(req), req.body),
    );

    app.get(
      '/visit-budget-lines',
      {
        config: { access: { permission: 'visit:read' } },
        schema: { tags, summary: '经费科目与已支出', querystring: campaignQuery, response: { 200: budgetLineList } },
      },
      async (req) => money.budgetLines(ctxOf(req), req.query.campaignId),
    );

    app.post(
      '/visit-budget-lines',
      {
        config: { access: { permission: 'visit:approve' } },
        schema: {
          tags,
          summary: '新建经费科目（预算，分）',
          body: createBudgetLineBody,
          response: { 201: budgetLineSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await money.createBudgetLine(ctxOf(req), req.body)),
    );

    app.patch(
      '/visit-budget-lines/:id',
      {
        config: { access: { permission: 'visit:approve', target: 'visitBudgetLine' } },
        schema: {
          tags,
          summary: '修改经费科目（名称、预算，带 version）',
          params: idParams,
          body: updateBudgetLineBody,
          response: { 200: budgetLineSchema },
        },
      },
      async (req) => money.updateBudgetLine(ctxOf(req), req.params.id, req.body),
    );
  };
}
