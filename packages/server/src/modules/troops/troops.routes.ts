import fs from 'node:fs';
import {
  activityDetail,
  activityListQuery,
  activityPage,
  activityPhotoQuery,
  activityTypeList,
  activityWithdrawBody,
  createActivityBody,
  createActivityTypeBody,
  createPartnershipBody,
  endPartnershipBody,
  idParams,
  idSchema,
  partnershipItem,
  partnershipListQuery,
  partnershipPage,
  troopPlaceList,
  troopStats,
  troopStatsQuery,
  updateActivityBody,
  updateActivityTypeBody,
  updatePartnershipBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { ActivitiesService } from './activities.service.js';
import type { PartnershipsService } from './partnerships.service.js';
import { type ActivityPhotos, MAX_ACTIVITY_PHOTO_BYTES } from './photos.js';
import type { TroopStatsService } from './stats.service.js';

const tags = ['拥政爱民'];
const activity = { target: 'troopActivity' } as const;
const photoParams = z.strictObject({ id: idSchema, photoId: idSchema });

/** 拥政爱民 activities, their photos and the list of types. Thin: the services decide. */
export function troopsRoutes(
  activities: ActivitiesService,
  photos: ActivityPhotos,
  partnerships: PartnershipsService,
  stats: TroopStatsService,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      ['application/octet-stream', 'image/jpeg', 'image/png'],
      { parseAs: 'buffer', bodyLimit: MAX_ACTIVITY_PHOTO_BYTES + 1 },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/troop-activity-types',
      {
        config: { access: { permission: 'troops:read' } },
        schema: { tags, summary: '拥政爱民活动类型', response: { 200: activityTypeList } },
      },
      async () => activities.types(),
    );
    app.post(
      '/troop-activity-types',
      {
        config: { access: { permission: 'troops:manage' } },
        schema: {
          tags,
          summary: '新增活动类型（军分区维护）',
          body: createActivityTypeBody,
          response: { 201: activityTypeList },
        },
      },
      async (req, reply) => reply.code(201).send(await activities.createType(ctxOf(req), req.body)),
    );
    app.patch(
      '/troop-activity-types',
      {
        config: { access: { permission: 'troops:manage' } },
        schema: {
          tags,
          summary: '修改或停用活动类型（军分区维护）',
          body: updateActivityTypeBody,
          response: { 200: activityTypeList },
        },
      },
      async (req) => activities.updateType(ctxOf(req), req.body),
    );

    app.get(
      '/troop-partnerships',
      {
        config: { access: { permission: 'troops:read' } },
        schema: {
          tags,
          summary: '军民共建对子（年度计划完成情况；idle=true：本季度没有活动的对子）',
          querystring: partnershipListQuery,
          response: { 200: partnershipPage },
        },
      },
      async (req) => partnerships.list(ctxOf(req), req.query),
    );
    app.post(
      '/troop-partnerships',
      {
        config: { access: { permission: 'troops:write' } },
        schema: {
          tags,
          summary: '新建军民共建对子及年度计划（部队）',
          body: createPartnershipBody,
          response: { 201: partnershipItem },
        },
      },
      async (req, reply) => reply.code(201).send(await partnerships.create(ctxOf(req), req.body)),
    );

    app.get(
      '/troop-partnerships/:id',
      {
        config: { access: { permission: 'troops:read', target: 'troopPartnership' } },
        schema: {
          tags,
          summary: '共建对子详情（年度计划完成情况）',
          params: idParams,
          response: { 200: partnershipItem },
        },
      },
      async (req) => partnerships.get(ctxOf(req), req.params.id),
    );
    app.patch(
      '/troop-partnerships/:id',
      {
        config: { access: { permission: 'troops:write', target: 'troopPartnership' } },
        schema: {
          tags,
          summary: '修改共建对子（共建单位、区域、期限、联系人、年度计划；部队）',
          params: idParams,
          body: updatePartnershipBody,
          response: { 200: partnershipItem },
        },
      },
      async (req) => partnerships.update(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-partnerships/:id/end',
      {
        config: { access: { permission: 'troops:write', target: 'troopPartnership' } },
        schema: {
          tags,
          summary: '结束共建（结束日期和原因；部队）',
          params: idParams,
          body: endPartnershipBody,
          response: { 200: partnershipItem },
        },
      },
      async (req) => partnerships.end(ctxOf(req), req.params.id, req.body),
    );
    app.get(
      '/troop-statistics',
      {
        config: { access: { permission: 'troops:read' } },
        schema: {
          tags,
          summary: '拥政爱民统计：按类型、部队、区、月份，服务对象，抢险救灾（来自维护的汇总）',
          querystring: troopStatsQuery,
          response: { 200: troopStats },
        },
      },
      async (req) => stats.stats(ctxOf(req), req.query),
    );

    app.get(
      '/troop-places',
      {
        config: { access: { permission: 'troops:read' } },
        schema: { tags, summary: '活动地点可选的地方区域（区、街道、社区）', response: { 200: troopPlaceList } },
      },
      async () => activities.places(),
    );

    app.get(
      '/troop-activities',
      {
        config: { access: { permission: 'troops:read' } },
        schema: {
          tags,
          summary: '拥政爱民活动（部队看本部队的，军分区看全部，地方看本辖区内的，不含仅军方可见内容）',
          querystring: activityListQuery,
          response: { 200: activityPage },
        },
      },
      async (req) => activities.list(ctxOf(req), req.query),
    );
    app.post(
      '/troop-activities',
      {
        config: { access: { permission: 'troops:write' } },
        schema: {
          tags,
          summary: '记录拥政爱民活动（部队；同一 clientKey 只记录一次）',
          body: createActivityBody,
          response: { 200: activityDetail, 201: activityDetail },
        },
      },
      async (req, reply) => {
        const { created, detail } = await activities.create(ctxOf(req), req.body);
        return reply.code(created ? 201 : 200).send(detail);
      },
    );
    app.get(
      '/troop-activities/:id',
      {
        config: { access: { permission: 'troops:read', ...activity } },
        schema: { tags, summary: '活动详情', params: idParams, response: { 200: activityDetail } },
      },
      async (req) => activities.detail(ctxOf(req), req.params.id),
    );
    app.patch(
      '/troop-activities/:id',
      {
        config: { access: { permission: 'troops:write', ...activity } },
        schema: {
          tags,
          summary: '修改活动',
          params: idParams,
          body: updateActivityBody,
          response: { 200: activityDetail },
        },
      },
      async (req) => activities.update(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-activities/:id/withdraw',
      {
        config: { access: { permission: 'troops:write', ...activity } },
        schema: {
          tags,
          summary: '撤销误录的活动（退出列表和统计，审计日志保留）',
          params: idParams,
          body: activityWithdrawBody,
          response: { 200: activityDetail },
        },
      },
      async (req) => activities.withdraw(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/troop-activities/:id/photos',
      {
        bodyLimit: MAX_ACTIVITY_PHOTO_BYTES + 1,
        config: {
          access: { permission: 'troops:write', ...activity },
          rateLimit: { max: 60, timeWindow: '1 minute' },
        },
        schema: {
          tags,
          summary: '上传活动照片（JPEG、PNG，按内容识别；原件的 GPS、设备信息记入保密检查后去除）',
          params: idParams,
          querystring: activityPhotoQuery,
          response: { 200: activityDetail, 201: activityDetail },
        },
      },
      async (req, reply) => {
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        const { created, detail } = await photos.add(ctxOf(req), req.params.id, req.query, data);
        return reply.code(created ? 201 : 200).send(detail);
      },
    );
    app.delete(
      '/troop-activities/:id/photos/:photoId',
      {
        config: { access: { permission: 'troops:write', ...activity } },
        schema: { tags, summary: '删除活动照片', params: photoParams, response: { 200: activityDetail } },
      },
      async (req) => photos.remove(ctxOf(req), req.params.id, req.params.photoId),
    );
    app.get(
      '/troop-activities/:id/photos/:photoId',
      {
        config: { access: { permission: 'troops:read', ...activity } },
        schema: { tags, summary: '查看活动照片（已去除元数据）', params: photoParams },
      },
      async (req, reply) => {
        const { row, file } = await photos.get(ctxOf(req), req.params.id, req.params.photoId);
        return reply.type(row.content_type).send(fs.createReadStream(file));
      },
    );
  };
}
