import {
  idParams,
  notificationListQuery,
  notificationPage,
  notificationReadManyBody,
  notificationReadResult,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { NotificationsService } from './notifications.service.js';

const tags = ['站内通知'];

/** The caller's own in-app notifications (any signed-in user). */
export function notificationsRoutes(notifications: NotificationsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/notifications',
      {
        config: { access: {} },
        schema: {
          tags,
          summary: '我的通知（含未读数）',
          querystring: notificationListQuery,
          response: { 200: notificationPage },
        },
      },
      async (req) => notifications.page(ctxOf(req), req.query),
    );

    app.post(
      '/notifications/:id/read',
      {
        config: { access: { target: 'notification' } },
        schema: {
          tags,
          summary: '标为已读（只改本人的通知）',
          params: idParams,
          response: { 200: notificationReadResult },
        },
      },
      async (req) => notifications.markRead(ctxOf(req), req.params.id),
    );

    app.post(
      '/notifications/read',
      {
        config: { access: {} },
        schema: {
          tags,
          summary: '批量标为已读（只改本人的通知）',
          body: notificationReadManyBody,
          response: { 200: notificationReadResult },
        },
      },
      async (req) => notifications.markManyRead(ctxOf(req), req.body.ids),
    );

    app.post(
      '/notifications/read-all',
      {
        config: { access: {} },
        schema: { tags, summary: '全部标为已读', response: { 200: notificationReadResult } },
      },
      async (req) => notifications.markAllRead(ctxOf(req)),
    );
  };
}
