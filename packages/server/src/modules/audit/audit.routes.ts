import { PassThrough } from 'node:stream';
import { auditExportQuery, auditListQuery, auditPage, auditVerifySchema, hasMessage, t } from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditRepo } from '../../platform/audit/audit.repo.js';
import type { RecordLabels } from '../../platform/audit/labels.js';
import { toAuditEntry } from '../../platform/audit/present.js';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { writeXlsxStream } from '../../platform/files/export.js';
import { attachment } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';

const tags = ['审计日志'];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EXPORT_MAX_ROWS = 50_000;

export function auditRoutes(p: Platform, labels: RecordLabels): FastifyPluginAsyncZod {
  const db = p.handle.db;
  return async (app) => {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: { tags, summary: '审计日志查询', querystring: auditListQuery, response: { 200: auditPage } },
      },
      async (req) => {
        const { page, pageSize } = req.query;
        const { actor } = ctxOf(req);
        const [rows, total] = await Promise.all([
          auditRepo.rows(db, req.query, actor.scope, pageSize, (page - 1) * pageSize),
          auditRepo.count(db, req.query, actor.scope),
        ]);
        const named = await labels.resolve(rows, actor);
        const items = rows.map((r) => toAuditEntry(r, named.get(`${r.entity_type}:${r.entity_id}`) ?? null));
        return { items, total, page, pageSize };
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
        const scope = ctx.actor.scope;
        const total = Math.min(await auditRepo.count(db, req.query, scope), EXPORT_MAX_ROWS);
        // audited before a row leaves the server
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'audit.export',
          entityType: 'audit',
          changes: { rows: total, filters: req.query },
        });
        const rows = await auditRepo.rows(db, req.query, scope, EXPORT_MAX_ROWS);
        const named = await labels.resolve(rows, ctx.actor);
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
              entityLabel: named.get(`${r.entity_type}:${r.entity_id}`) ?? '',
              entityId: r.entity_id ?? '',
              ip: r.ip ?? '',
              changes: r.changes ?? '',
            };
        }
        const columns = ['seq', 'at', 'actor', 'action', 'entityType', 'entityLabel', 'entityId', 'ip', 'changes'].map(
          (key) => ({
            key,
            header: t(`auditLog.${key}`),
            width: key === 'changes' ? 60 : key === 'entityId' || key === 'entityLabel' ? 38 : 18,
          }),
        );
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
