import type { Problem } from '@shuangyong/shared';
import type { z } from 'zod';
import { t } from '../i18n';

const BASE = '/api/v1';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type FieldError = { path: string; message: string };

/** A failed request, carrying the server's problem+json (or a synthetic one for network failures). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** Ids the server names with some conflicts (e.g. the existing record of a `duplicate`). */
  readonly allowed: string[];

  constructor(
    problem: Pick<Problem, 'status' | 'code' | 'title'> & {
      detail?: string;
      errors?: FieldError[];
      allowed?: string[];
    },
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.allowed = problem.allowed ?? [];
  }

  /** The text to show: detail, else title, followed by per-field messages. */
  get display(): string {
    const head = this.detail || this.title;
    const fields = this.errors.map((e) => e.message).filter((m) => m && m !== head);
    return fields.length
      ? t('web.error.withFields', { message: head, fields: fields.join(t('web.sentenceSeparator')) })
      : head;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** The query parameters of a list, as the shared zod schema parses them (every one optional). */
export type QueryOf<S extends z.ZodType> = Partial<z.output<S>>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as is instead of a JSON body (file uploads). */
  raw?: { body: Blob; contentType: string };
  /** The caller handles every error itself: no global message, no redirect on 401. */
  quiet?: boolean;
  /** Errors the caller shows itself (no global message); a 401 still signs out. */
  expected?: (error: ApiError) => boolean;
  signal?: AbortSignal;
}

interface Handlers {
  onError: (error: ApiError) => void;
  onUnauthorized: (error: ApiError) => void;
  onForbiddenFlow: (error: ApiError) => void;
}

let csrfToken: string | null = null;
let handlers: Handlers = { onError: () => {}, onUnauthorized: () => {}, onForbiddenFlow: () => {} };

/** Kept in memory only; set from the login and `/auth/me` responses. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

let sessionCheck: (() => Promise<unknown>) | null = null;

/** How to fetch the session (and its CSRF token) again: `/auth/me` through the auth context. */
export function configureSessionCheck(check: () => Promise<unknown>): () => void {
  sessionCheck = check;
  return () => {
    if (sessionCheck === check) sessionCheck = null;
  };
}

/**
 * Before sending queued writes: an app opened offline has no CSRF token yet (it comes with
 * `/auth/me`); fetches it. False while the server still cannot be reached or the session is gone.
 */
export async function ensureCsrfToken(): Promise<boolean> {
  if (csrfToken) return true;
  await sessionCheck?.();
  return !!csrfToken;
}

/** Installs the one global error handler (antd message, redirect to /login). */
export function configureApi(next: Handlers): void {
  handlers = next;
}

/** Server codes meaning "finish the forced flow first" — the app refetches /me and redirects. */
const FORCED_FLOW_CODES = new Set(['password_change_required', 'totp_enrollment_required', 'totp_required']);

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (e.g. a proxy's HTML page)
  }
  if (body && typeof body === 'object' && 'title' in body) {
    const p = body as Partial<Problem>;
    return new ApiError({
      status: typeof p.status === 'number' ? p.status : res.status,
      code: typeof p.code === 'string' ? p.code : `http_${res.status}`,
      title: String(p.title),
      detail: typeof p.detail === 'string' ? p.detail : undefined,
      errors: Array.isArray(p.errors) ? p.errors : [],
      allowed: Array.isArray(p.allowed) ? p.allowed.filter((a): a is string => typeof a === 'string') : [],
    });
  }
  return new ApiError({
    status: res.status,
    code: `http_${res.status}`,
    title: t('web.error.http', { status: res.status }),
  });
}

/** Sends a request; a non-2xx answer becomes an ApiError (reported through the global handlers). */
export async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (options.raw) headers['content-type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ? options.raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError({ status: 0, code: 'network', title: t('web.error.network') });
    if (!options.quiet) handlers.onError(error);
    throw error;
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (!options.quiet) {
      if (!options.expected?.(error)) handlers.onError(error);
      if (error.status === 401) handlers.onUnauthorized(error);
      else if (error.status === 403 && FORCED_FLOW_CODES.has(error.code)) handlers.onForbiddenFlow(error);
    }
    throw error;
  }
  return res;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, options, 'application/json');
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query' | 'body'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PUT', path, { ...options, body }),
};
