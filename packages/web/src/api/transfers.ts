import { TRANSFER_STATUSES, type Transfer, type TransferStatus, type transferListQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type RequestOptions } from './client';

export type { Transfer, TransferStatus };
export { TRANSFER_STATUSES };
export type TransferQuery = z.infer<typeof transferListQuery>;

const path = (id: string, rest: string) => `/transfers/${encodeURIComponent(id)}${rest}`;
const noteBody = (note?: string) => (note?.trim() ? { note: note.trim() } : {});

export const transfersApi = {
  list: (query: TransferQuery, o?: Pick<RequestOptions, 'signal'>) =>
    api.get<Page<Transfer>>('/transfers', { ...query }, o),
  accept: (id: string, note?: string) => api.post<Transfer>(path(id, '/accept'), noteBody(note)),
  reject: (id: string, note?: string) => api.post<Transfer>(path(id, '/reject'), noteBody(note)),
};
