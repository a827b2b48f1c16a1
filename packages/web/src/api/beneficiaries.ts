import type {
  AuditEntry,
  BeneficiaryDetail,
  BeneficiaryListItem,
  beneficiaryListQuery,
  createBeneficiaryBody,
  exportBody,
  GradeChange,
  gradeChangeBody,
  gradeChangeResult,
  lookupResult,
  PLAQUE_STATUSES,
  revealResult,
  updateBeneficiaryBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions } from './client';
import { downloadFile } from './files';

export type CreateBeneficiary = z.input<typeof createBeneficiaryBody>;
export type UpdateBeneficiary = z.input<typeof updateBeneficiaryBody>;
export type PlaqueStatus = (typeof PLAQUE_STATUSES)[number];

/** The list's query (filters, sort, page) as the shared schema parses it. */
export type BeneficiaryQuery = QueryOf<typeof beneficiaryListQuery>;
/** The filters of the list (also the `filters` of an export). */
export type BeneficiaryFilters = Omit<BeneficiaryQuery, 'page' | 'pageSize' | 'sort' | 'order'>;
export type BeneficiarySort = NonNullable<BeneficiaryQuery['sort']>;
export type LookupResult = z.infer<typeof lookupResult>;
export type Revealed = z.infer<typeof revealResult>;
export type ExportRequest = z.input<typeof exportBody>;
export type GradeChangeInput = z.input<typeof gradeChangeBody>;
export type GradeChangeResult = z.infer<typeof gradeChangeResult>;
type Signal = Pick<RequestOptions, 'signal'>;

const path = (id: string, rest = '') => `/beneficiaries/${encodeURIComponent(id)}${rest}`;

export const beneficiariesApi = {
  list: (query: BeneficiaryQuery, o?: Signal) =>
    api.get<Page<BeneficiaryListItem> & { totalCapped: boolean; nextCursor: string | null }>(
      '/beneficiaries',
      { ...query },
      o,
    ),
  get: (id: string, o?: Pick<RequestOptions, 'signal' | 'quiet'>) => api.get<BeneficiaryDetail>(path(id), undefined, o),
  history: (id: string, o?: Signal) => api.get<{ items: AuditEntry[] }>(path(id, '/history'), undefined, o),
  create: (body: CreateBeneficiary, options?: Pick<RequestOptions, 'expected'>) =>
    api.post<BeneficiaryDetail>('/beneficiaries', body, options),
  update: (id: string, body: UpdateBeneficiary, options?: Pick<RequestOptions, 'expected'>) =>
    api.patch<BeneficiaryDetail>(path(id), body, options),
  /** The number travels in the body, never in a URL. */
  lookup: (idNumber: string) => api.post<LookupResult>('/beneficiaries/lookup', { idNumber }),
  /** 残疾等级 changes with their decision date (decisions/0056), newest first. */
  gradeChanges: (id: string, o?: Signal) => api.get<{ items: GradeChange[] }>(path(id, '/grade-changes'), undefined, o),
  recordGradeChange: (id: string, body: GradeChangeInput) =>
    api.post<GradeChangeResult>(path(id, '/grade-changes'), body),
  reveal: (id: string, reason: string) => api.post<Revealed>(path(id, '/reveal'), { reason }),
  /** Downloads the xlsx of the filtered list; resolves to the file name. */
  export: (body: ExportRequest, fallbackName: string) =>
    downloadFile('POST', '/beneficiaries/export', fallbackName, { body }),
  importTemplate: (fallbackName: string) => downloadFile('GET', '/beneficiaries/import-template', fallbackName),
};
