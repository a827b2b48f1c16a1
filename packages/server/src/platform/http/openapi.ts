import { t } from '@shuangyong/shared';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** A route as the OpenAPI document needs it: no handler, no hooks. */
type DocumentedRoute = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'constraints'>;

/**
 * The OpenAPI document (/api/openapi.json) and its UI (/api/docs), built at their first request,
 * not at start-up (decisions/0068): @fastify/swagger, @fastify/swagger-ui and `yaml` (~110 files)
 * load then. From here on the app records each route it registers (method, path, schema); the first
 * request registers them, with no handlers, on a Fastify instance of the document's own that
 * carries the two plugins, and answers from it (the UI's files by `inject`).
 * Call before the routes are registered.
 */
export function installLazyOpenApi(app: FastifyInstance, compilers: FastifyServerOptions['schemaController']): void {
  const routes: DocumentedRoute[] = [];
  app.addHook('onRoute', (r) => {
    // hidden routes are not in the document (as with @fastify/swagger; the ones below are hidden);
    // the document's own instance makes the HEAD routes of GET ones, as the app did
    if (r.schema?.hide || r.method === 'HEAD') return;
    routes.push({ method: r.method, url: r.url, schema: r.schema, constraints: r.constraints });
  });

  let built: Promise<FastifyInstance> | undefined;
  const docs = () => {
    built ??= (async () => {
      const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([
        import('@fastify/swagger'),
        import('@fastify/swagger-ui'),
      ]);
      const doc = Fastify({ schemaController: compilers });
      await doc.register(swagger, {
        openapi: {
          info: { title: t('openapi.title'), version: '1.0.0', description: t('openapi.description') },
          components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sy_session' } } },
        },
        transform: jsonSchemaTransform,
      });
      await doc.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
      doc.register(async (api) => {
        for (const r of routes) api.route({ ...r, handler: async () => null });
      });
      await doc.ready();
      return doc;
    })();
    built.catch(() => {
      built = undefined; // a failed build is tried again at the next request
    });
    return built;
  };

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => (await docs()).swagger());
  const ui = async (req: FastifyRequest, reply: FastifyReply) => {
    const res = await (await docs()).inject({
      method: req.method === 'HEAD' ? 'HEAD' : 'GET',
      url: req.url,
      headers: req.headers,
    });
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) reply.header(name, value);
    }
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  app.get('/api/docs', { schema: { hide: true } }, ui);
  app.get('/api/docs/*', { schema: { hide: true } }, ui);
}

/** Headers the outer reply sets itself. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);
