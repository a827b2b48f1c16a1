import { assignItemBody, idParams, itemOwner, readinessQuery, responsibilityList } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { ItemOwners } from './owners.js';

const tags = ['创建双拥模范城'];

/** Responsibility for the table's items (decisions/0046). Thin: `ItemOwners` decides. */
export function ownersRoutes(owners: ItemOwners): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/modelcity/items/:id/owners',
      {
        config: { access: { permission: 'modelcity:write', target: 'modelItem' } },
        schema: {
          tags,
          summary: '明确责任单位：牵头单位、配合单位和完成时限（以工作部署任务下发，进入各单位待办）',
          params: idParams,
          body: assignItemBody,
          response: { 201: z.object({ items: z.array(itemOwner) }) },
        },
      },
      async (req, reply) => reply.code(201).send({ items: await owners.assign(ctxOf(req), req.params.id, req.body) }),
    );

    app.put(
      '/modelcity/items/:id/owners',
      {
        config: { access: { permission: 'modelcity:write', target: 'modelItem' } },
        schema: {
          tags,
          summary: '调整责任单位或完成时限（在其工作部署任务上调整；有单位退出时原部署办结、向新的责任单位重新下发）',
          params: idParams,
          body: assignItemBody,
          response: { 200: z.object({ items: z.array(itemOwner) }) },
        },
      },
      async (req) => ({ items: await owners.reassign(ctxOf(req), req.params.id, req.body) }),
    );

    app.get(
      '/modelcity/responsibilities',
      {
        config: { access: { permission: 'modelcity:read' } },
        schema: {
          tags,
          summary: '责任项：本单位（及所辖单位）牵头或配合的考评项目、时限和得分',
          querystring: readinessQuery,
          response: { 200: responsibilityList },
        },
      },
      async (req) => owners.responsibilities(ctxOf(req), req.query.roundId),
    );
  };
}
