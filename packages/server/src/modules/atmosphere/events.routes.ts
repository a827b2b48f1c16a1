import fs from 'node:fs';
import {
  createEventBody,
  eventAttendanceBody,
  eventCancelBody,
  eventDetail,
  eventInviteBody,
  eventListQuery,
  eventNoteBody,
  eventNoticeBody,
  eventOrgList,
  eventPage,
  eventPhotoQuery,
  eventVersionBody,
  idParams,
  idSchema,
  updateEventBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { EventPhotos } from './events.photos.js';
import type { EventsService } from './events.service.js';
import { MAX_PUBLICITY_PHOTO_BYTES as MAX_EVENT_PHOTO_BYTES } from './photos.js';

const tags = ['双拥活动'];
const event = { target: 'event' } as const;
const read = { access: { permission: 'publicity:read', ...event } } as const;
const write = { access: { permission: 'publicity:write', ...event } } as const;
const photoParams = z.strictObject({ id: idSchema, photoId: idSchema });

/** 双拥活动: plan, invitations, attendance, notice, photos, note, states. Thin: the service decides. */
export function eventsRoutes(events: EventsService, photos: EventPhotos): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      ['application/octet-stream', 'image/jpeg', 'image/png'],
      { parseAs: 'buffer', bodyLimit: MAX_EVENT_PHOTO_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/events',
      {
        config: { access: { permission: 'publicity:read' } },
        schema: {
          tags,
          summary: '双拥活动列表（日历）：本单位及所辖组织或受邀的活动；军分区看涉及部队的活动',
          querystring: eventListQuery,
          response: { 200: eventPage },
        },
      },
      async (req) => events.page(ctxOf(req), req.query),
    );

    app.get(
      '/event-orgs',
      {
        config: { access: { permission: 'publicity:write' } },
        schema: {
          tags,
          summary: '可邀请或共同组织的单位：驻地部队、人武部，以及本级及所辖的地方单位',
          response: { 200: eventOrgList },
        },
      },
      async (req) => events.invitable(ctxOf(req)),
    );

    app.post(
      '/events',
      {
        config: { access: { permission: 'publicity:write' } },
        schema: {
          tags,
          summary: '策划活动（类型、日期时间、地点、军地双方组织单位、经费科目）',
          body: createEventBody,
          response: { 201: eventDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await events.create(ctxOf(req), req.body)),
    );

    app.get(
      '/events/:id',
      {
        config: read,
        schema: {
          tags,
          summary: '活动详情：邀请与到场、通知的保密检查结果、照片、经费提示、可执行的操作',
          params: idParams,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.detail(ctxOf(req), req.params.id),
    );

    app.put(
      '/events/:id',
      {
        config: write,
        schema: {
          tags,
          summary: '修改活动计划（已发布的通知内容改变后须重新检查发布）',
          params: idParams,
          body: updateEventBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.update(ctxOf(req), req.params.id, req.body),
    );

    app.put(
      '/events/:id/invitations',
      {
        config: write,
        schema: {
          tags,
          summary: '邀请部队、社区等单位（提交完整名单）',
          params: idParams,
          body: eventInviteBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.invite(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/events/:id/notice/publish',
      {
        config: write,
        schema: {
          tags,
          summary: '发布活动通知（须通过保密检查）',
          params: idParams,
          body: eventNoticeBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.publishNotice(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/events/:id/hold',
      {
        config: write,
        schema: {
          tags,
          summary: '标记为已举办',
          params: idParams,
          body: eventVersionBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.hold(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/events/:id/cancel',
      {
        config: write,
        schema: { tags, summary: '取消活动', params: idParams, body: eventCancelBody, response: { 200: eventDetail } },
      },
      async (req) => events.cancel(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/events/:id/close',
      {
        config: write,
        schema: {
          tags,
          summary: '活动结束归档（须先填写活动小结）',
          params: idParams,
          body: eventVersionBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.close(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/events/:id/attendance',
      {
        config: write,
        schema: {
          tags,
          summary: '登记各受邀单位到场情况',
          params: idParams,
          body: eventAttendanceBody,
          response: { 200: eventDetail },
        },
      },
      async (req) => events.attendance(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/events/:id/note',
      {
        config: write,
        schema: { tags, summary: '活动小结', params: idParams, body: eventNoteBody, response: { 200: eventDetail } },
      },
      async (req) => events.note(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/events/:id/photos',
      {
        bodyLimit: MAX_EVENT_PHOTO_BYTES + 1,
        config: { ...write, rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '上传活动照片（原件的 GPS、设备信息记入检查结果后去除）',
          params: idParams,
          querystring: eventPhotoQuery,
          response: { 200: eventDetail },
        },
      },
      async (req) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        return photos.add(ctxOf(req), req.params.id, req.query, data);
      },
    );

    app.delete(
      '/events/:id/photos/:photoId',
      {
        config: write,
        schema: { tags, summary: '删除活动照片', params: photoParams, response: { 200: eventDetail } },
      },
      async (req) => photos.remove(ctxOf(req), req.params.id, req.params.photoId),
    );

    app.get(
      '/events/:id/photos/:photoId',
      { config: read, schema: { tags, summary: '查看活动照片（已去除元数据）', params: photoParams } },
      async (req, reply) => {
        const { row, file } = await photos.get(ctxOf(req), req.params.id, req.params.photoId);
        return reply.type(row.content_type).send(fs.createReadStream(file));
      },
    );
  };
}
