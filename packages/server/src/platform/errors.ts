import { type MessageKey, t } from '@shuangyong/shared';

/** Stable machine codes with Chinese messages (STYLE.md practice 12). */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly params?: Record<string, string | number>,
    readonly extra?: { errors?: { path: string; message: string }[]; allowed?: string[] },
  ) {
    super(t(messageKey, params));
  }
}

export const notFound = () => new AppError(404, 'not_found', 'error.notFound');
export const forbidden = (key: MessageKey = 'error.forbidden', params?: Record<string, string | number>) =>
  new AppError(403, 'forbidden', key, params);
export const versionConflict = () => new AppError(409, 'version_conflict', 'error.versionConflict');
export const badRequest = (code: string, key: MessageKey, params?: Record<string, string | number>) =>
  new AppError(400, code, key, params);
export const conflict = (code: string, key: MessageKey, params?: Record<string, string | number>) =>
  new AppError(409, code, key, params);
