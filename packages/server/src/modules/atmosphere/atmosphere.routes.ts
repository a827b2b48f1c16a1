import fs from 'node:fs';
import {
  checkResult,
  checkRuleList,
  checkRuleSchema,
  checkTextBody,
  createCheckRuleBody,
  createPublicityBody,
  idParams,
  idSchema,
  publicityDetail,
  publicityListQuery,
  publicityPage,
  publicityPhotoQuery,
  publicityPublishBody,
  publicityReviewBody,
  publicityVersionBody,
  updateCheckRuleBody,
  updatePublicityBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { ConfidentialityChecks } from './checks.service.js';
import { MAX_PUBLICITY_PHOTO_BYTES, type PublicityPhotos } from './photos.js';
import type { PublicityService } from './publicity.service.js';

const tags = ['营造双拥氛围'];
const item = { target: 'publicityItem' } as const;
const photoParams = z.strictObject({ id: idSchema, photoId: idSchema });

/** Publicity items and their review; the confidentiality checks and their rule list. Thin: the services decide. */
export function atmosphereRoutes(
  publicity: PublicityService,
  checks: ConfidentialityChecks,
  photos: PublicityPhotos,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      ['application/octet-stream', 'image/jpeg', 'image/png'],
      { parseAs: 'buffer', bodyLimit: MAX_PUBLICITY_PHOTO_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/publicity-items/:id/photos',
      {
        bodyLimit: MAX_PUBLICITY_PHOTO_BYTES + 1,
        config: { access: { permission: 'publicity:write', ...item }, rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '上传照片（JPEG、PNG，按内容识别；原件的 GPS、设备信息记入检查结果后去除）',
          params: idParams,
          querystring: publicityPhotoQuery,
          response: { 200: publicityDetail },
        },
      },
      async (req) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        return photos.add(ctxOf(req), req.params.id, req.query, data);
      },
    );

    app.delete(
      '/publicity-items/:id/photos/:photoId',
      {
        config: { access: { permission: 'publicity:write', ...item } },
        schema: { tags, summary: '删除照片', params: photoParams, response: { 200: publicityDetail } },
      },
      async (req) => photos.remove(ctxOf(req), req.params.id, req.params.photoId),
    );

    app.get(
      '/publicity-items/:id/photos/:photoId',
      {
        config: { access: { permission: 'publicity:read', ...item } },
        schema: { tags, summary: '查看照片（已去除元数据）', params: photoParams },
      },
      async (req, reply) => {
        const { row, file } = await photos.get(ctxOf(req), req.params.id, req.params.photoId);
        return reply.type(row.content_type).send(fs.createReadStream(file));
      },
    );
    app.post(
      '/confidentiality/check',
      {
        config: { access: { permission: 'publicity:read' } },
        schema: {
          tags,
          summary: '保密检查一段文字（番号、位置、装备、兵力、军官姓名职务、个人信息）',
          body: checkTextBody,
          response: { 200: checkResult },
        },
      },
      async (req) => ({ findings: await checks.checkText(ctxOf(req).actor, req.body.text) }),
    );

    app.get(
      '/confidentiality/rules',
      {
        config: { access: { permission: 'publicity:read' } },
        schema: {
          tags,
          summary: '保密检查规则（军方名录仅军方可见）',
          response: { 200: checkRuleList },
        },
      },
      async (req) => checks.rules(ctxOf(req)),
    );

    app.post(
      '/confidentiality/rules',
      {
        config: { access: { permission: 'publicity:rules' } },
        schema: {
          tags,
          summary: '新增检查规则（军分区维护；可标为仅军方可见）',
          body: createCheckRuleBody,
          response: { 201: checkRuleSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await checks.createRule(ctxOf(req), req.body)),
    );

    app.patch(
      '/confidentiality/rules/:id',
      {
        config: { access: { permission: 'publicity:rules', target: 'checkRule' } },
        schema: {
          tags,
          summary: '修改或停用检查规则（军分区维护）',
          params: idParams,
          body: updateCheckRuleBody,
          response: { 200: checkRuleSchema },
        },
      },
      async (req) => checks.updateRule(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/publicity-items',
      {
        config: { access: { permission: 'publicity:read' } },
        schema: {
          tags,
          summary: '宣传稿件列表（本单位及所辖的稿件，及全市已发布的稿件）',
          querystring: publicityListQuery,
          response: { 200: publicityPage },
        },
      },
      async (req) => publicity.page(ctxOf(req), req.query),
    );

    app.post(
      '/publicity-items',
      {
        config: { access: { permission: 'publicity:write' } },
        schema: {
          tags,
          summary: '撰写宣传稿件（文章、图集或视频链接；正文为结构化内容，不接受 HTML）',
          body: createPublicityBody,
          response: { 201: publicityDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await publicity.create(ctxOf(req), req.body)),
    );

    app.get(
      '/publicity-items/:id',
      {
        config: { access: { permission: 'publicity:read', ...item } },
        schema: {
          tags,
          summary: '稿件详情：保密检查结果（逐处标出）、审查记录、可执行的操作',
          params: idParams,
          response: { 200: publicityDetail },
        },
      },
      async (req) => publicity.detail(ctxOf(req), req.params.id),
    );

    app.put(
      '/publicity-items/:id',
      {
        config: { access: { permission: 'publicity:write', ...item } },
        schema: {
          tags,
          summary: '修改稿件（送审后或通过后修改，须重新送审）',
          params: idParams,
          body: updatePublicityBody,
          response: { 200: publicityDetail },
        },
      },
      async (req) => publicity.update(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/publicity-items/:id/submit',
      {
        config: { access: { permission: 'publicity:write', ...item } },
        schema: {
          tags,
          summary: '送审',
          params: idParams,
          body: publicityVersionBody,
          response: { 200: publicityDetail },
        },
      },
      async (req) => publicity.submit(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/publicity-items/:id/review',
      {
        config: { access: { permission: 'publicity:review', ...item } },
        schema: {
          tags,
          summary: '保密审查：通过、退回（须说明理由）或修改后通过（先地方，涉及部队的再由军分区）',
          params: idParams,
          body: publicityReviewBody,
          response: { 200: publicityDetail },
        },
      },
      async (req) => publicity.review(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/publicity-items/:id/publish',
      {
        config: { access: { permission: 'publicity:write', ...item } },
        schema: {
          tags,
          summary: '登记发布（媒体、链接或版面、日期）；内容须与审查通过的版本一致',
          params: idParams,
          body: publicityPublishBody,
          response: { 200: publicityDetail },
        },
      },
      async (req) => publicity.publish(ctxOf(req), req.params.id, req.body),
    );
  };
}
