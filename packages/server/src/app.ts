import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  type FastifyPluginAsyncZod,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { CampaignsService, campaignsModule } from './modules/campaigns/campaigns.module.js';
import { registerHealth } from './modules/health/health.routes.js';
import { honoursRoutes } from './modules/honours/honours.routes.js';
import { HonoursService } from './modules/honours/honours.service.js';
import { needsModule } from './modules/needs/needs.module.js';
import { NeedsService } from './modules/needs/needs.service.js';
import { LogTransport, NotificationsService } from './modules/notifications/notifications.service.js';
import { orgsRepo } from './modules/orgs/orgs.repo.js';
import { orgsRoutes } from './modules/orgs/orgs.routes.js';
import { OrgsService } from './modules/orgs/orgs.service.js';
import { BeneficiaryImport, IMPORT_KIND } from './modules/registry/import.js';
import { importExportRoutes } from './modules/registry/import-export.routes.js';
import { MergesService } from './modules/registry/merges.service.js';
import { registryRepo } from './modules/registry/registry.repo.js';
import { registryRoutes } from './modules/registry/registry.routes.js';
import { RegistryService } from './modules/registry/registry.service.js';
import { TransfersService } from './modules/registry/transfers.service.js';
import { settingsRoutes } from './modules/settings/settings.routes.js';
import { usersRepo } from './modules/users/users.repo.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { VisitsModule } from './modules/visits/visits.module.js';
import { systemActor } from './platform/auth/actor.js';
import { Sessions } from './platform/auth/sessions.js';
import type { Platform } from './platform/context.js';
import { installAccessPipeline, type RouteEntry, type TargetResolver } from './platform/http/pipeline.js';
import { installErrorHandler, sendProblem } from './platform/http/problem.js';
import { uuidv7 } from './platform/ids.js';
import { Jobs } from './platform/jobs/jobs.js';

z.config(z.locales.zhCN());

export interface AppOptions {
  logger?: boolean;
  /** Folder of the built web app; defaults to packages/web/dist. */
  webDir?: string;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  secureCookie?: boolean;
}

/** A domain module as the app registers it. */
export interface ModuleDef {
  routes: FastifyPluginAsyncZod;
  /** Resolvers of the record kinds its `:id` routes name (see platform/http/pipeline.ts). */
  targets?: Record<string, TargetResolver>;
}

export interface App {
  app: FastifyInstance;
  routes: RouteEntry[];
  jobs: Jobs;
  services: {
    auth: AuthService;
    orgs: OrgsService;
    users: UsersService;
    registry: RegistryService;
    transfers: TransfersService;
    honours: HonoursService;
    merges: MergesService;
    notifications: NotificationsService;
    needs: NeedsService;
    campaigns: CampaignsService;
    visits: VisitsModule;
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_WEB_DIR = path.resolve(here, '../../web/dist');

export async function buildApp(p: Platform, opts: AppOptions = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger
      ? {
          level: p.config.logLevel,
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
        }
      : false,
    bodyLimit: 1024 * 1024,
    genReqId: () => uuidv7(),
    trustProxy: p.config.trustProxy,
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
    hsts: opts.secureCookie ? undefined : false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      info: {
        title: '双拥工作平台 API',
        version: '1.0.0',
        description: 'REST API，错误以 RFC 9457 problem+json 返回。',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sy_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const sessions = new Sessions(p.handle.db, p.crypto, p.settings, p.config.demo);
  const transfers = new TransfersService(p);
  const notifications = new NotificationsService(p, new LogTransport(app.log), app.log);
  const services = {
    auth: new AuthService(p, sessions),
    orgs: new OrgsService(p),
    users: new UsersService(p),
    transfers,
    registry: new RegistryService(p, transfers),
    honours: new HonoursService(p),
    merges: new MergesService(p),
    notifications,
    needs: new NeedsService(p, notifications),
    campaigns: new CampaignsService(p, notifications),
  };
  const jobs = new Jobs(p, app.log);
  jobs.register(
    IMPORT_KIND,
    new BeneficiaryImport(
      p,
      async (job) => {
        if (job.created_by === 'system') return systemActor({ id: job.org_id, path: job.org_path, name: 'system' });
        const actor = await sessions.actorOf(job.created_by);
        if (!actor) throw new Error('the job creator is no longer active');
        return actor;
      },
      jobs,
    ),
  );
  const visits = new VisitsModule(p, jobs, services.campaigns.metrics);
  app.addHook('onClose', async () => visits.photos.close());
  const db = p.handle.db;
  /**
   * The modules, in order: each brings its routes and the resolvers of its `:id` target kinds.
   * A new module adds one entry here (explicit registration, no side effects).
   */
  const modules: ModuleDef[] = [
    { routes: authRoutes(services.auth, opts.secureCookie ?? false) },
    { routes: orgsRoutes(services.orgs), targets: { org: async (scope, id) => !!(await orgsRepo.get(db, scope, id)) } },
    {
      routes: usersRoutes(services.users),
      targets: { user: async (scope, id) => !!(await usersRepo.row(db, scope, id)) },
    },
    { routes: auditRoutes(p) },
    { routes: settingsRoutes(p) },
    {
      routes: registryRoutes(p, services.registry, services.transfers, services.merges),
      targets: {
        beneficiary: async (scope, id) => !!(await registryRepo.get(db, scope, id)),
        transfer: async (scope, id) => !!(await transfers.visible(scope, id)),
        merge: async (scope, id) => !!(await services.merges.visible(db, scope, id)),
      },
    },
    {
      routes: honoursRoutes(services.honours),
      targets: {
        household: async (scope, id) => !!(await services.honours.household(db, scope, id)),
        citation: async (scope, id) => !!(await services.honours.citation(db, scope, id)),
      },
    },
    {
      routes: importExportRoutes(p, services.registry, jobs),
      targets: { job: async (scope, id) => !!(await jobs.get(scope, id)) },
    },
    needsModule(p, services.needs),
    campaignsModule(p, services.campaigns),
    { routes: visits.routes, targets: visits.targets },
  ];
  const targets = new Map<string, TargetResolver>(modules.flatMap((m) => Object.entries(m.targets ?? {})));
  const routes = installAccessPipeline(app, p, sessions, targets);

  registerHealth(app, p);
  await app.register(
    async (api) => {
      for (const m of modules) await api.register(m.routes);
    },
    { prefix: '/api/v1' },
  );

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      cacheControl: false,
      // hashed bundles never change; index.html is re-checked so a deploy is picked up at once
      setHeaders: (res, file) =>
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });

  app.setNotFoundHandler(
    // probing unknown API routes is rate-limited; reloading a page of the app is not
    {
      preHandler: app.rateLimit({ max: 60, timeWindow: '1 minute', allowList: (req) => !req.url.startsWith('/api/') }),
    },
    async (req, reply) => {
      const page = req.method === 'GET' && hasWeb && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/');
      if (page) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return sendProblem(reply, 404, 'route_not_found', 'error.routeNotFound');
    },
  );

  return { app, routes, services: { ...services, visits }, jobs };
}
