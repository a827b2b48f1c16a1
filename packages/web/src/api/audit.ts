import type { AuditEntry } from '@shuangyong/shared';
import { api, type Page, type RequestOptions } from './client';
import { downloadFile } from './files';

export interface AuditQuery {
  page: number;
  pageSize: number;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** ISO 8601 with offset. */
  from?: string;
  to?: string;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

export const auditApi = {
  list: (query: AuditQuery, o?: Pick<RequestOptions, 'signal'>) => api.get<Page<AuditEntry>>('/audit', { ...query }, o),
  verify: () => api.get<AuditVerify>('/audit/verify'),
  /** The filtered log as xlsx (the export is audited); resolves to the saved file's name. */
  export: ({ page: _p, pageSize: _s, ...filters }: AuditQuery, fallback: string) =>
    downloadFile('GET', '/audit/export', fallback, { query: filters }),
};
