import type {
  createEventBody,
  EventDetail,
  EventListItem,
  eventAttendanceBody,
  eventListQuery,
  eventOrgList,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';

export type { EventDetail, EventListItem };
export type EventQuery = QueryOf<typeof eventListQuery>;
export type EventPlan = z.input<typeof createEventBody>;
export type EventOrg = z.infer<typeof eventOrgList>['items'][number];
type Signal = Pick<RequestOptions, 'signal'>;

const path = (id: string, rest = '') => `/events/${encodeURIComponent(id)}${rest}`;

/** 双拥活动 (营造双拥氛围). */
export const eventsApi = {
  list: (q: EventQuery, o?: Signal) => api.get<Page<EventListItem>>('/events', { ...q }, o),
  orgs: (o?: Signal) => api.get<{ items: EventOrg[] }>('/event-orgs', undefined, o),
  get: (id: string, o?: Signal) => api.get<EventDetail>(path(id), undefined, o),
  create: (body: EventPlan) => api.post<EventDetail>('/events', body),
  update: (id: string, body: Omit<EventPlan, 'orgId'> & { version: number }) =>
    request<EventDetail>('PUT', path(id), { body }),
  invite: (id: string, version: number, orgIds: string[]) =>
    request<EventDetail>('PUT', path(id, '/invitations'), { body: { version, orgIds } }),
  publishNotice: (id: string, version: number, confirmReviewed?: boolean) =>
    api.post<EventDetail>(path(id, '/notice/publish'), { version, confirmReviewed }),
  hold: (id: string, version: number) => api.post<EventDetail>(path(id, '/hold'), { version }),
  close: (id: string, version: number) => api.post<EventDetail>(path(id, '/close'), { version }),
  cancel: (id: string, version: number, reason: string) =>
    api.post<EventDetail>(path(id, '/cancel'), { version, reason }),
  note: (id: string, version: number, note: string) => api.post<EventDetail>(path(id, '/note'), { version, note }),
  attendance: (id: string, body: z.input<typeof eventAttendanceBody>) =>
    api.post<EventDetail>(path(id, '/attendance'), body),
  addPhoto: (id: string, file: File) =>
    request<EventDetail>('POST', path(id, '/photos'), {
      query: { fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  photoUrl: (id: string, photoId: string) => `/api/v1${path(id, `/photos/${encodeURIComponent(photoId)}`)}`,
};
