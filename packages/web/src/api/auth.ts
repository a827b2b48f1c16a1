import type { Me, totpSetupSchema } from '@shuangyong/shared';
import type { z } from 'zod';
import { api } from './client';

export type TotpSetup = z.infer<typeof totpSetupSchema>;

export const authApi = {
  login: (body: { username: string; password: string; otp?: string }) =>
    api.post<Me>('/auth/login', body, { quiet: true }),
  /** Quiet: a 401 here only means "not logged in". */
  me: () => api.get<Me>('/auth/me', undefined, { quiet: true }),
  logout: () => api.post<void>('/auth/logout', undefined, { quiet: true }),
  changePassword: (body: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', body),
  totpSetup: () => api.post<TotpSetup>('/auth/totp/setup'),
  totpEnable: (otp: string) => api.post<void>('/auth/totp/enable', { otp }),
};
