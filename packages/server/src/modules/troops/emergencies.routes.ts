import {
  arriveEmergencyBody,
  createEmergencyBody,
  decideEmergencyBody,
  emergencyDetail,
  emergencyLetterBody,
  emergencyListQuery,
  emergencyPage,
  emergencyWithdrawBody,
  idParams,
  returnEmergencyBody,
  t,
  troopUnitList,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { DOCX_TYPE } from '../../platform/files/letter.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { EmergenciesService } from './emergencies.service.js';
import { thanksDocx, thanksPdf } from './emergency-letter.js';

const tags = ['拥政爱民'];
const emergency = { target: 'troopEmergency' } as const;

/** 抢险救灾 support requests: thin, the service decides (state machine, approval policy, scope). */
export function emergencyRoutes(p: Platform, emergencies: EmergenciesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/troop-emergencies',
      {
        config: { access: { permission: 'troops:read' } },
        schema: {
          tags,
          summary: '抢险救灾支援申请（提出方看本辖区的，军分区看全部，部队看派给本部队的）',
          querystring: emergencyListQuery,
          response: { 200: emergencyPage },
        },
      },
      async (req) => emergencies.list(ctxOf(req), req.query),
    );
    app.post(
      '/troop-emergencies',
      {
        config: { access: { permission: 'troops:request' } },
        schema: {
          tags,
          summary: '申请部队支援抢险救灾（区或市级）',
          body: createEmergencyBody,
          response: { 201: emergencyDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await emergencies.create(ctxOf(req), req.body)),
    );
    app.get(
      '/troop-units',
      {
        config: { access: { permission: 'troops:manage' } },
        schema: { tags, summary: '可派出的部队（军分区）', response: { 200: troopUnitList } },
      },
      async () => emergencies.units(),
    );
    app.get(
      '/troop-emergencies/:id',
      {
        config: { access: { permission: 'troops:read', ...emergency } },
        schema: { tags, summary: '支援申请详情及全过程记录', params: idParams, response: { 200: emergencyDetail } },
      },
      async (req) => emergencies.detail(ctxOf(req), req.params.id),
    );
    app.post(
      '/troop-emergencies/:id/decision',
      {
        config: { access: { permission: 'troops:manage', ...emergency, approves: 'troop.emergency' } },
        schema: {
          tags,
          summary: '军分区审批：派出部队，或说明理由不予派出',
          params: idParams,
          body: decideEmergencyBody,
          response: { 200: emergencyDetail },
        },
      },
      async (req) => emergencies.decide(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-emergencies/:id/withdraw',
      {
        config: { access: { permission: 'troops:request', ...emergency } },
        schema: {
          tags,
          summary: '撤回尚未审批的申请（提出方）',
          params: idParams,
          body: emergencyWithdrawBody,
          response: { 200: emergencyDetail },
        },
      },
      async (req) => emergencies.withdraw(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-emergencies/:id/arrive',
      {
        config: { access: { permission: 'troops:write', ...emergency } },
        schema: {
          tags,
          summary: '部队登记到达现场',
          params: idParams,
          body: arriveEmergencyBody,
          response: { 200: emergencyDetail },
        },
      },
      async (req) => emergencies.arrive(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-emergencies/:id/return',
      {
        config: { access: { permission: 'troops:write', ...emergency } },
        schema: {
          tags,
          summary: '部队登记完成的工作并返回（全部部队返回后任务完成）',
          params: idParams,
          body: returnEmergencyBody,
          response: { 200: emergencyDetail },
        },
      },
      async (req) => emergencies.returned(ctxOf(req), req.params.id, req.body),
    );
    app.post(
      '/troop-emergencies/:id/letter',
      {
        config: { access: { permission: 'troops:request', ...emergency } },
        schema: {
          tags,
          summary: '致感谢信（提出方，任务完成后）',
          params: idParams,
          body: emergencyLetterBody,
          response: { 200: emergencyDetail },
        },
      },
      async (req) => emergencies.letter(ctxOf(req), req.params.id, req.body),
    );
    app.get(
      '/troop-emergencies/:id/letter',
      {
        config: { access: { permission: 'troops:read', ...emergency } },
        schema: {
          tags,
          summary: '下载感谢信（DOCX 或 PDF）',
          params: idParams,
          querystring: z.strictObject({ format: z.enum(['docx', 'pdf']).default('docx') }),
        },
      },
      async (req, reply) => {
        const letter = await emergencies.letterOf(ctxOf(req), req.params.id);
        const pdf = req.query.format === 'pdf';
        const fileName = `${t('troops.letter.title')}.${pdf ? 'pdf' : 'docx'}`;
        await auditDownload(p, req, {
          kind: 'troop_thanks_letter',
          entityType: 'troop_emergency',
          entityId: req.params.id,
          fileName,
        });
        return reply
          .type(pdf ? 'application/pdf' : DOCX_TYPE)
          .header('content-disposition', attachment(fileName))
          .send(pdf ? await thanksPdf(letter) : await thanksDocx(letter));
      },
    );
  };
}
