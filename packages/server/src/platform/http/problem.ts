import { type MessageKey, readableIssue, t } from '@shuangyong/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

const PROBLEM_TYPE = 'https://shuangyong.local/problems/';

export function sendProblem(
  reply: FastifyReply,
  status: number,
  code: string,
  key: MessageKey,
  params?: Record<string, string | number>,
  extra?: Record<string, unknown>,
) {
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .send({ type: PROBLEM_TYPE + code, title: t(key, params), status, detail: t(key, params), code, ...extra });
}

/** Errors a lost database connection raises, on either dialect: answered 503, not 500. */
function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(
      code,
    )
  )
    return true;
  const msg = e?.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|SQLITE_BUSY|database is locked/.test(
    msg,
  );
}

/** The one server error handler: every failure becomes problem+json in Chinese, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof AppError) {
      return sendProblem(reply, err.status, err.code, err.messageKey, err.params, err.extra);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? 'body';
      const sent = { querystring: req.query, params: req.params, headers: req.headers }[where] ?? req.body;
      const errors = err.validation.map((v) => {
        const path = v.instancePath.split('/').filter(Boolean);
        return {
          path: `${where}${v.instancePath.replaceAll('/', '.')}`.replace(/\.$/, ''),
          // built from the field's name in the catalogue: "姓名最多 64 个字", never zod's own wording
          message: readableIssue(
            { ...(v.params as object), code: v.keyword, path, message: v.message },
            valueAt(sent, path),
          ),
        };
      });
      return sendProblem(reply, 400, 'validation_failed', 'error.validation', undefined, { errors });
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(reply, 413, 'body_too_large', 'error.bodyTooLarge', {
          limit: `${Math.round((req.routeOptions.bodyLimit ?? 1024 * 1024) / 1024 / 1024)} MB`,
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(reply, 415, 'unsupported_media_type', 'error.unsupportedMediaType');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return sendProblem(reply, 400, 'malformed_json', 'error.malformedJson');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendProblem(reply, 400, 'bad_request', 'error.badRequest');
    }
    if (err.statusCode === 429) return sendProblem(reply, 429, 'rate_limited', 'error.rateLimited');
    if (err instanceof SyntaxError && err.statusCode === 400)
      return sendProblem(reply, 400, 'malformed_json', 'error.malformedJson');
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return sendProblem(reply, 503, 'unavailable', 'error.unavailable');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(reply, err.statusCode, 'bad_request', 'error.badRequest');
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, 500, 'internal', 'error.internal');
  });
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}
