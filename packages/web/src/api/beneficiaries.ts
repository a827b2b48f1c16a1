import type {
  AuditEntry,
  BeneficiaryDetail,
  BeneficiaryListItem,
  BeneficiaryStatus,
  CategoryCode,
  createBeneficiaryBody,
  PLAQUE_STATUSES,
  updateBeneficiaryBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type RequestOptions } from './client';
import { downloadFile } from './files';

export type CreateBeneficiary = z.input<typeof createBeneficiaryBody>;
export type UpdateBeneficiary = z.input<typeof updateBeneficiaryBody>;
export type PlaqueStatus = (typeof PLAQUE_STATUSES)[number];

/** The filters of the list (also the `filters` of an export). */
export interface BeneficiaryFilters {
  q?: string;
  orgId?: string;
  category?: CategoryCode;
  status?: BeneficiaryStatus;
  ageMin?: number;
  ageMax?: number;
  plaque?: PlaqueStatus;
}

export type BeneficiarySort = 'name' | 'birthDate' | 'updatedAt';

export interface BeneficiaryQuery extends BeneficiaryFilters {
  page: number;
  pageSize: number;
  sort?: BeneficiarySort;
  order?: 'asc' | 'desc';
}

export interface LookupResult {
  found: BeneficiaryListItem | null;
  /** Registered in a district the user cannot see. */
  elsewhere: boolean;
}

export interface Revealed {
  idNumber: string;
  phone: string | null;
  address: string | null;
}

export interface ExportRequest {
  filters: BeneficiaryFilters;
  reveal?: boolean;
  reason?: string;
}

const path = (id: string, rest = '') => `/beneficiaries/${encodeURIComponent(id)}${rest}`;

export const beneficiariesApi = {
  list: (query: BeneficiaryQuery) => api.get<Page<BeneficiaryListItem>>('/beneficiaries', { ...query }),
  get: (id: string) => api.get<BeneficiaryDetail>(path(id)),
  history: (id: string) => api.get<{ items: AuditEntry[] }>(path(id, '/history')),
  create: (body: CreateBeneficiary, options?: Pick<RequestOptions, 'expected'>) =>
    api.post<BeneficiaryDetail>('/beneficiaries', body, options),
  update: (id: string, body: UpdateBeneficiary, options?: Pick<RequestOptions, 'expected'>) =>
    api.patch<BeneficiaryDetail>(path(id), body, options),
  /** The number travels in the body, never in a URL. */
  lookup: (idNumber: string) => api.post<LookupResult>('/beneficiaries/lookup', { idNumber }),
  reveal: (id: string, reason: string) => api.post<Revealed>(path(id, '/reveal'), { reason }),
  /** Downloads the xlsx of the filtered list; resolves to the file name. */
  export: (body: ExportRequest, fallbackName: string) =>
    downloadFile('POST', '/beneficiaries/export', fallbackName, { body }),
  importTemplate: (fallbackName: string) => downloadFile('GET', '/beneficiaries/import-template', fallbackName),
};
