import {
  auditEntrySchema,
  beneficiaryDetail,
  beneficiaryListQuery,
  beneficiaryPage,
  createBeneficiaryBody,
  createTransferBody,
  decideTransferBody,
  gradeChangeBody,
  gradeChangeList,
  gradeChangeResult,
  idParams,
  lookupBody,
  lookupResult,
  mergeBody,
  mergeResult,
  revealBody,
  revealResult,
  transferListQuery,
  transferPage,
  transferSchema,
  updateBeneficiaryBody,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditRepo } from '../../platform/audit/audit.repo.js';
import { toAuditEntry } from '../../platform/audit/present.js';
import type { Platform } from '../../platform/context.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { GradeChangesService } from './grade-changes.service.js';
import type { MergesService } from './merges.service.js';
import { checkPerson } from './normalize.js';
import { idBlindIndex } from './personal-data.js';
import { invalidPerson, type RegistryService } from './registry.service.js';
import type { TransfersService } from './transfers.service.js';

const tags = ['优抚对象'];

export function registryRoutes(
  p: Platform,
  registry: RegistryService,
  transfers: TransfersService,
  merges: MergesService,
  gradeChanges: GradeChangesService,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/beneficiaries',
      {
        config: { access: { permission: 'beneficiary:read' } },
        schema: {
          tags,
          summary: '优抚对象列表（姓名、拼音、拼音首字母、繁简体搜索：q）',
          querystring: beneficiaryListQuery,
          response: { 200: beneficiaryPage },
        },
      },
      async (req) => registry.page(ctxOf(req), req.query),
    );

    app.post(
      '/beneficiaries/lookup',
      {
        // bulk-extraction guard: exact lookups by ID number are few per person and audited
        config: { access: { permission: 'beneficiary:read' }, rateLimit: { max: 30, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '按完整身份证号精确查询（号码放在请求体中）',
          body: lookupBody,
          response: { 200: lookupResult },
        },
      },
      async (req) => registry.lookup(ctxOf(req), req.body.idNumber),
    );

    app.get(
      '/beneficiaries/:id',
      {
        config: { access: { permission: 'beneficiary:read', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '优抚对象详情（个人信息已脱敏）',
          params: idParams,
          response: { 200: beneficiaryDetail },
        },
      },
      async (req) => registry.detail(ctxOf(req), req.params.id),
    );

    app.get(
      '/beneficiaries/:id/history',
      {
        config: { access: { permission: 'beneficiary:read', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '变更历史（来自审计日志）',
          params: idParams,
          response: { 200: z.object({ items: z.array(auditEntrySchema) }) },
        },
      },
      async (req) => {
        const rows = await auditRepo.history(p.handle.db, 'beneficiary', req.params.id);
        return { items: rows.map((r) => toAuditEntry(r)) };
      },
    );

    app.post(
      '/beneficiaries',
      {
        config: { access: { permission: 'beneficiary:write' } },
        schema: {
          tags,
          summary: '登记优抚对象（重复身份证号返回 409）',
          body: createBeneficiaryBody,
          response: { 201: beneficiaryDetail },
        },
      },
      async (req, reply) => reply.code(201).send(await registry.create(ctxOf(req), req.body)),
    );

    app.patch(
      '/beneficiaries/:id',
      {
        config: { access: { permission: 'beneficiary:write', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '修改优抚对象（带 version）',
          params: idParams,
          body: updateBeneficiaryBody,
          response: { 200: beneficiaryDetail },
        },
      },
      async (req) => registry.update(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/beneficiaries/:id/grade-changes',
      {
        config: { access: { permission: 'beneficiary:read', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '伤残等级变更记录（评残、调残）',
          params: idParams,
          response: { 200: gradeChangeList },
        },
      },
      async (req) => gradeChanges.list(ctxOf(req), req.params.id),
    );

    app.post(
      '/beneficiaries/:id/grade-changes',
      {
        config: { access: { permission: 'beneficiary:write', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '登记伤残等级变更（决定日期、文号；新等级自次月起执行，带 version）',
          params: idParams,
          body: gradeChangeBody,
          response: { 201: gradeChangeResult },
        },
      },
      async (req, reply) => reply.code(201).send(await gradeChanges.record(ctxOf(req), req.params.id, req.body)),
    );

    app.post(
      '/beneficiaries/:id/reveal',
      {
        config: {
          access: { permission: 'beneficiary:reveal', target: 'beneficiary' },
          rateLimit: { max: 30, timeWindow: '1 minute' },
        },
        schema: {
          tags,
          summary: '查看完整身份证号、电话、地址（须填写事由，留痕）',
          params: idParams,
          body: revealBody,
          response: { 200: revealResult },
        },
      },
      async (req) => registry.reveal(ctxOf(req), req.params.id, req.body.reason),
    );

    app.post(
      '/beneficiaries/:id/merge',
      {
        config: { access: { permission: 'beneficiary:write', target: 'beneficiary', approves: 'merge' } },
        schema: {
          tags,
          summary: '合并重复登记（保留本条，隐藏被合并的一条；可撤销）',
          params: idParams,
          body: mergeBody,
          response: { 200: mergeResult },
        },
      },
      async (req) => merges.merge(ctxOf(req), req.params.id, req.body.mergedId),
    );

    app.post(
      '/merges/:id/undo',
      {
        config: { access: { permission: 'beneficiary:write', target: 'merge' } },
        schema: { tags, summary: '撤销合并', params: idParams, response: { 200: mergeResult } },
      },
      async (req) => merges.undo(ctxOf(req), req.params.id),
    );

    app.get(
      '/transfers',
      {
        config: { access: { permission: 'beneficiary:read' } },
        schema: {
          tags,
          summary: '迁移申请（迁出与迁入）',
          querystring: transferListQuery,
          response: { 200: transferPage },
        },
      },
      async (req) => transfers.page(ctxOf(req), req.query.status, req.query.page, req.query.pageSize),
    );

    app.post(
      '/transfers',
      {
        config: { access: { permission: 'beneficiary:write' } },
        schema: {
          tags,
          summary: '发起迁移（迁出到其他单位）',
          body: createTransferBody,
          response: { 201: transferSchema },
        },
      },
      async (req, reply) => {
        const n = checkPerson({ name: '迁移', idNumber: req.body.idNumber, categories: [] });
        if (!n.ok) throw invalidPerson(n.errors.filter((e) => e.field === 'idNumber'));
        const t = await transfers.request(ctxOf(req), req.body, idBlindIndex(p.crypto, n.value.idNumber));
        return reply.code(201).send(t);
      },
    );

    for (const [suffix, accept, summary] of [
      ['accept', true, '同意迁移（未提出申请的一方或市级）'],
      ['reject', false, '拒绝迁移（申请方为撤回）'],
    ] as const) {
      app.post(
        `/transfers/:id/${suffix}`,
        {
          config: {
            access: {
              permission: 'beneficiary:write',
              target: 'transfer',
              ...(accept ? { approves: 'transfer' } : {}),
            },
          },
          schema: { tags, summary, params: idParams, body: decideTransferBody, response: { 200: transferSchema } },
        },
        async (req) => transfers.decide(ctxOf(req), req.params.id, accept, req.body.note),
      );
    }
  };
}
