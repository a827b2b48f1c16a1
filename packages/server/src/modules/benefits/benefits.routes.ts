import { PassThrough } from 'node:stream';
import {
  accountBody,
  accountOut,
  accountRevealBody,
  accountRevealResult,
  assignDiscrepancyBody,
  benefitStandardBody,
  benefitStandardCreated,
  benefitStandardList,
  benefitStandardQuery,
  benefitTotals,
  benefitTotalsQuery,
  closeDiscrepancyBody,
  confirmationBody,
  confirmationCreated,
  confirmationList,
  confirmationListQuery,
  createRosterBody,
  discrepancyListQuery,
  discrepancyOwners,
  discrepancyPage,
  discrepancySchema,
  entitlementExplain,
  entitlementQuery,
  idParams,
  idSchema,
  jobSchema,
  monthSchema,
  rosterDecisionBody,
  rosterLinePage,
  rosterLinesQuery,
  rosterListQuery,
  rosterPage,
  rosterSchema,
  standardImportResult,
  t,
  unconfirmedList,
  unconfirmedQuery,
  versionBody,
} from '@shuangyong/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { cleanFileName, writeXlsxStream } from '../../platform/files/index.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import { toJob } from '../../platform/jobs/present.js';
import type { BenefitsService } from './benefits.service.js';
import type { DiscrepancyCases } from './discrepancies.service.js';

const tags = ['政策待遇落实'];
const MAX_UPLOAD = 20 * 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const roster = { target: 'benefitRoster' } as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const cardQuery = z.strictObject({
  beneficiaryId: idSchema,
  month: monthSchema,
  format: z.enum(['docx', 'pdf']).default('docx'),
});
const householdCardQuery = z.strictObject({ month: monthSchema, format: z.enum(['docx', 'pdf']).default('docx') });
const fileQuery = z.strictObject({ fileName: z.string().trim().min(1).max(200).optional() });

const asBuffer = (body: unknown): Buffer => {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
  return body;
};

/** Standards, entitlement, rosters, the bank list, return files, discrepancies. Thin: the service decides. */
export function benefitsRoutes(
  p: Platform,
  benefits: BenefitsService,
  discrepancies: DiscrepancyCases,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/benefit-standards',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '待遇标准（含历史）',
          querystring: benefitStandardQuery,
          response: { 200: benefitStandardList },
        },
      },
      async (req) => benefits.standards(req.query),
    );

    const cardContactsOut = z.object({
      items: z.array(z.object({ path: z.string(), name: z.string(), text: z.string() })),
    });
    app.get(
      '/benefit-settings/card-contacts',
      {
        config: { access: { permission: 'benefit:standards' } },
        schema: { tags, summary: '待遇明白卡政策咨询电话（各区）', response: { 200: cardContactsOut } },
      },
      async (req) => benefits.cardContacts(ctxOf(req)),
    );
    app.put(
      '/benefit-settings/card-contacts',
      {
        config: { access: { permission: 'benefit:standards' } },
        schema: {
          tags,
          summary: '修改待遇明白卡政策咨询电话（留空则用全市默认）',
          body: z.strictObject({ contacts: z.record(z.string().max(64), z.string().max(200)) }),
          response: { 200: cardContactsOut },
        },
      },
      async (req) => benefits.setCardContacts(ctxOf(req), req.body.contacts),
    );

    app.post(
      '/benefit-standards',
      {
        config: { access: { permission: 'benefit:standards' } },
        schema: {
          tags,
          summary: '新增待遇标准（不修改旧标准；起始月份早于已发放月份时以后台任务生成补发，返回任务编号）',
          body: benefitStandardBody,
          response: { 201: benefitStandardCreated },
        },
      },
      async (req, reply) => reply.code(201).send(await benefits.createStandard(ctxOf(req), req.body)),
    );

    app.post(
      '/benefit-standards/import',
      {
        bodyLimit: MAX_UPLOAD,
        config: { access: { permission: 'benefit:standards' } },
        schema: {
          tags,
          summary: '从 xlsx/CSV 导入待遇标准（全部有效才记录；补发以后台任务生成，返回任务编号）',
          response: { 200: standardImportResult },
        },
      },
      async (req) => benefits.importStandards(ctxOf(req), asBuffer(req.body)),
    );

    app.get(
      '/benefit-entitlements',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '某人逐月应享待遇及依据',
          querystring: entitlementQuery,
          response: { 200: entitlementExplain },
        },
      },
      async (req) => benefits.explain(ctxOf(req), req.query.beneficiaryId, req.query.from, req.query.to),
    );

    const sendCard = async (
      req: FastifyRequest,
      reply: FastifyReply,
      card: { buf: Buffer; fileName: string; householdId: string },
      audit: { entityType: string; entityId: string; month: string },
      format: 'docx' | 'pdf',
    ) => {
      await auditDownload(p, req, {
        kind: 'benefit.card',
        entityType: audit.entityType,
        entityId: audit.entityId,
        fileName: card.fileName,
        extra: { month: audit.month, householdId: card.householdId },
      });
      return reply
        .type(format === 'pdf' ? 'application/pdf' : DOCX)
        .header('content-disposition', attachment(card.fileName))
        .send(card.buf);
    };

    app.get(
      '/benefit-entitlements/card',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '下载某人所在家庭的待遇明白卡（DOCX 或 PDF，一页：家庭成员某月应享待遇及依据、合计；下载留痕）',
          querystring: cardQuery,
        },
      },
      async (req, reply) => {
        const { beneficiaryId, month, format } = req.query;
        const card = await benefits.card(ctxOf(req), beneficiaryId, month, format);
        return sendCard(req, reply, card, { entityType: 'beneficiary', entityId: beneficiaryId, month }, format);
      },
    );

    app.get(
      '/benefit-households/:id/card',
      {
        config: { access: { permission: 'benefit:read', target: 'benefitHousehold' } },
        schema: {
          tags,
          summary: '下载家庭的待遇明白卡（DOCX 或 PDF，一页；下载留痕）',
          params: idParams,
          querystring: householdCardQuery,
        },
      },
      async (req, reply) => {
        const { month, format } = req.query;
        const card = await benefits.householdCard(ctxOf(req), req.params.id, month, format);
        return sendCard(req, reply, card, { entityType: 'household', entityId: req.params.id, month }, format);
      },
    );

    app.get(
      '/benefit-rosters',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '发放名册（区级本区，市级全部）',
          querystring: rosterListQuery,
          response: { 200: rosterPage },
        },
      },
      async (req) => benefits.rosterPage(ctxOf(req), req.query),
    );

    app.post(
      '/benefit-rosters',
      {
        config: { access: { permission: 'benefit:pay' } },
        schema: {
          tags,
          summary: '生成（或重新生成草稿）某区某月的发放名册',
          body: createRosterBody,
          response: { 201: rosterSchema },
        },
      },
      async (req, reply) => reply.code(201).send(await benefits.createRoster(ctxOf(req), req.body)),
    );

    app.get(
      '/benefit-rosters/:id',
      {
        config: { access: { permission: 'benefit:read', ...roster } },
        schema: { tags, summary: '发放名册', params: idParams, response: { 200: rosterSchema } },
      },
      async (req) => benefits.roster(ctxOf(req), req.params.id),
    );

    app.get(
      '/benefit-rosters/:id/lines',
      {
        config: { access: { permission: 'benefit:read', ...roster } },
        schema: {
          tags,
          summary: '名册明细（身份证号脱敏）',
          params: idParams,
          querystring: rosterLinesQuery,
          response: { 200: rosterLinePage },
        },
      },
      async (req) => benefits.rosterLines(ctxOf(req), req.params.id, req.query.page, req.query.pageSize),
    );

    app.post(
      '/benefit-rosters/:id/request',
      {
        config: { access: { permission: 'benefit:pay', ...roster } },
        schema: { tags, summary: '提交审核放行', params: idParams, body: versionBody, response: { 200: rosterSchema } },
      },
      async (req) => benefits.requestRelease(ctxOf(req), req.params.id, req.body.version),
    );

    app.post(
      '/benefit-rosters/:id/decision',
      {
        config: { access: { permission: 'benefit:approve', ...roster, approves: 'benefit.roster' } },
        schema: {
          tags,
          summary: '审核放行或退回名册（上级或市级；编制单位不能自己放行）',
          params: idParams,
          body: rosterDecisionBody,
          response: { 200: rosterSchema },
        },
      },
      async (req) => benefits.decide(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/benefit-rosters/:id/bank-list',
      {
        config: { access: { permission: 'benefit:pay', ...roster } },
        schema: { tags, summary: '下载银行代发清单（xlsx，含完整身份证号；导出留痕）', params: idParams },
      },
      async (req, reply) => {
        const list = await benefits.bankList(ctxOf(req), req.params.id);
        const columns = [
          { key: 'no', header: t('benefits.bank.col.no'), width: 8 },
          { key: 'name', header: t('benefits.bank.col.name'), width: 14 },
          { key: 'idNumber', header: t('benefits.bank.col.idNumber'), width: 22 },
          { key: 'bank', header: t('benefits.bank.col.bank'), width: 20 },
          { key: 'account', header: t('benefits.bank.col.account'), width: 24 },
          { key: 'amount', header: t('benefits.bank.col.amount'), width: 14 },
          { key: 'note', header: t('benefits.bank.col.note'), width: 16 },
        ];
        const out = new PassThrough();
        reply.type(XLSX).header('content-disposition', attachment(`${list.title}.xlsx`));
        writeXlsxStream(out, { sheetName: list.title, columns, rows: list.rows }).catch((err) => {
          req.log.error({ err }, 'bank list failed');
          out.destroy(err);
        });
        return reply.send(out);
      },
    );

    app.post(
      '/benefit-rosters/:id/return',
      {
        bodyLimit: MAX_UPLOAD,
        config: { access: { permission: 'benefit:pay', ...roster } },
        schema: {
          tags,
          summary: '导入银行回盘文件并对账（xlsx/CSV，GBK 可；后台任务，轮询 /jobs/:id 查看进度与结果）',
          params: idParams,
          querystring: fileQuery,
          response: { 202: jobSchema },
        },
      },
      async (req, reply) => {
        const job = await benefits.startReconcile(
          ctxOf(req),
          req.params.id,
          asBuffer(req.body),
          cleanFileName(req.query.fileName) || 'return.xlsx',
        );
        return reply.code(202).send(toJob(job));
      },
    );

    app.post(
      '/benefit-confirmations',
      {
        config: { access: { permission: 'benefit:pay' } },
        schema: {
          tags,
          summary: '登记年度确认（迟到的确认使已暂停月份补发）',
          body: confirmationBody,
          response: { 201: confirmationCreated },
        },
      },
      async (req, reply) => reply.code(201).send(await benefits.recordConfirmation(ctxOf(req), req.body)),
    );

    app.get(
      '/benefit-confirmations',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '年度确认记录',
          querystring: confirmationListQuery,
          response: { 200: confirmationList },
        },
      },
      async (req) => benefits.confirmations(ctxOf(req), req.query),
    );

    app.get(
      '/benefit-confirmations/missing',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '某月因未年度确认而暂停发放的对象',
          querystring: unconfirmedQuery,
          response: { 200: unconfirmedList },
        },
      },
      async (req) => benefits.unconfirmed(ctxOf(req), req.query),
    );

    app.get(
      '/benefit-accounts/:id',
      {
        config: { access: { permission: 'benefit:read', target: 'beneficiary' } },
        schema: { tags, summary: '发放账户（账号脱敏）', params: idParams, response: { 200: accountOut } },
      },
      async (req) => benefits.account(ctxOf(req), req.params.id),
    );

    app.put(
      '/benefit-accounts/:id',
      {
        config: { access: { permission: 'benefit:pay', target: 'beneficiary' } },
        schema: {
          tags,
          summary: '登记发放账户（账号加密保存，列表脱敏，修改留痕）',
          params: idParams,
          body: accountBody,
          response: { 200: accountOut },
        },
      },
      async (req) => benefits.saveAccount(ctxOf(req), req.params.id, req.body),
    );

    app.post(
      '/benefit-accounts/:id/reveal',
      {
        config: {
          access: { permission: 'beneficiary:reveal', target: 'beneficiary' },
          rateLimit: { max: 30, timeWindow: '1 minute' },
        },
        schema: {
          tags,
          summary: '查看完整银行账号（须填写事由，留痕）',
          params: idParams,
          body: accountRevealBody,
          response: { 200: accountRevealResult },
        },
      },
      async (req) => benefits.revealAccount(ctxOf(req), req.params.id, req.body.reason),
    );

    app.get(
      '/benefit-discrepancies',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '对账问题清单',
          querystring: discrepancyListQuery,
          response: { 200: discrepancyPage },
        },
      },
      async (req) => discrepancies.page(ctxOf(req), req.query),
    );

    app.post(
      '/benefit-discrepancies/:id/close',
      {
        config: { access: { permission: 'benefit:pay', target: 'benefitDiscrepancy' } },
        schema: {
          tags,
          summary: '办结对账问题（已补发、已追回、已说明）',
          params: idParams,
          body: closeDiscrepancyBody,
          response: { 200: discrepancySchema },
        },
      },
      async (req) => discrepancies.close(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/benefit-discrepancies/:id',
      {
        config: { access: { permission: 'benefit:read', target: 'benefitDiscrepancy' } },
        schema: { tags, summary: '对账问题详情', params: idParams, response: { 200: discrepancySchema } },
      },
      async (req) => discrepancies.get(ctxOf(req), req.params.id),
    );

    app.get(
      '/benefit-discrepancies/:id/owners',
      {
        config: { access: { permission: 'benefit:pay', target: 'benefitDiscrepancy' } },
        schema: {
          tags,
          summary: '对账问题可转交的承办单位和人员',
          params: idParams,
          response: { 200: discrepancyOwners },
        },
      },
      async (req) => discrepancies.owners(ctxOf(req), req.params.id),
    );

    app.post(
      '/benefit-discrepancies/:id/assign',
      {
        config: { access: { permission: 'benefit:pay', target: 'benefitDiscrepancy' } },
        schema: {
          tags,
          summary: '转交对账问题（本区或市级）',
          params: idParams,
          body: assignDiscrepancyBody,
          response: { 200: discrepancySchema },
        },
      },
      async (req) => discrepancies.assign(ctxOf(req), req.params.id, req.body),
    );

    app.get(
      '/benefit-totals',
      {
        config: { access: { permission: 'benefit:read' } },
        schema: {
          tags,
          summary: '各区各月应发、实发与问题数',
          querystring: benefitTotalsQuery,
          response: { 200: benefitTotals },
        },
      },
      async (req) => benefits.totals(ctxOf(req), req.query.from, req.query.to),
    );
  };
}
