import type { ImportErrorKind, ImportResult, ImportRowError, JobStatus, Job as SharedJob } from '@shuangyong/shared';
import { api, type RequestOptions } from './client';
import { downloadFile } from './files';

export type { ImportErrorKind, ImportResult, ImportRowError, JobStatus };

/** A job as the API returns it; an import's result is an `ImportResult`. */
export type Job = Omit<SharedJob, 'result' | 'createdAt'> & { result: ImportResult | null; createdAt?: string };

const path = (id: string, rest = '') => `/jobs/${encodeURIComponent(id)}${rest}`;

export const jobsApi = {
  /** Uploads the spreadsheet as is; the server validates it in the background (202 → job). */
  startImport: (orgId: string, file: File) =>
    api.post<Job>('/beneficiaries/imports', undefined, {
      query: { orgId, fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  get: (id: string, o?: Pick<RequestOptions, 'signal'>) => api.get<Job>(path(id), undefined, o),
  /** The caller's imports of the last week that wait on them (checked, or failed). */
  recent: (page: number, o?: Pick<RequestOptions, 'signal'>) =>
    api.get<{ items: Job[]; total: number; page: number; pageSize: number }>(
      '/beneficiaries/imports',
      { page, pageSize: 10 },
      o,
    ),
  commit: (id: string) => api.post<Job>(path(id, '/commit')),
  errorReport: (id: string, fallbackName: string) => downloadFile('GET', path(id, '/error-report'), fallbackName),
};
