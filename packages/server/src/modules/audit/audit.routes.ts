import { PassThrough } from 'node:stream';
import { auditExportQuery, auditListQuery, auditPage, auditVerifySchema, hasMessage, t } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { type Scope, scopeWhere } from '../../platform/access/scope.js';
import { toAuditEntry } from '../../platform/audit/present.js';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { toNumber } from '../../platform/db/index.js';
import { writeXlsxStream } from '../../platform/files/export.js';
import { attachment } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';

const tags = ['审计日志'];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EXPORT_MAX_ROWS = 50_000;

export function auditRoutes(p: Platform): FastifyPluginAsyncZod {
  /** The log in the caller's scope, narrowed by the page's filters. */
  const filtered = (q: z.infer<typeof auditExportQuery>, scope: Scope) => {
    let qb = p.handle.db
      .selectFrom('audit_log')
      .where((eb) => scopeWhere(eb, scope, { path: 'audit_log.org_path', orgId: 'audit_log.org_id' }));
    if (q.actor) qb = qb.where('actor_name', '=', q.actor);
    if (q.action) qb = qb.where('action', '=', q.action);
    if (q.entityType) qb = qb.where('entity_type', '=', q.entityType);
    if (q.entityId) qb = qb.where('entity_id', '=', q.entityId);
    if (q.from) qb = qb.where('at', '>=', new Date(q.from).toISOString());
    if (q.to) qb = qb.where('at', '<=', new Date(q.to).toISOString());
    return qb;
  };

  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags, summary: '审计日志查询', querystring: auditListQuery, response: { 200: auditPage } },
      },
      async (req) => {
        const { page, pageSize } = req.query;
        const qb = filtered(req.query, ctxOf(req).actor.scope);
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
      '/audit/export',
      {
        config: { access: { permission: 'audit:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '导出筛选后的审计日志（xlsx，导出本身记入审计）', querystring: auditExportQuery },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const qb = filtered(req.query, ctx.actor.scope);
        const total = Math.min(
          toNumber((await qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
          EXPORT_MAX_ROWS,
        );
        // audited before a row leaves the server
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'audit.export',
          entityType: 'audit',
          changes: { rows: total, filters: req.query },
        });
        const rows = await qb.selectAll().orderBy('seq', 'desc').limit(EXPORT_MAX_ROWS).execute();
        async function* records() {
          for (const r of rows)
            yield {
              seq: Number(r.seq),
              at: new Date(r.at),
              actor: r.actor_name ?? r.actor_id ?? t('auditLog.system'),
              action: hasMessage(`audit.${r.action}`) ? t(`audit.${r.action}`) : r.action,
              entityType: r.entity_type
                ? hasMessage(`entityType.${r.entity_type}`)
                  ? t(`entityType.${r.entity_type}`)
                  : r.entity_type
                : '',
              entityId: r.entity_id ?? '',
              ip: r.ip ?? '',
              changes: r.changes ?? '',
            };
        }
        const columns = ['seq', 'at', 'actor', 'action', 'entityType', 'entityId', 'ip', 'changes'].map((key) => ({
          key,
          header: t(`auditLog.${key === 'actor' ? 'actor' : key}`),
          width: key === 'changes' ? 60 : key === 'entityId' ? 38 : 18,
        }));
        const out = new PassThrough();
        reply.type(XLSX).header('content-disposition', attachment(`${t('auditLog.fileName')}.xlsx`));
        writeXlsxStream(out, {
          sheetName: t('auditLog.fileName'),
          columns,
          rows: records(),
          timeZone: p.config.tzDisplay,
        }).catch((err) => {
          req.log.error({ err }, 'audit export failed');
          out.destroy(err);
        });
        return reply.send(out);
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
