import { changePasswordBody, loginBody, meSchema, totpEnableBody, totpSetupSchema } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../platform/auth/sessions.js';
import type { AuthService } from './auth.service.js';

const tags = ['认证'];

export function authRoutes(auth: AuthService, secureCookie: boolean): FastifyPluginAsyncZod {
  return async (app) => {
    const origin = (req: { id: string; ip: string; headers: Record<string, unknown> }) => ({
      requestId: req.id,
      ip: req.ip,
      userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : undefined,
    });

    app.post(
      '/auth/login',
      {
        // a flood guard only: failures slow the address (Lockout.throttle), they never lock it
        config: { access: { public: true }, rateLimit: { max: 60, timeWindow: '1 minute' } },
        schema: { tags, summary: '登录', body: loginBody, response: { 200: meSchema } },
      },
      async (req, reply) => {
        const { token, me } = await auth.login(
          req.body.username,
          req.body.password,
          req.body.otp,
          origin(req),
          req.cookies[SESSION_COOKIE],
        );
        reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/' });
        return me;
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { access: { allowPending: true } },
        schema: { tags, summary: '退出登录', response: { 204: z.null() } },
      },
      async (req, reply) => {
        await auth.logout(req.actor, req.cookies[SESSION_COOKIE], origin(req));
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: { access: { allowPending: true } },
        schema: { tags, summary: '当前用户、单位、角色与权限', response: { 200: meSchema } },
      },
      async (req) => auth.me(req.actor!),
    );

    app.post(
      '/auth/password',
      {
        config: { access: { allowPending: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '修改本人密码', body: changePasswordBody, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await auth.changePassword(req.actor!, req.body.currentPassword, req.body.newPassword, origin(req));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/totp/setup',
      {
        config: { access: { allowPending: true } },
        schema: { tags, summary: '生成双因素认证密钥', response: { 200: totpSetupSchema } },
      },
      async (req) => auth.totpSetup(req.actor!),
    );

    app.post(
      '/auth/totp/enable',
      {
        config: { access: { allowPending: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '启用双因素认证', body: totpEnableBody, response: { 204: z.null() } },
      },
      async (req, reply) => {
        await auth.totpEnable(req.actor!, req.body.otp, origin(req));
        return reply.code(204).send(null);
      },
    );
  };
}
