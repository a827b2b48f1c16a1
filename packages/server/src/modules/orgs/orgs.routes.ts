import {
  createOrgBody,
  idParams,
  moveOrgBody,
  orgListQuery,
  orgPage,
  orgSchema,
  orgTree,
  updateOrgBody,
  versionBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { OrgsService } from './orgs.service.js';

const tags = ['组织机构'];

export function orgsRoutes(orgs: OrgsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/orgs/tree',
      {
        config: { access: { permission: 'org:read' } },
        schema: {
          tags,
          summary: '本人可见范围内的组织树（扁平列表）',
          querystring: z.strictObject({ includeInactive: z.enum(['true', 'false']).optional() }),
          response: { 200: orgTree },
        },
      },
      async (req) => ({ items: await orgs.tree(ctxOf(req), req.query.includeInactive === 'true') }),
    );

    app.get(
      '/orgs',
      {
        config: { access: { permission: 'org:read' } },
        schema: { tags, summary: '组织机构列表', querystring: orgListQuery, response: { 200: orgPage } },
      },
      async (req) => {
        const { page, pageSize, includeInactive, ...f } = req.query;
        return orgs.page(ctxOf(req), { ...f, includeInactive: includeInactive === 'true' }, page, pageSize);
      },
    );

    app.get(
      '/orgs/:id',
      {
        config: { access: { permission: 'org:read', target: 'org' } },
        schema: { tags, summary: '单位详情', params: idParams, response: { 200: orgSchema } },
      },
      async (req) => orgs.get(ctxOf(req), req.params.id),
    );

    app.post(
      '/orgs',
      {
        config: { access: { permission: 'org:manage' } },
        schema: { tags, summary: '新建下级单位', body: createOrgBody, response: { 201: orgSchema } },
      },
      async (req, reply) => reply.code(201).send(await orgs.create(ctxOf(req), req.body)),
    );

    app.patch(
      '/orgs/:id',
      {
        config: { access: { permission: 'org:manage', target: 'org' } },
        schema: { tags, summary: '重命名单位', params: idParams, body: updateOrgBody, response: { 200: orgSchema } },
      },
      async (req) => orgs.rename(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/orgs/:id/move',
      {
        config: { access: { permission: 'org:manage', target: 'org' } },
        schema: { tags, summary: '移动单位', params: idParams, body: moveOrgBody, response: { 200: orgSchema } },
      },
      async (req) => orgs.move(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/orgs/:id/deactivate',
      {
        config: { access: { permission: 'org:manage', target: 'org' } },
        schema: { tags, summary: '停用单位', params: idParams, body: versionBody, response: { 200: orgSchema } },
      },
      async (req) => orgs.setActive(ctxOf(req), req.params.id, req.body.version, false),
    );

    app.post(
      '/orgs/:id/activate',
      {
        config: { access: { permission: 'org:manage', target: 'org' } },
        schema: { tags, summary: '启用单位', params: idParams, body: versionBody, response: { 200: orgSchema } },
      },
      async (req) => orgs.setActive(ctxOf(req), req.params.id, req.body.version, true),
    );
  };
}
