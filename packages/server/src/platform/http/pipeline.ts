import { fieldLabel, findUnsafeText, type Permission, t } from '@shuangyong/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApprovalKind } from '../access/approval-policy.js';
import type { Scope } from '../access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../auth/actor.js';
import { SESSION_COOKIE, type Sessions } from '../auth/sessions.js';
import type { Platform } from '../context.js';
import { admitTurn } from '../turns.js';
import { sendProblem } from './problem.js';

/**
 * What a route declares about access, next to its definition (STYLE.md practice 2). Every route
 * under /api/v1 must declare it: registration fails otherwise.
 */
export type RouteAccess =
  | { public: true }
  | {
      public?: false;
      /** Required permission; omit for "any signed-in user". */
      permission?: Permission;
      /** Reachable while a password change or TOTP enrolment is still due (auth routes only). */
      allowPending?: boolean;
      /**
       * The kind of record named by the `:id` parameter. The access-matrix test uses it to call the
       * route with another district's record; a route with `:id` and no target fails that test.
       */
      target?: string;
      /**
       * The route decides a request of this pair (access/approval-policy.ts). `approvals.test.ts`
       * calls every such route as each actor of the requesting organisation and expects a refusal.
       */
      approves?: ApprovalKind;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionState: 'none' | 'expired' | 'ok';
  }
}

/**
 * Record-level access for `:id` routes, one resolver per target kind: "is record `id` inside this
 * scope?". The pipeline asks it before the body is validated or the handler runs, so a record of
 * another district answers 404 on every route of every module — the same answer as "not found".
 * A record that belongs to one person (a notification) resolves by its owner: `actor` is the caller.
 */
export type TargetResolver = (scope: Scope, id: string, actor: Actor) => Promise<boolean>;

export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
  /** The route's request schemas (zod), for schema-driven fuzzing. */
  schema?: { body?: unknown; querystring?: unknown; params?: unknown };
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Builds the per-request context a service needs; only callable on authenticated routes. */
export function ctxOf(req: FastifyRequest): RequestCtx {
  if (!req.actor) throw new Error('ctxOf called on an unauthenticated request');
  return { actor: req.actor, requestId: req.id, ip: req.ip };
}

export function installAccessPipeline(
  app: FastifyInstance,
  platform: Platform,
  sessions: Sessions,
  targets: ReadonlyMap<string, TargetResolver>,
): RouteEntry[] {
  const table: RouteEntry[] = [];

  app.addHook('onReady', async () => {
    for (const r of table) {
      const target = r.access.public ? undefined : r.access.target;
      if (r.url.includes(':id') && !target)
        throw new Error(`route ${r.method} ${r.url} has :id but declares no target`);
      if (target && !targets.has(target))
        throw new Error(`route ${r.method} ${r.url}: no resolver for target '${target}'`);
    }
  });

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    const schema = route.schema as RouteEntry['schema'];
    for (const m of [route.method].flat()) if (m !== 'HEAD') table.push({ method: m, url: route.url, access, schema });
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionState', 'none');

  // Runs before the body is parsed or validated: an unauthorised caller learns nothing about the schema.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    // many requests ready at once share the turns of the event loop, ~10 ms each (decisions/0084)
    await admitTurn();
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const res = await sessions.resolve(token);
      if (res.ok) {
        req.actor = res.actor;
        req.sessionState = 'ok';
      } else req.sessionState = res.reason;
    }
    const access = req.routeOptions.config?.access;
    if (!access || access.public) return;
    const actor = req.actor;
    if (!actor) {
      return req.sessionState === 'expired'
        ? sendProblem(reply, 401, 'session_expired', 'error.sessionExpired')
        : sendProblem(reply, 401, 'unauthenticated', 'error.unauthenticated');
    }
    if (MUTATING.has(req.method) && req.headers['x-csrf-token'] !== actor.csrfToken) {
      return sendProblem(reply, 403, 'csrf', 'error.csrf');
    }
    if (!access.allowPending) {
      if (actor.mustChangePassword)
        return sendProblem(reply, 403, 'password_change_required', 'error.passwordChangeRequired');
      if (actor.totpRequired && !actor.totpEnabled)
        return sendProblem(reply, 403, 'totp_enrollment_required', 'error.totpEnrollmentRequired');
    }
    if (access.permission && !actor.permissions.has(access.permission)) {
      await platform.audit.event(platform.handle.db, auditActorOf({ actor, requestId: req.id, ip: req.ip }), {
        action: 'access.denied',
        entityType: 'route',
        entityId: `${req.method} ${req.routeOptions.url}`,
        changes: { permission: access.permission },
      });
      return sendProblem(reply, 403, 'forbidden', 'error.forbidden');
    }
  });

  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    // NUL cannot be stored in PostgreSQL text and has no place in any field: refused for every route
    if (containsNul(req.query) || containsNul(req.body))
      return sendProblem(reply, 400, 'validation_failed', 'error.nulCharacter');
    // bidi controls and lone surrogates: refused in every string of every route (issue 13 item 8)
    for (const [where, value] of [
      ['query', req.query],
      ['body', req.body],
    ] as const) {
      const at = findUnsafeText(value);
      if (at)
        return sendProblem(reply, 400, 'validation_failed', 'error.unsafeText', undefined, {
          errors: [{ path: [where, ...at].join('.'), message: t('validation.unsafeText', { field: fieldLabel(at) }) }],
        });
    }
    const access = req.routeOptions.config?.access;
    if (!access || access.public || !access.target || !req.actor) return;
    const id = (req.params as { id?: unknown }).id;
    const resolver = targets.get(access.target);
    const visible =
      typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && resolver
        ? await resolver(req.actor.scope, id, req.actor)
        : false;
    if (!visible) return sendProblem(reply, 404, 'not_found', 'error.notFound');
  });

  return table;
}

function containsNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 20 || v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return false;
  for (const [k, x] of Object.entries(v)) if (k.includes('\u0000') || containsNul(x, depth + 1)) return true;
  return false;
}
