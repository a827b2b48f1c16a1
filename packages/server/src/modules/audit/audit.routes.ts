import { auditListQuery, auditPage, auditVerifySchema } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeWhere } from '../../platform/access/scope.js';
import { toAuditEntry } from '../../platform/audit/present.js';
import type { Platform } from '../../platform/context.js';
import { toNumber } from '../../platform/db/index.js';
import { ctxOf } from '../../platform/http/pipeline.js';

const tags = ['审计日志'];

export function auditRoutes(p: Platform): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags, summary: '审计日志查询', querystring: auditListQuery, response: { 200: auditPage } },
      },
      async (req) => {
        const { page, pageSize, actor, action, entityType, entityId, from, to } = req.query;
        let qb = p.handle.db
          .selectFrom('audit_log')
          .where((eb) =>
            scopeWhere(eb, ctxOf(req).actor.scope, { path: 'audit_log.org_path', orgId: 'audit_log.org_id' }),
          );
        if (actor) qb = qb.where('actor_name', '=', actor);
        if (action) qb = qb.where('action', '=', action);
        if (entityType) qb = qb.where('entity_type', '=', entityType);
        if (entityId) qb = qb.where('entity_id', '=', entityId);
        if (from) qb = qb.where('at', '>=', new Date(from).toISOString());
        if (to) qb = qb.where('at', '<=', new Date(to).toISOString());
        const [rows, total] = await Promise.all([
          qb
            .selectAll()
            .orderBy('seq', 'desc')
            .limit(pageSize)
            .offset((page - 1) * pageSize)
            .execute(),
          qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
        ]);
        const items = rows.map(toAuditEntry);
        return { items, total: toNumber(total.n), page, pageSize };
      },
    );

    app.get(
      '/audit/verify',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags, summary: '校验审计链完整性', response: { 200: auditVerifySchema } },
      },
      async () => p.audit.verify(p.handle.db),
    );
  };
}
