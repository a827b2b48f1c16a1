import type { Home } from '@shuangyong/shared';
import { api, type RequestOptions } from './client';

export type { Home };

export const homeApi = {
  /** The caller's to-dos (each with the list it counts) and key figures. */
  get: (o?: Pick<RequestOptions, 'signal'>) => api.get<Home>('/home', {}, o),
};
