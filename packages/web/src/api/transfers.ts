import { api, type Page, type RequestOptions } from './client';

export const TRANSFER_STATUSES = ['pending', 'accepted', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface Transfer {
  id: string;
  beneficiaryId?: string;
  beneficiaryName: string;
  idMasked: string;
  fromOrgName: string;
  toOrgName: string;
  status: TransferStatus;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  abilities: { accept: boolean; reject: boolean };
}

export interface TransferQuery {
  page: number;
  pageSize: number;
  status?: TransferStatus;
}

const path = (id: string, rest: string) => `/transfers/${encodeURIComponent(id)}${rest}`;
const noteBody = (note?: string) => (note?.trim() ? { note: note.trim() } : {});

export const transfersApi = {
  list: (query: TransferQuery, o?: Pick<RequestOptions, 'signal'>) =>
    api.get<Page<Transfer>>('/transfers', { ...query }, o),
  accept: (id: string, note?: string) => api.post<Transfer>(path(id, '/accept'), noteBody(note)),
  reject: (id: string, note?: string) => api.post<Transfer>(path(id, '/reject'), noteBody(note)),
};
