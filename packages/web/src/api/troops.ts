import type {
  ActivityDetail,
  ActivityListItem,
  ActivityType,
  activityListQuery,
  createActivityBody,
  createEmergencyBody,
  createPartnershipBody,
  decideEmergencyBody,
  EmergencyDetail,
  EmergencyItem,
  emergencyListQuery,
  endPartnershipBody,
  PartnershipItem,
  partnershipListQuery,
  returnEmergencyBody,
  TroopPlace,
  TroopStats,
  updatePartnershipBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';

export type { ActivityDetail, ActivityListItem, ActivityType, TroopPlace };
export type ActivityQuery = QueryOf<typeof activityListQuery>;
export type ActivityInput = z.input<typeof createActivityBody>;
export type PartnershipInput = z.input<typeof createPartnershipBody>;
export type PartnershipUpdate = z.input<typeof updatePartnershipBody>;
export type PartnershipEnd = z.input<typeof endPartnershipBody>;
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

export type { EmergencyDetail, EmergencyDispatch, EmergencyItem, PartnershipItem } from '@shuangyong/shared';
export type EmergencyQuery = QueryOf<typeof emergencyListQuery>;
export type EmergencyInput = z.input<typeof createEmergencyBody>;
export type DecideInput = z.input<typeof decideEmergencyBody>;
export type ReturnInput = z.input<typeof returnEmergencyBody>;

const epath = (id: string, rest = '') => `/troop-emergencies/${encodeURIComponent(id)}${rest}`;

/** 抢险救灾 support requests: asked by a district or the city, decided by the 军分区, worked by units. */
export const emergenciesApi = {
  list: (q: EmergencyQuery, o?: Signal) => api.get<Page<EmergencyItem>>('/troop-emergencies', { ...q }, o),
  get: (id: string, o?: Signal) => api.get<EmergencyDetail>(epath(id), undefined, o),
  create: (body: EmergencyInput) => api.post<EmergencyDetail>('/troop-emergencies', body),
  units: (o?: Signal) => api.get<{ items: { id: string; name: string }[] }>('/troop-units', undefined, o),
  decide: (id: string, body: DecideInput) => api.post<EmergencyDetail>(epath(id, '/decision'), body),
  withdraw: (id: string, version: number, reason: string) =>
    api.post<EmergencyDetail>(epath(id, '/withdraw'), { version, reason }),
  arrive: (id: string, version: number, orgId?: string) =>
    api.post<EmergencyDetail>(epath(id, '/arrive'), { version, ...(orgId ? { orgId } : {}) }),
  returned: (id: string, body: ReturnInput) => api.post<EmergencyDetail>(epath(id, '/return'), body),
  letter: (id: string, version: number, text?: string) =>
    api.post<EmergencyDetail>(epath(id, '/letter'), { version, ...(text ? { text } : {}) }),
  letterUrl: (id: string, format: 'docx' | 'pdf') => `/api/v1${epath(id, `/letter?format=${format}`)}`,
};

export type PartnershipQuery = QueryOf<typeof partnershipListQuery>;
export const partnershipsApi = {
  create: (body: PartnershipInput) => api.post<PartnershipItem>('/troop-partnerships', body),
  list: (q: PartnershipQuery, o?: Signal) => api.get<Page<PartnershipItem>>('/troop-partnerships', { ...q }, o),
  get: (id: string, o?: Signal) =>
    api.get<PartnershipItem>(`/troop-partnerships/${encodeURIComponent(id)}`, undefined, o),
  update: (id: string, body: PartnershipUpdate) =>
    api.patch<PartnershipItem>(`/troop-partnerships/${encodeURIComponent(id)}`, body),
  end: (id: string, body: PartnershipEnd) =>
    api.post<PartnershipItem>(`/troop-partnerships/${encodeURIComponent(id)}/end`, body),
};

export type { TroopStats } from '@shuangyong/shared';
export const troopStatsApi = {
  get: (q: { fromMonth?: string; toMonth?: string }, o?: Signal) => api.get<TroopStats>('/troop-statistics', q, o),
};
