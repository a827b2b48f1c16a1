import { api, type RequestOptions } from './client';
import { downloadFile } from './files';

export type JobStatus = 'queued' | 'validating' | 'validated' | 'committing' | 'succeeded' | 'failed';

/** What is wrong with a row, in the order the wizard lists them (registry/import.ts). */
export type ImportErrorKind = 'invalid' | 'duplicateInFile' | 'registeredElsewhere' | 'otherDistrict';

export interface ImportRowError {
  /** The row number as in the file (the header is row 1). */
  row: number;
  field: string | null;
  message: string;
  kind?: ImportErrorKind;
}

/** What an import found (dry run) or did (commit). */
export interface ImportResult {
  total: number;
  created: number;
  updated: number;
  /** Already registered here with nothing new: not written. */
  unchanged?: number;
  duplicates: number;
  invalid: number;
  /** Rows naming another district: skipped, counted by district. */
  otherDistrict?: number;
  otherDistricts?: { district: string; rows: number }[];
  /** The first 500 row errors; `errorCount` of them in all (`errorsTruncated` when more). */
  errors: ImportRowError[];
  errorCount?: number;
  errorsTruncated?: boolean;
}

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  fileName?: string | null;
  updatedAt?: string;
  total: number | null;
  processed: number | null;
  result: ImportResult | null;
  error: string | null;
}

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
