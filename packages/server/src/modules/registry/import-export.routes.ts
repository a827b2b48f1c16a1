import { PassThrough } from 'node:stream';
import {
  BENEFICIARY_STATUSES,
  CATEGORIES,
  DISABILITY_CAUSES,
  exportBody,
  idParams,
  importQuery,
  jobSchema,
  pageOf,
  pageQuery,
  t,
} from '@shuangyong/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { exportSource } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { sniff, writeTemplate } from '../../platform/files/index.js';
import {
  exportInProcess,
  exportInWorker,
  type TableExport,
  type TableExportColumn,
} from '../../platform/files/table-export.js';
import { attachment, auditDownload } from '../../platform/http/download.js';
import { ctxOf } from '../../platform/http/pipeline.js';
import type { Jobs } from '../../platform/jobs/jobs.js';
import { toJob } from '../../platform/jobs/present.js';
import { IMPORT_FIELDS, IMPORT_KIND } from './import.js';
import type { ImportJobs } from './imports.service.js';
import { type BeneficiaryRow, registryRepo } from './registry.repo.js';
import type { RegistryService } from './registry.service.js';

const tags = ['优抚对象导入导出'];
const MAX_UPLOAD = 20 * 1024 * 1024;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Export columns the export query selects itself (registry.repo.ts `exportQuery`), not columns of `b`. */
const COMPUTED = new Set([
  'org_name',
  'disability_grade',
  'disability_cause',
  'grade_decision_date',
  'grade_document_no',
]);

export function importExportRoutes(
  p: Platform,
  registry: RegistryService,
  jobs: Jobs,
  imports: ImportJobs,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_UPLOAD },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/beneficiaries/imports',
      {
        bodyLimit: MAX_UPLOAD,
        config: { access: { permission: 'beneficiary:import' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: '上传导入文件（xlsx 或 CSV，UTF-8/GBK 自动识别），先校验预览',
          querystring: importQuery,
          response: { 202: jobSchema },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const data = req.body as unknown;
        if (!Buffer.isBuffer(data)) throw new AppError(415, 'unsupported_media_type', 'error.unsupportedMediaType');
        sniff(data, { maxBytes: MAX_UPLOAD }); // refuse hostile files before anything is stored
        const org = await p.handle.db
          .transaction()
          .execute((trx) => registry.registryOrg(trx, ctx.actor.scope, req.query.orgId));
        const job = await jobs.create(
          ctx.actor,
          org,
          IMPORT_KIND,
          { orgId: org.id },
          { name: req.query.fileName, data },
        );
        return reply.code(202).send(toJob(job));
      },
    );

    app.get(
      '/beneficiaries/imports',
      {
        config: { access: { permission: 'beneficiary:import' } },
        schema: {
          tags,
          summary: '我最近一周的导入：已校验待确认或失败的',
          querystring: z.strictObject({ ...pageQuery }),
          response: { 200: pageOf(jobSchema) },
        },
      },
      async (req) => imports.recent(ctxOf(req), req.query.page, req.query.pageSize),
    );

    app.get(
      '/jobs/:id',
      {
        config: { access: { target: 'job' } },
        schema: { tags, summary: '任务进度与结果', params: idParams, response: { 200: jobSchema } },
      },
      async (req) => toJob((await jobs.get(ctxOf(req).actor.scope, req.params.id))!),
    );

    app.post(
      '/jobs/:id/commit',
      {
        config: { access: { permission: 'beneficiary:import', target: 'job' } },
        schema: { tags, summary: '确认导入（全部成功或全部不导入）', params: idParams, response: { 202: jobSchema } },
      },
      async (req, reply) => {
        if (!(await jobs.commit(req.params.id))) throw new AppError(409, 'job_not_validated', 'import.notValidated');
        return reply.code(202).send(toJob((await jobs.get(ctxOf(req).actor.scope, req.params.id))!));
      },
    );

    app.get(
      '/jobs/:id/error-report',
      {
        config: { access: { permission: 'beneficiary:import', target: 'job' } },
        schema: { tags, summary: '下载错误报告（原始行 + 错误原因）', params: idParams },
      },
      async (req, reply) => {
        if (!jobs.hasArtefact(req.params.id, 'errors.xlsx'))
          throw new AppError(404, 'not_found', 'import.noErrorReport');
        await auditDownload(p, req, {
          kind: 'import_error_report',
          entityType: 'job',
          entityId: req.params.id,
          fileName: `${t('import.errorReportName')}.xlsx`,
        });
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`${t('import.errorReportName')}.xlsx`))
          .send(jobs.readArtefact(req.params.id, 'errors.xlsx'));
      },
    );

    app.get(
      '/beneficiaries/import-template',
      {
        config: { access: { permission: 'beneficiary:import' } },
        schema: { tags, summary: '下载导入模板（含下拉选项）' },
      },
      async (_req, reply) => {
        const cols = [
          'name',
          'idNumber',
          'sex',
          'birthDate',
          'phone',
          'category',
          'disabilityGrade',
          // a registered person's different grade is recorded as a change with its decision (decisions/0065)
          'disabilityCause',
          'gradeDate',
          'gradeDocumentNo',
          'district',
          'street',
          'community',
          'address',
          'note',
        ] as const;
        const buf = await writeTemplate({
          columns: cols.map((c) => ({ header: IMPORT_FIELDS[c][0], key: c, width: c === 'address' ? 36 : 18 })),
          validations: {
            sex: [t('sex.male'), t('sex.female')],
            category: CATEGORIES.map((c) => t(c.labelKey)),
            disabilityGrade: Array.from({ length: 10 }, (_, i) => t(`import.grade${i + 1}`)),
            disabilityCause: DISABILITY_CAUSES.map((c) => t(`registry.disabilityCause.${c}`)),
          },
        });
        return reply
          .type(XLSX)
          .header('content-disposition', attachment(`${t('import.templateName')}.xlsx`))
          .send(buf);
      },
    );

    app.post(
      '/beneficiaries/export',
      {
        config: { access: { permission: 'beneficiary:export' }, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags, summary: '导出当前筛选结果（默认脱敏；完整信息须 reveal 权限和事由）', body: exportBody },
      },
      async (req, reply) => {
        const ctx = ctxOf(req);
        const { filters, ids, reveal, reason } = req.body;
        if (reveal && !ctx.actor.permissions.has('beneficiary:reveal'))
          throw new AppError(403, 'forbidden', 'error.forbidden');
        if (reveal && !reason) throw new AppError(400, 'reason_required', 'export.reasonRequired');
        const filter = { ...(await registry.filterOf(ctx, filters)), ...(ids ? { ids } : {}) };
        // audited before a single row leaves the server; a failed audit write stops the export
        const total = await registryRepo.count(p.handle.reader, ctx.actor.scope, filter);
        await p.audit.event(p.handle.db, auditActorOf(ctx), {
          action: 'beneficiary.export',
          entityType: 'beneficiary',
          changes: { rows: total, revealed: reveal, reason: reason ?? null, filters, ...(ids ? { ids } : {}) },
        });
        await registry.exportGuard(ctx, total, reveal);
        const out = new PassThrough();
        const labels = (prefix: string, codes: readonly string[]) =>
          Object.fromEntries(codes.map((c) => [c, t(`${prefix}.${c}`)]));
        // masked copies unless revealed; revealed values are opened row by row where the rows are read
        const sealed = (key: string, column: string) =>
          reveal ? { key, from: `${column}_enc`, open: true } : { key, from: `${column}_masked` };
        const columns: TableExportColumn[] = [
          { key: 'name', from: 'name' },
          { key: 'sex', from: 'sex', labels: labels('sex', ['male', 'female']) },
          { key: 'birthDate', from: 'birth_date' },
          sealed('idNumber', 'id'),
          sealed('phone', 'phone'),
          sealed('address', 'address'),
          {
            key: 'categories',
            from: 'categories',
            labels: labels(
              'category',
              CATEGORIES.map((c) => c.code),
            ),
            list: { split: ',', join: '、' },
          },
          // the grade in force and its last decision, in columns the import reads back (decisions/0065)
          {
            key: 'disabilityGrade',
            from: 'disability_grade',
            labels: Object.fromEntries(
              Array.from({ length: 10 }, (_, i) => [String(i + 1), t(`import.grade${i + 1}`)]),
            ),
          },
          {
            key: 'disabilityCause',
            from: 'disability_cause',
            labels: labels('registry.disabilityCause', [...DISABILITY_CAUSES]),
          },
          { key: 'gradeDecisionDate', from: 'grade_decision_date' },
          { key: 'gradeDocumentNo', from: 'grade_document_no' },
          { key: 'status', from: 'status', labels: labels('status', [...BENEFICIARY_STATUSES, 'merged']) },
          { key: 'org', from: 'org_name' },
          { key: 'note', from: 'note' },
        ].map((c) => ({ ...c, header: t(`export.col.${c.key}`), width: c.key === 'address' ? 36 : 16 }));
        const query = registryRepo.exportQuery(
          p.handle.db,
          ctx.actor.scope,
          filter,
          // the station's name and the grade columns are the query's own selections
          columns.flatMap((c) => (COMPUTED.has(c.from) ? [] : [c.from as keyof BeneficiaryRow])),
        );
        const job: TableExport = {
          sheetName: t('export.fileName'),
          columns,
          sql: query.sql,
          parameters: query.parameters,
          ...(reveal ? { keyFile: p.config.keyFile } : {}),
        };
        reply.type(XLSX).header('content-disposition', attachment(`${t('export.fileName')}.xlsx`));
        // the read, the cells and the zipping in a worker thread (decisions/0059); in this thread
        // only for an in-memory database or a server without the worker's file
        const source = exportSource(p.handle);
        const written =
          (source && exportInWorker(job, source, out)) ??
          exportInProcess(job, registryRepo.scan(p.handle.reader, ctx.actor.scope, filter), out, p.crypto);
        written.catch((err) => {
          req.log.warn({ err }, 'export stopped');
          out.destroy(err);
        });
        return reply.send(out);
      },
    );
  };
}
