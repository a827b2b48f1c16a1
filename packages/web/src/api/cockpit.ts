import type { Brief, Cockpit } from '@shuangyong/shared';
import { api, type RequestOptions } from './client';
import { downloadFile } from './files';

export type { Brief, Cockpit };

type Signal = Pick<RequestOptions, 'signal'>;

export const cockpitApi = {
  get: (campaignId: string, o?: Signal) => api.get<Cockpit>('/cockpit', { campaignId }, o),
  briefs: (campaignId: string, o?: Signal) => api.get<{ items: Brief[] }>('/cockpit/briefs', { campaignId }, o),
  generate: (campaignId: string, isPublic: boolean) =>
    api.post<Brief>('/cockpit/briefs', { campaignId, public: isPublic }),
  download: (b: Brief, format: 'docx' | 'pdf') =>
    downloadFile('GET', `/cockpit/briefs/${encodeURIComponent(b.id)}/file`, `${b.day}.${format}`, {
      query: { format },
    }),
};
