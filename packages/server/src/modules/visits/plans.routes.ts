import {
  addVisitTargetBody,
  assignVisitTargetsBody,
  confirmVisitPlanBody,
  createVisitPlanBody,
  createVisitTeamBody,
  idParams,
  jobSchema,
  updateVisitPlanBody,
  visitCampaignList,
  visitConflictList,
  visitGroupList,
  visitPlanListQuery,
  visitPlanPage,
  visitPlanSchema,
  visitTargetListQuery,
  visitTargetPage,
  visitTargetSchema,
  visitTeamList,
  visitTeamSchema,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { toJob } from '../../platform/jobs/present.js';
import { LETTERS_KIND } from './letters.js';
import type { PlansService } from './plans.service.js';
import type { TeamsService } from './teams.service.js';

const tags = ['走访慰问：计划与名单'];
const plan = { target: 'visitPlan' } as const;

/** Plans: rules, targets with their reasons, conflicts, confirmation, teams, groups, bulk letters. */
export function plansRoutes(plans: PlansService, teams: TeamsService, jobs: Jobs): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/visit-campaigns',
      {
        config: { access: { permission: 'visit:read' } },
        schema: {
          tags,
          summary: '可用于走访慰问的工作部署（已下发，本单位、上级或下级相关的），新的在前',
          response: { 200: visitCampaignList },
        },
      },
      async (req) => plans.campaigns(ctxOf(req)),
    );

    app.get(
      '/visit-plans',
      {
        config: { access: { permission: 'visit:read' } },
        schema: { tags, summary: '走访计划列表', querystring: visitPlanListQuery, response: { 200: visitPlanPage } },
      },
      async (req) => plans.page(ctxOf(req), req.query),
    );

    app.post(
      '/visit-plans',
      {
        config: { access: { permission: 'visit:write' } },
        schema: {
          tags,
          summary: '新建走访计划：按规则从优抚对象库生成名单（每户一个对象，记录列入原因）',
          body: createVisitPlanBody,
          response: { 201: visitPlanSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await plans.create(ctxOf(req), req.body)),
    );

    app.get(
      '/visit-plans/:id',
      {
        config: { access: { permission: 'visit:read', ...plan } },
        schema: {
          tags,
          summary: '走访计划详情（规则、命中数、慰问标准）',
          params: idParams,
          response: { 200: visitPlanSchema },
        },
      },
      async (req) => plans.view(ctxOf(req), req.params.id),
    );

    app.patch(
      '/visit-plans/:id',
      {
        config: { access: { permission: 'visit:write', ...plan } },
        schema: {
          tags,
          summary: '修改计划（改规则会重新生成名单，手工添加的对象保留）',
          params: idParams,
          body: updateVisitPlanBody,
          response: { 200: visitPlanSchema },
        },
      },
      async (req) => plans.update(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/visit-plans/:id/targets',
      {
        config: { access: { permission: 'visit:read', ...plan } },
        schema: {
          tags,
          summary: '计划名单（含列入原因）',
          params: idParams,
          querystring: visitTargetListQuery.omit({ planId: true, campaignId: true }),
          response: { 200: visitTargetPage },
        },
      },
      async (req) => plans.targets(ctxOf(req), { ...req.query, planId: req.params.id }),
    );

    app.post(
      '/visit-plans/:id/targets',
      {
        config: { access: { permission: 'visit:write', ...plan } },
        schema: {
          tags,
          summary: '手工添加对象：户、部队单位、边防哨所、官兵家属',
          params: idParams,
          body: addVisitTargetBody,
          response: { 201: visitTargetSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await plans.addTarget(ctxOf(req), req.params.id, req.body)),
    );

    app.get(
      '/visit-plans/:id/conflicts',
      {
        config: { access: { permission: 'visit:read', ...plan } },
        schema: { tags, summary: '与其他部门名单重复的对象', params: idParams, response: { 200: visitConflictList } },
      },
      async (req) => plans.conflicts(ctxOf(req), req.params.id),
    );

    app.post(
      '/visit-plans/:id/confirm',
      {
        config: { access: { permission: 'visit:write', ...plan } },
        schema: {
          tags,
          summary: '确认名单（与其他部门已确认名单冲突时拒绝，或按选择跳过冲突对象）',
          params: idParams,
          body: confirmVisitPlanBody,
          response: { 200: visitPlanSchema },
        },
      },
      async (req) => plans.confirm(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/visit-plans/:id/teams',
      {
        config: { access: { permission: 'visit:read', ...plan } },
        schema: { tags, summary: '走访小组', params: idParams, response: { 200: visitTeamList } },
      },
      async (req) => teams.list(ctxOf(req), req.params.id),
    );

    app.post(
      '/visit-plans/:id/teams',
      {
        config: { access: { permission: 'visit:write', ...plan } },
        schema: {
          tags,
          summary: '新建走访小组（工作人员、带队领导、计划日期）',
          params: idParams,
          body: createVisitTeamBody,
          response: { 201: visitTeamSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await teams.create(ctxOf(req), req.params.id, req.body)),
    );

    app.post(
      '/visit-plans/:id/assign',
      {
        config: { access: { permission: 'visit:write', ...plan } },
        schema: {
          tags,
          summary: '把对象（或整条街道）分配给小组',
          params: idParams,
          body: assignVisitTargetsBody,
          response: { 200: z.object({ assigned: z.number().int() }) },
        },
      },
      async (req) => teams.assign(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/visit-plans/:id/groups',
      {
        config: { access: { permission: 'visit:read', ...plan } },
        schema: {
          tags,
          summary: '按街道分组（独山子区单独安排行程）',
          params: idParams,
          response: { 200: visitGroupList },
        },
      },
      async (req) => teams.groups(ctxOf(req), req.params.id),
    );

    app.post(
      '/visit-plans/:id/letters',
      {
        config: { access: { permission: 'visit:write', ...plan }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '批量生成慰问信（任务，完成后下载 zip）',
          params: idParams,
          response: { 202: jobSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const p = await plans.view(ctx, req.params.id);
        const job = await jobs.create(ctx.actor, { id: ctx.actor.orgId, path: ctx.actor.orgPath }, LETTERS_KIND, {
          planId: p.id,
        });
        return reply.code(202).send(toJob(job));
      },
    );
  };
}
