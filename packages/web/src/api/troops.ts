import type {
  ActivityDetail,
  ActivityListItem,
  ActivityType,
  activityListQuery,
  createActivityBody,
  TroopPlace,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';

export type { ActivityDetail, ActivityListItem, ActivityType, TroopPlace };
export type ActivityQuery = QueryOf<typeof activityListQuery>;
export type ActivityInput = z.input<typeof createActivityBody>;
type Signal = Pick<RequestOptions, 'signal'>;

const path = (id: string, rest = '') => `/troop-activities/${encodeURIComponent(id)}${rest}`;

/** 拥政爱民: activities the units record, their photos, the list of types and the places. */
export const troopsApi = {
  types: (o?: Signal) => api.get<{ items: ActivityType[] }>('/troop-activity-types', undefined, o),
  places: (o?: Signal) => api.get<{ items: TroopPlace[] }>('/troop-places', undefined, o),
  list: (q: ActivityQuery, o?: Signal) => api.get<Page<ActivityListItem>>('/troop-activities', { ...q }, o),
  get: (id: string, o?: Signal) => api.get<ActivityDetail>(path(id), undefined, o),
  create: (body: ActivityInput) => api.post<ActivityDetail>('/troop-activities', body),
  withdraw: (id: string, version: number, reason: string) =>
    api.post<ActivityDetail>(path(id, '/withdraw'), { version, reason }),
  addPhoto: (id: string, file: Blob, opts: { fileName: string; caption?: string; militaryOnly?: boolean }) =>
    request<ActivityDetail>('POST', path(id, '/photos'), {
      query: { fileName: opts.fileName, caption: opts.caption ?? '', militaryOnly: String(!!opts.militaryOnly) },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  photoUrl: (id: string, photoId: string) => `/api/v1${path(id, `/photos/${encodeURIComponent(photoId)}`)}`,
};
