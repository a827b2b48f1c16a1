import { homeSchema } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { HomeService } from './home.service.js';

const tags = ['首页'];

/** The caller's home page: to-dos of their own organisation and the key figures of their scope. */
export function homeRoutes(home: HomeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/home',
      {
        config: { access: {} },
        schema: { tags, summary: '首页：待办与关键数字', response: { 200: homeSchema } },
      },
      async (req) => home.home(ctxOf(req)),
    );
  };
}
