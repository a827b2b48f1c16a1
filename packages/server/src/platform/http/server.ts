import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../context.js';
import { uuidv7 } from '../ids.js';
import type { Jobs } from '../jobs/jobs.js';
import { type AnyModule, buildModules, type ModuleTimer, moduleContext, type ServicesMap } from '../module.js';
import { registerHealth } from './health.js';
import { installLazyOpenApi } from './openapi.js';
import { installAccessPipeline, type RouteEntry } from './pipeline.js';
import { installErrorHandler, sendProblem } from './problem.js';

z.config(z.locales.zhCN());

/** The zod compilers as Fastify's compiler factories (its types name ajv's signatures). */
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

export interface ServerOptions {
  logger?: boolean;
  /** Folder of the built web app (served when it holds an index.html). */
  webDir: string;
  /** Send the session cookie with `Secure` and HSTS (behind HTTPS); default: the config's `cookieSecure`. */
  secureCookie?: boolean;
}

/** The HTTP server with its modules built: what `serve` runs and tests inject requests into. */
export interface Server<L extends readonly AnyModule[]> {
  app: FastifyInstance;
  /** Every /api/v1 route with its declared access (the access-matrix and fuzz tests walk it). */
  routes: RouteEntry[];
  jobs: Jobs;
  services: ServicesMap<L>;
  /** The modules' periodic work; `serve` starts it (platform/module.ts `startTimers`). */
  timers: ModuleTimer[];
}

/**
 * The Fastify shell (security headers, cookies, rate limits, OpenAPI, the built web app, 404s)
 * around the modules: builds them in order, installs the access pipeline with their target
 * resolvers, and registers their routes under /api/v1.
 */
export async function createServer<const L extends readonly AnyModule[]>(
  p: Platform,
  modules: L,
  opts: ServerOptions,
): Promise<Server<L>> {
  const secureCookie = opts.secureCookie ?? p.config.cookieSecure;
  const app = Fastify({
    logger: opts.logger
      ? {
          level: p.config.logLevel,
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
        }
      : false,
    bodyLimit: 1024 * 1024,
    // no HEAD twin of every GET route (~120 more routes built at every start, decisions/0072): a
    // HEAD request finds no route and the not-found handler answers it from its GET (below)
    exposeHeadRoutes: false,
    genReqId: () => uuidv7(),
    trustProxy: p.config.trustProxy,
    // every route's schema is zod (fastify-type-provider-zod): Fastify's own compilers (ajv,
    // fast-json-stringify) would never compile anything, so they are not loaded either
    // (docs/decisions/0063)
    schemaController: { compilersFactory: ZOD_COMPILERS },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its theme as inline <style>; scripts stay strictly same-origin files.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // over HTTPS only: HSTS on plain HTTP would tell nothing and break a LAN test install
    hsts: secureCookie ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // API answers carry personal data (revealed values, exports, lists): never kept by a browser or
  // proxy cache. A route that may be cached privately says so itself (visit photos).
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  // the OpenAPI document and its UI are built at their first request (decisions/0068)
  installLazyOpenApi(app, { compilersFactory: ZOD_COMPILERS });

  const ctx = moduleContext(p, { log: app.log, secureCookie });
  const built = buildModules(ctx, modules);
  app.addHook('onClose', () => built.close());
  const routes = installAccessPipeline(app, p, ctx.sessions, built.targets);

  registerHealth(app, p);
  await app.register(
    async (api) => {
      for (const r of built.routes) await api.register(r);
    },
    { prefix: '/api/v1' },
  );

  const webDir = opts.webDir;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    const files = {
      index: false as const,
      cacheControl: false,
      // the build writes .br and .gz beside each bundle (packages/web/scripts/precompress.mjs): sent
      // as they are to a browser that accepts them, nothing compressed per request
      preCompressed: true,
      // hashed bundles never change; index.html is re-checked so a deploy is picked up at once. The
      // answer depends on Accept-Encoding (a cache must not hand the brotli copy to a browser without it)
      setHeaders: (res: { setHeader(name: string, value: string): unknown }, file: string) => {
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        res.setHeader('vary', 'Accept-Encoding');
      },
    };
    // the few files at the top (index.html, sw.js, icons…) a route each; the hashed bundles under
    // /assets/ one route for all: a route per bundle was ~250 routes built at every start
    // (decisions/0063). A name under /assets/ that is not there ends in the not-found handler as before.
    await app.register(fastifyStatic, { ...files, root: webDir, wildcard: false, globIgnore: ['assets/**'] });
    await app.register(fastifyStatic, {
      ...files,
      root: path.join(webDir, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      decorateReply: false,
    });
  }

  app.setNotFoundHandler(
    // probing unknown API routes is rate-limited; reloading a page of the app is not. A HEAD is
    // counted by the GET it becomes.
    {
      preHandler: app.rateLimit({
        max: 60,
        timeWindow: '1 minute',
        allowList: (req) => !req.url.startsWith('/api/') || req.method === 'HEAD',
      }),
    },
    async (req, reply) => {
      if (req.method === 'HEAD') return answerHeadFromGet(app, req, reply);
      const page = req.method === 'GET' && hasWeb && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/');
      if (page) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return sendProblem(reply, 404, 'route_not_found', 'error.routeNotFound');
    },
  );

  return { app, routes, jobs: ctx.jobs, services: built.services, timers: built.timers };
}

/**
 * HEAD answered as Fastify's HEAD routes did: the GET of the same URL runs (same headers, same
 * client address) and its status and headers are sent without the body. Fastify builds no HEAD
 * routes here (`exposeHeadRoutes: false`), so every HEAD that the web files' own HEAD routes do not
 * take ends here (decisions/0072).
 */
async function answerHeadFromGet(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const res = await app.inject({ method: 'GET', url: req.url, headers: req.headers, remoteAddress: req.ip });
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined && !HEAD_HOP_BY_HOP.has(name)) reply.header(name, value);
  }
  // the body is not sent on a HEAD (node's response drops it); it sets the GET's content-length
  return reply.code(res.statusCode).send(res.rawPayload);
}

/** Headers the outer reply sets itself. */
const HEAD_HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);
