import {
  advanceCitationBody,
  citationListQuery,
  citationPage,
  citationSchema,
  coupletBody,
  createCitationBody,
  householdDetail,
  householdListQuery,
  householdPage,
  idParams,
  plaqueEventBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { HonoursService } from './honours.service.js';

const tags = ['荣誉（光荣牌、立功喜报、春联）'];

export function honoursRoutes(honours: HonoursService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/households',
      {
        config: { access: { permission: 'beneficiary:read' } },
        schema: {
          tags,
          summary: '户列表（可筛选应挂未挂光荣牌）',
          querystring: householdListQuery,
          response: { 200: householdPage },
        },
      },
      async (req) => honours.page(ctxOf(req), req.query),
    );

    app.get(
      '/households/:id',
      {
        config: { access: { permission: 'beneficiary:read', target: 'household' } },
        schema: {
          tags,
          summary: '户详情：成员、光荣牌记录、春联、立功喜报',
          params: idParams,
          response: { 200: householdDetail },
        },
      },
      async (req) => honours.detail(ctxOf(req), req.params.id),
    );

    app.post(
      '/households/:id/plaque-events',
      {
        config: { access: { permission: 'honor:manage', target: 'household' } },
        schema: {
          tags,
          summary: '光荣牌：新发、补发、更换、收回、取消、恢复悬挂',
          params: idParams,
          body: plaqueEventBody,
          response: { 200: householdDetail },
        },
      },
      async (req) => honours.plaqueEvent(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/households/:id/couplets',
      {
        config: { access: { permission: 'honor:manage', target: 'household' } },
        schema: {
          tags,
          summary: '登记春联年画送达',
          params: idParams,
          body: coupletBody,
          response: { 200: householdDetail },
        },
      },
      async (req) => honours.deliverCouplets(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/citations',
      {
        config: { access: { permission: 'beneficiary:read' } },
        schema: {
          tags,
          summary: '立功喜报列表（可筛选逾期未登记）',
          querystring: citationListQuery,
          response: { 200: citationPage },
        },
      },
      async (req) => honours.citations(ctxOf(req), req.query),
    );

    app.post(
      '/citations',
      {
        config: { access: { permission: 'honor:manage' } },
        schema: {
          tags,
          summary: '接收立功喜报（登记期限按工作日计算）',
          body: createCitationBody,
          response: { 201: citationSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await honours.createCitation(ctxOf(req), req.body)),
    );

    app.post(
      '/citations/:id/advance',
      {
        config: { access: { permission: 'honor:manage', target: 'citation' } },
        schema: {
          tags,
          summary: '立功喜报办理：登记、核实地址、送达、反馈',
          params: idParams,
          body: advanceCitationBody,
          response: { 200: citationSchema },
        },
      },
      async (req) => honours.advanceCitation(ctxOf(req), req.params.id, req.body),
    );
  };
}
