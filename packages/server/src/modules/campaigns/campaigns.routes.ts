import { PassThrough } from 'node:stream';
import {
  addTaskBody,
  campaignActionBody,
  campaignDetail,
  campaignListQuery,
  campaignPage,
  copyCampaignBody,
  createCampaignBody,
  dashboardSchema,
  idParams,
  metricListSchema,
  parsedNoticeSchema,
  parseNoticeBody,
  reminderListSchema,
  t,
  updateCampaignBody,
  updateTaskBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { writeXlsxStream } from '../../platform/files/index.js';
import { attachment } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Campaigns } from './campaigns.facade.js';
import { reportTitle } from './report.js';

const tags = ['工作部署'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Campaigns: parse a notice, create, edit, issue, copy, tasks, dashboard and its exports. */
export function campaignsRoutes(p: Platform, s: Campaigns): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/campaigns/parse-notice',
      {
        config: { access: { permission: 'campaign:manage' }, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '识别通知文本：标题、文号、发文单位、主送单位、工作事项、工作要求、日期（只返回建议，不保存）',
          body: parseNoticeBody,
          response: { 200: parsedNoticeSchema },
        },
      },
      async (req) => s.parse(req.body.text),
    );

    app.get(
      '/campaign-metrics',
      {
        config: { access: { permission: 'campaign:read' } },
        schema: { tags, summary: '任务可绑定的实时指标', response: { 200: metricListSchema } },
      },
      async () => s.metrics.list(),
    );

    app.get(
      '/campaigns',
      {
        config: { access: { permission: 'campaign:read' } },
        schema: {
          tags,
          summary: '工作部署列表（下发方看全部，承办单位看分配给本单位的）',
          querystring: campaignListQuery,
          response: { 200: campaignPage },
        },
      },
      async (req) => s.core.list(ctxOf(req), req.query),
    );

    app.post(
      '/campaigns',
      {
        config: { access: { permission: 'campaign:manage' } },
        schema: {
          tags,
          summary: '按核对后的通知建立工作部署（草稿）：工作事项、任务及承办单位',
          body: createCampaignBody,
          response: { 201: campaignDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await s.core.create(ctxOf(req), req.body)),
    );

    app.get(
      '/campaigns/:id',
      {
        config: { access: { permission: 'campaign:read', target: 'campaign' } },
        schema: { tags, summary: '工作部署详情', params: idParams, response: { 200: campaignDetail } },
      },
      async (req) => s.core.detail(ctxOf(req), req.params.id),
    );

    app.patch(
      '/campaigns/:id',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '修改工作部署的基本信息',
          params: idParams,
          body: updateCampaignBody,
          response: { 200: campaignDetail },
        },
      },
      async (req) => s.core.update(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/campaigns/:id/actions',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '下发、结束或重新开启工作部署',
          params: idParams,
          body: campaignActionBody,
          response: { 200: campaignDetail },
        },
      },
      async (req) => s.core.act(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/campaigns/:id/copy',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '以此为模板复制一份新的工作部署（草稿，日期可整体顺延）',
          params: idParams,
          body: copyCampaignBody,
          response: { 201: campaignDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await s.core.copy(ctxOf(req), req.params.id, req.body)),
    );

    app.post(
      '/campaigns/:id/tasks',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: {
          tags,
          summary: '为工作事项增加任务（下发后增加的立即生效）',
          params: idParams,
          body: addTaskBody,
          response: { 200: campaignDetail },
        },
      },
      async (req) => {
        const ctx = ctxOf(req);
        await s.core.tasks.add(ctx, req.params.id, req.body);
        return s.core.detail(ctx, req.params.id);
      },
    );

    app.patch(
      '/tasks/:id',
      {
        config: { access: { permission: 'campaign:manage', target: 'task' } },
        schema: {
          tags,
          summary: '修改任务：内容、截止日期、填报要求、承办单位',
          params: idParams,
          body: updateTaskBody,
          response: { 200: campaignDetail },
        },
      },
      async (req) => {
        const ctx = ctxOf(req);
        const campaignId = await s.core.tasks.update(ctx, req.params.id, req.body);
        return s.core.detail(ctx, campaignId);
      },
    );

    app.get(
      '/campaigns/:id/dashboard',
      {
        config: { access: { permission: 'campaign:read', target: 'campaign' } },
        schema: {
          tags,
          summary: '完成情况矩阵（单位 × 任务）、完成率、逾期清单、各区排名',
          params: idParams,
          response: { 200: dashboardSchema },
        },
      },
      async (req) => s.dashboards.dashboard(ctxOf(req), req.params.id),
    );

    app.get(
      '/campaigns/:id/matrix.xlsx',
      {
        config: {
          access: { permission: 'campaign:read', target: 'campaign' },
          rateLimit: { max: 20, timeWindow: '1 minute' },
        },
        schema: { tags, summary: '导出完成情况矩阵（xlsx）', params: idParams },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const d = await s.dashboards.dashboard(ctx, req.params.id);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'campaign.export',
          entityType: 'campaign',
          entityId: req.params.id,
          changes: { format: 'xlsx', rows: d.rows.length },
        });
        const columns = [
          { key: 'org', header: t('campaigns.col.org'), width: 28 },
          { key: 'group', header: t('campaigns.col.group'), width: 10 },
          ...d.tasks.map((tk, i) => ({ key: `t${i}`, header: `${tk.title}（${tk.deadline}）`, width: 20 })),
          { key: 'completion', header: t('campaigns.col.completion'), width: 10 },
        ];
        const rows = d.rows.map((r) => ({
          org: r.orgName,
          group: t(`campaignGroup.${r.group}`),
          ...Object.fromEntries(r.cells.map((c, i) => [`t${i}`, c ? t(`assignmentStatus.${c.displayStatus}`) : '—'])),
          completion: `${r.completion}%`,
        }));
        rows.push({
          org: t('campaigns.col.total'),
          group: '',
          ...Object.fromEntries(d.tasks.map((_, i) => [`t${i}`, ''])),
          completion: `${d.totals.completion}%`,
        });
        const out = new PassThrough();
        reply
          .type(XLSX)
          .header(
            'content-disposition',
            attachment(`${t('campaigns.matrixFileName', { title: d.campaign.title })}.xlsx`),
          );
        writeXlsxStream(out, { sheetName: t('campaigns.matrixSheet'), columns, rows }).catch((err) => {
          req.log.error({ err }, 'campaign matrix export failed');
          out.destroy(err);
        });
        return reply.send(out);
      },
    );

    app.get(
      '/campaigns/:id/report.docx',
      {
        config: {
          access: { permission: 'campaign:read', target: 'campaign' },
          rateLimit: { max: 20, timeWindow: '1 minute' },
        },
        schema: { tags, summary: '生成工作情况报告（DOCX，数据取自已审核通过的填报）', params: idParams },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const summary = await s.dashboards.build(ctx, req.params.id);
        const buf = await s.report.write(summary);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'campaign.export',
          entityType: 'campaign',
          entityId: req.params.id,
          changes: { format: s.report.extension },
        });
        return reply
          .type(s.report.mime)
          .header('content-disposition', attachment(`${reportTitle(summary.campaign.title)}.${s.report.extension}`))
          .send(buf);
      },
    );

    app.get(
      '/campaigns/:id/reminders',
      {
        config: { access: { permission: 'campaign:read', target: 'campaign' } },
        schema: { tags, summary: '催办记录', params: idParams, response: { 200: reminderListSchema } },
      },
      async (req) => s.reminders.log(ctxOf(req), req.params.id),
    );

    app.post(
      '/campaigns/:id/nudge-overdue',
      {
        config: { access: { permission: 'campaign:manage', target: 'campaign' } },
        schema: { tags, summary: '一键催办全部逾期任务', params: idParams, response: { 200: reminderListSchema } },
      },
      async (req) => s.reminders.nudgeOverdue(ctxOf(req), req.params.id),
    );
  };
}
