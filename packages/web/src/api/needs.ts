import type {
  createNeedBody,
  NeedAction,
  NeedAttachment,
  NeedCategory,
  NeedDetail,
  NeedListItem,
  NeedStats,
  NeedTag,
  needAcceptAssignBody,
  needExportQuery,
  needListQuery,
  needStatsQuery,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';
import { downloadFile } from './files';

export type { NeedAttachment, NeedCategory, NeedDetail, NeedListItem, NeedStats };

export type NeedQuery = QueryOf<typeof needListQuery>;
export type NeedExportQuery = QueryOf<typeof needExportQuery>;
export type StatsQuery = QueryOf<typeof needStatsQuery>;
export type NewNeed = z.input<typeof createNeedBody>;
export type AcceptAssign = z.input<typeof needAcceptAssignBody>;

export interface HandlerOrg {
  id: string;
  name: string;
  type: string;
}

const path = (id: string, rest = '') => `/needs/${encodeURIComponent(id)}${rest}`;
const post = (id: string, action: NeedAction | 'comments' | 'accept-assign', body: Record<string, unknown>) =>
  api.post<NeedDetail>(path(id, `/${action}`), body);
type Signal = Pick<RequestOptions, 'signal'>;

export const needsApi = {
  list: (q: NeedQuery, o?: Signal) => api.get<Page<NeedListItem>>('/needs', { ...q }, o),
  get: (id: string, o?: Pick<RequestOptions, 'signal' | 'quiet'>) => api.get<NeedDetail>(path(id), undefined, o),
  create: (body: NewNeed) => api.post<NeedDetail>('/needs', body),
  act: (id: string, action: NeedAction, body: Record<string, unknown>) => post(id, action, body),
  /** City staff: accept, name the lead and co-handlers and the time limit in one step. */
  acceptAndAssign: (id: string, body: AcceptAssign) => post(id, 'accept-assign', body),
  comment: (id: string, note: string, militaryOnly: boolean) =>
    post(id, 'comments', militaryOnly ? { note, militaryOnly } : { note }),
  setTags: (id: string, version: number, tags: NeedTag[]) =>
    request<NeedDetail>('PUT', path(id, '/tags'), { body: { version, tags } }),
  upload: (id: string, file: File, purpose: 'material' | 'evidence', militaryOnly: boolean) =>
    request<NeedAttachment>('POST', path(id, '/attachments'), {
      query: { fileName: file.name, purpose, ...(militaryOnly ? { militaryOnly: 'true' } : {}) },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  downloadAttachment: (id: string, a: NeedAttachment) =>
    downloadFile('GET', path(id, `/attachments/${encodeURIComponent(a.id)}`), a.fileName),
  categories: (o?: Signal) => api.get<{ items: NeedCategory[] }>('/need-categories', undefined, o),
  handlerOrgs: (o?: Signal) => api.get<{ items: HandlerOrg[] }>('/need-handler-orgs', undefined, o),
  stats: (q: StatsQuery, o?: Signal) => api.get<NeedStats>('/needs/statistics', { ...q }, o),
  exportList: (q: NeedExportQuery, fallbackName: string) =>
    downloadFile('GET', '/needs/export', fallbackName, { query: { ...q } }),
  exportLeague: (q: StatsQuery, fallbackName: string) =>
    downloadFile('GET', '/needs/statistics/export', fallbackName, { query: { ...q } }),
};
