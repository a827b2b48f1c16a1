import { PassThrough } from 'node:stream';
import {
  categoryParams,
  createNeedCategoryBody,
  type NeedStatus,
  needCategoryList,
  needCategorySchema,
  needExportQuery,
  needStatsQuery,
  needStatsSchema,
  t,
  updateNeedCategoryBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { type ExportColumn, writeXlsxStream } from '../../platform/files/index.js';
import { attachment } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { NeedCategories } from './needs.categories.js';
import { isOverdue } from './needs.machine.js';
import { needsRepo } from './needs.repo.js';
import type { NeedsService } from './needs.service.js';
import type { NeedStatistics } from './needs.stats.js';
import { seesMilitary } from './needs.view.js';
import { HANDLER_ORG_TYPES } from './needs.workflow.js';

const tags = ['急难愁盼统计与配置'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const handlerOrgList = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), type: z.string() })),
});

/** Category list (configurable deadlines), handler orgs, statistics and the xlsx exports. */
export function needsReportRoutes(
  p: Platform,
  needs: NeedsService,
  categories: NeedCategories,
  statistics: NeedStatistics,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/need-categories',
      {
        config: { access: { permission: 'need:read' } },
        schema: { tags, summary: '问题类别及办理时限（工作日）', response: { 200: needCategoryList } },
      },
      async () => categories.list(),
    );

    app.post(
      '/need-categories',
      {
        config: { access: { permission: 'need:triage' } },
        schema: { tags, summary: '新增问题类别', body: createNeedCategoryBody, response: { 201: needCategorySchema } },
      },
      async (req, reply) => reply.code(201).send(await categories.create(ctxOf(req), req.body)),
    );

    app.patch(
      '/need-categories/:code',
      {
        config: { access: { permission: 'need:triage' } },
        schema: {
          tags,
          summary: '修改问题类别（名称、办理时限、启用）',
          params: categoryParams,
          body: updateNeedCategoryBody,
          response: { 200: needCategorySchema },
        },
      },
      async (req) => categories.update(ctxOf(req), req.params.code, req.body),
    );

    app.get(
      '/need-handler-orgs',
      {
        config: { access: { permission: 'need:triage' } },
        schema: { tags, summary: '可分派的承办单位', response: { 200: handlerOrgList } },
      },
      async () => {
        return { items: await needsRepo.activeOrgsOfTypes(p.handle.db, HANDLER_ORG_TYPES) };
      },
    );

    app.get(
      '/needs/statistics',
      {
        config: { access: { permission: 'need:read' } },
        schema: {
          tags,
          summary: '统计：按类别、部门、状态，按时办复率，办复用时中位数，满意度，部门排行',
          querystring: needStatsQuery,
          response: { 200: needStatsSchema },
        },
      },
      async (req) => statistics.stats(ctxOf(req), req.query),
    );

    app.get(
      '/needs/statistics/export',
      {
        config: { access: { permission: 'need:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '导出部门办理情况排行（xlsx）', querystring: needStatsQuery },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const s = await statistics.stats(ctx, req.query);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'need.stats_export',
          entityType: 'need',
          changes: { rows: s.league.length, filters: req.query },
        });
        const keys = [
          'rank',
          'orgName',
          'assigned',
          'resolved',
          'onTimeRate',
          'overdueOpen',
          'averageRating',
          'medianDays',
        ];
        const columns: ExportColumn[] = keys.map((key) => ({
          key,
          header: t(key === 'orgName' ? 'needExport.col.leadOrg' : `needExport.col.${key}`),
          width: key === 'orgName' ? 30 : 14,
        }));
        const rows = s.league.map((r) => ({
          ...r,
          onTimeRate: r.onTimeRate === null ? '' : `${Math.round(r.onTimeRate * 1000) / 10}%`,
        }));
        return sendXlsx(reply, t('needExport.leagueFileName'), columns, rows, (err) =>
          req.log.error({ err }, 'export failed'),
        );
      },
    );

    app.get(
      '/needs/export',
      {
        config: { access: { permission: 'need:read' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '导出问题清单（xlsx；地方用户的导出不含仅军方可见的列）',
          querystring: needExportQuery,
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const filter = await needs.filterOf(ctx, req.query);
        const military = seesMilitary(ctx.actor);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'need.export',
          entityType: 'need',
          changes: { filters: req.query, military_columns: military },
        });
        const labels = new Map((await needsRepo.categories(p.handle.db)).map((c) => [c.code, c.label]));
        const today = needs.today();
        const db = p.handle.db;
        async function* rows() {
          for await (const batch of needsRepo.scan(db, ctx.actor.scope, filter)) {
            const tagMap = await needsRepo.tagsOf(
              db,
              SYSTEM_SCOPE,
              batch.map((r) => r.id),
            );
            for (const r of batch) {
              const row: Record<string, unknown> = {
                title: r.title,
                category: labels.get(r.category) ?? r.category,
                priority: t(`needPriority.${r.priority}`),
                source: t(`needSource.${r.source}`),
                status: t(`needStatus.${r.status}`),
                org: r.org_name,
                leadOrg: r.lead_org_name,
                deadline: r.deadline,
                overdue: t(isOverdue(r.status as NeedStatus, r.deadline, today) ? 'needExport.yes' : 'needExport.no'),
                tags: (tagMap.get(r.id) ?? []).map((x) => t(`needTag.${x}`)).join('、'),
                createdAt: new Date(r.created_at),
                resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
                rating: r.rating,
                description: r.description,
              };
              // the civilian workbook is built without the column, not with it blanked
              if (military) row.militaryDetail = r.military_detail;
              yield row;
            }
          }
        }
        const keys = [
          'title',
          'category',
          'priority',
          'source',
          'status',
          'org',
          'leadOrg',
          'deadline',
          'overdue',
          'tags',
          'createdAt',
          'resolvedAt',
          'rating',
          'description',
          ...(military ? ['militaryDetail'] : []),
        ];
        const columns: ExportColumn[] = keys.map((key) => ({
          key,
          header: t(`needExport.col.${key}`),
          width: ['title', 'description', 'militaryDetail'].includes(key) ? 40 : 16,
        }));
        return sendXlsx(reply, t('needExport.fileName'), columns, rows(), (err) =>
          req.log.error({ err }, 'export failed'),
        );
      },
    );
  };
}

function sendXlsx(
  reply: import('fastify').FastifyReply,
  name: string,
  columns: ExportColumn[],
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  onError: (err: unknown) => void,
) {
  const out = new PassThrough();
  reply.type(XLSX).header('content-disposition', attachment(`${name}.xlsx`));
  writeXlsxStream(out, { sheetName: name, columns, rows }).catch((err) => {
    onError(err);
    out.destroy(err);
  });
  return reply.send(out);
}
