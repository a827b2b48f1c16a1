import type { createOrgBody, Org } from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type RequestOptions } from './client';

export type CreateOrg = z.input<typeof createOrgBody>;

export const orgsApi = {
  tree: (includeInactive = false, o?: Pick<RequestOptions, 'signal'>) =>
    api.get<{ items: Org[] }>('/orgs/tree', { includeInactive: includeInactive ? 'true' : 'false' }, o),
  get: (id: string) => api.get<Org>(`/orgs/${encodeURIComponent(id)}`),
  create: (body: CreateOrg) => api.post<Org>('/orgs', body),
  rename: (org: Pick<Org, 'id' | 'version'>, name: string) =>
    api.patch<Org>(`/orgs/${encodeURIComponent(org.id)}`, { version: org.version, name }),
  move: (org: Pick<Org, 'id' | 'version'>, parentId: string) =>
    api.post<Org>(`/orgs/${encodeURIComponent(org.id)}/move`, { version: org.version, parentId }),
  deactivate: (org: Pick<Org, 'id' | 'version'>) =>
    api.post<Org>(`/orgs/${encodeURIComponent(org.id)}/deactivate`, { version: org.version }),
  activate: (org: Pick<Org, 'id' | 'version'>) =>
    api.post<Org>(`/orgs/${encodeURIComponent(org.id)}/activate`, { version: org.version }),
};
