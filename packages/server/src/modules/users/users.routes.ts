import {
  createUserBody,
  idParams,
  resetPasswordBody,
  updateUserBody,
  userListQuery,
  userPage,
  userSchema,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { UsersService } from './users.service.js';

const tags = ['用户管理'];

export function usersRoutes(users: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users',
      {
        config: { access: { permission: 'user:read' } },
        schema: { tags, summary: '用户列表', querystring: userListQuery, response: { 200: userPage } },
      },
      async (req) => {
        const { page, pageSize, ...f } = req.query;
        return users.page(ctxOf(req), f, page, pageSize);
      },
    );

    app.get(
      '/users/:id',
      {
        config: { access: { permission: 'user:read', target: 'user' } },
        schema: { tags, summary: '用户详情', params: idParams, response: { 200: userSchema } },
      },
      async (req) => users.get(ctxOf(req), req.params.id),
    );

    app.post(
      '/users',
      {
        config: { access: { permission: 'user:manage' } },
        schema: { tags, summary: '新建用户（首次登录须改密码）', body: createUserBody, response: { 201: userSchema } },
      },
      async (req, reply) => reply.code(201).send(await users.create(ctxOf(req), req.body)),
    );

    app.patch(
      '/users/:id',
      {
        config: { access: { permission: 'user:manage', target: 'user' } },
        schema: {
          tags,
          summary: '修改用户（姓名、单位、角色）',
          params: idParams,
          body: updateUserBody,
          response: { 200: userSchema },
        },
      },
      async (req) => users.update(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/users/:id/reset-password',
      {
        config: { access: { permission: 'user:manage', target: 'user' } },
        schema: { tags, summary: '重置密码', params: idParams, body: resetPasswordBody, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await users.resetPassword(ctxOf(req), req.params.id, req.body.password);
        return reply.code(204).send(null);
      },
    );

    for (const [suffix, locked, summary] of [
      ['lock', true, '锁定（停用）用户'],
      ['unlock', false, '解锁用户'],
    ] as const) {
      app.post(
        `/users/:id/${suffix}`,
        {
          config: { access: { permission: 'user:manage', target: 'user' } },
          schema: { tags, summary, params: idParams, response: { 200: userSchema } },
        },
        async (req) => users.setLocked(ctxOf(req), req.params.id, locked),
      );
    }
  };
}
