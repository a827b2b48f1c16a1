import type { AppNotification, notificationListQuery, notificationReadResult } from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions } from './client';

export type { AppNotification };
export type NotificationQuery = QueryOf<typeof notificationListQuery>;
export type ReadResult = z.infer<typeof notificationReadResult>;

export const notificationsApi = {
  list: (q: NotificationQuery, o?: Pick<RequestOptions, 'signal'>) =>
    api.get<Page<AppNotification> & { unread: number }>('/notifications', { ...q }, o),
  read: (id: string) => api.post<ReadResult>(`/notifications/${encodeURIComponent(id)}/read`),
  /** Marks the chosen notifications read (the caller's own; others' ids are ignored). */
  readMany: (ids: string[]) => api.post<ReadResult>('/notifications/read', { ids }),
  readAll: () => api.post<ReadResult>('/notifications/read-all'),
};
