import type {
  createExemplarBody,
  ExemplarDetail,
  ExemplarListItem,
  exemplarListQuery,
  exemplarReviewBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';
import { downloadFile } from './files';

export type { ExemplarDetail, ExemplarListItem };
export type ExemplarQuery = QueryOf<typeof exemplarListQuery>;
export type ExemplarContent = z.input<typeof createExemplarBody>;
export type ExemplarReview = z.input<typeof exemplarReviewBody>;
type Signal = Pick<RequestOptions, 'signal'>;

const path = (id: string, rest = '') => `/exemplars/${encodeURIComponent(id)}${rest}`;

/** 双拥先进典型: nomination, the city's review, the profile and the register (营造双拥氛围). */
export const exemplarsApi = {
  list: (q: ExemplarQuery, o?: Signal) => api.get<Page<ExemplarListItem>>('/exemplars', { ...q }, o),
  get: (id: string, o?: Signal) => api.get<ExemplarDetail>(path(id), undefined, o),
  create: (body: ExemplarContent) => api.post<ExemplarDetail>('/exemplars', body),
  update: (id: string, body: ExemplarContent & { version: number }) =>
    request<ExemplarDetail>('PUT', path(id), { body }),
  submit: (id: string, version: number) => api.post<ExemplarDetail>(path(id, '/submit'), { version }),
  review: (id: string, body: ExemplarReview) => api.post<ExemplarDetail>(path(id, '/review'), body),
  profile: (id: string, version: number) => api.post<ExemplarDetail>(path(id, '/profile'), { version }),
  link: (id: string, itemId: string) => api.post<ExemplarDetail>(path(id, '/items'), { itemId }),
  unlink: (id: string, itemId: string) =>
    request<ExemplarDetail>('DELETE', path(id, `/items/${encodeURIComponent(itemId)}`)),
  exportRegister: (q: Omit<ExemplarQuery, 'page' | 'pageSize'>, fallback: string) =>
    downloadFile('GET', '/exemplars/export', fallback, { query: { ...q } }),
};
