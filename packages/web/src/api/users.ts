import type { createUserBody, User, updateUserBody, userListQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type RequestOptions } from './client';

export type CreateUser = z.input<typeof createUserBody>;
export type UpdateUser = z.input<typeof updateUserBody>;

export type UserQuery = z.infer<typeof userListQuery>;

const path = (id: string, rest = '') => `/users/${encodeURIComponent(id)}${rest}`;

export const usersApi = {
  list: (query: UserQuery, o?: Pick<RequestOptions, 'signal'>) => api.get<Page<User>>('/users', { ...query }, o),
  get: (id: string) => api.get<User>(path(id)),
  create: (body: CreateUser) => api.post<User>('/users', body),
  update: (id: string, body: UpdateUser) => api.patch<User>(path(id), body),
  resetPassword: (id: string, password: string) => api.post<void>(path(id, '/reset-password'), { password }),
  lock: (id: string) => api.post<User>(path(id, '/lock')),
  unlock: (id: string) => api.post<User>(path(id, '/unlock')),
};
