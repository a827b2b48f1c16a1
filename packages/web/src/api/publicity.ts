import type {
  createPublicityBody,
  Finding,
  PublicityDetail,
  PublicityListItem,
  publicityListQuery,
  publicityPublishBody,
  publicityReviewBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';

export type { Finding, PublicityDetail, PublicityListItem };
export type PublicityQuery = QueryOf<typeof publicityListQuery>;
export type PublicityContent = z.input<typeof createPublicityBody>;
export type PublicityReview = z.input<typeof publicityReviewBody>;
export type PublicityPublish = z.input<typeof publicityPublishBody>;
type Signal = Pick<RequestOptions, 'signal'>;

const path = (id: string, rest = '') => `/publicity-items/${encodeURIComponent(id)}${rest}`;

/** 宣传稿件 and their confidentiality review (营造双拥氛围). */
export const publicityApi = {
  list: (q: PublicityQuery, o?: Signal) => api.get<Page<PublicityListItem>>('/publicity-items', { ...q }, o),
  get: (id: string, o?: Signal) => api.get<PublicityDetail>(path(id), undefined, o),
  create: (body: PublicityContent) => api.post<PublicityDetail>('/publicity-items', body),
  update: (id: string, body: PublicityContent & { version: number }) =>
    request<PublicityDetail>('PUT', path(id), { body }),
  submit: (id: string, version: number) => api.post<PublicityDetail>(path(id, '/submit'), { version }),
  review: (id: string, body: PublicityReview) => api.post<PublicityDetail>(path(id, '/review'), body),
  publish: (id: string, body: PublicityPublish) => api.post<PublicityDetail>(path(id, '/publish'), body),
  addPhoto: (id: string, file: File, showsServiceMembers: boolean) =>
    request<PublicityDetail>('POST', path(id, '/photos'), {
      query: { fileName: file.name, showsServiceMembers: String(showsServiceMembers) },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  removePhoto: (id: string, photoId: string) =>
    request<PublicityDetail>('DELETE', path(id, `/photos/${encodeURIComponent(photoId)}`)),
  photoUrl: (id: string, photoId: string) => `/api/v1${path(id, `/photos/${encodeURIComponent(photoId)}`)}`,
};
