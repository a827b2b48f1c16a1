import type { AuditEntry, auditListQuery, auditVerifySchema } from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type RequestOptions } from './client';
import { downloadFile } from './files';

/** The log's filters (`from`/`to`: ISO 8601 with offset) and page. */
export type AuditQuery = z.infer<typeof auditListQuery>;
export type AuditVerify = z.infer<typeof auditVerifySchema>;

export const auditApi = {
  list: (query: AuditQuery, o?: Pick<RequestOptions, 'signal'>) => api.get<Page<AuditEntry>>('/audit', { ...query }, o),
  verify: () => api.get<AuditVerify>('/audit/verify'),
  /** The filtered log as xlsx (the export is audited); resolves to the saved file's name. */
  export: ({ page: _p, pageSize: _s, ...filters }: AuditQuery, fallback: string) =>
    downloadFile('GET', '/audit/export', fallback, { query: filters }),
};
