import type {
  AppNotification,
  NeedAction,
  NeedAttachment,
  NeedCategory,
  NeedDetail,
  NeedListItem,
  NeedPriority,
  NeedSource,
  NeedStats,
  NeedStatus,
  NeedTag,
} from '@shuangyong/shared';
import { api, type Page, type Query, request, send } from '../../api/client';

export type { AppNotification, NeedAttachment, NeedCategory, NeedDetail, NeedListItem, NeedStats };

export interface NeedQuery {
  page: number;
  pageSize: number;
  status?: NeedStatus;
  open?: 'true' | 'false';
  category?: string;
  priority?: NeedPriority;
  source?: NeedSource;
  tag?: NeedTag;
  overdue?: 'true' | 'false';
  inbox?: 'true';
  q?: string;
  sort?: 'createdAt' | 'deadline' | 'updatedAt';
  order?: 'asc' | 'desc';
}

export interface NewNeed {
  title: string;
  description: string;
  category: string;
  priority: NeedPriority;
  source?: NeedSource;
  orgId?: string;
  militaryDetail?: string;
  militaryContact?: string;
  tags?: NeedTag[];
}

export interface StatsQuery {
  from?: string;
  to?: string;
  tag?: NeedTag;
  category?: string;
}

export interface HandlerOrg {
  id: string;
  name: string;
  type: string;
}

const path = (id: string, rest = '') => `/needs/${encodeURIComponent(id)}${rest}`;
const post = (id: string, action: NeedAction | 'comments', body: Record<string, unknown>) =>
  api.post<NeedDetail>(path(id, `/${action}`), body);

function download(res: Response, fallback: string) {
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallback;
  return res.blob().then((blob) => {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const needsApi = {
  list: (q: NeedQuery) => api.get<Page<NeedListItem>>('/needs', { ...q }),
  get: (id: string, quiet = false) => api.get<NeedDetail>(path(id), undefined, { quiet }),
  create: (body: NewNeed) => api.post<NeedDetail>('/needs', body),
  act: (id: string, action: NeedAction, body: Record<string, unknown>) => post(id, action, body),
  comment: (id: string, note: string, militaryOnly: boolean) =>
    post(id, 'comments', militaryOnly ? { note, militaryOnly } : { note }),
  setTags: (id: string, version: number, tags: NeedTag[]) =>
    request<NeedDetail>('PUT', path(id, '/tags'), { body: { version, tags } }),
  upload: (id: string, file: File, purpose: 'material' | 'evidence', militaryOnly: boolean) =>
    request<NeedAttachment>('POST', path(id, '/attachments'), {
      query: { fileName: file.name, purpose, ...(militaryOnly ? { militaryOnly: 'true' } : {}) },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  downloadAttachment: async (id: string, a: NeedAttachment) =>
    download(await send('GET', path(id, `/attachments/${encodeURIComponent(a.id)}`), {}, '*/*'), a.fileName),
  categories: () => api.get<{ items: NeedCategory[] }>('/need-categories'),
  handlerOrgs: () => api.get<{ items: HandlerOrg[] }>('/need-handler-orgs'),
  stats: (q: StatsQuery) => api.get<NeedStats>('/needs/statistics', { ...q }),
  exportList: async (q: Omit<NeedQuery, 'page' | 'pageSize'>) =>
    download(await send('GET', '/needs/export', { query: q as Query }, XLSX), 'needs.xlsx'),
  exportLeague: async (q: StatsQuery) =>
    download(await send('GET', '/needs/statistics/export', { query: q as Query }, XLSX), 'league.xlsx'),
};

export const notificationsApi = {
  list: (q: { page: number; pageSize: number; unread?: 'true' }) =>
    api.get<Page<AppNotification> & { unread: number }>('/notifications', { ...q }),
  read: (id: string) => api.post<{ read: boolean; unread: number }>(`/notifications/${encodeURIComponent(id)}/read`),
  readAll: () => api.post<{ read: boolean; unread: number }>('/notifications/read-all'),
};
