import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { atmosphereModule } from './modules/atmosphere/atmosphere.module.js';
import { auditModule } from './modules/audit/audit.module.js';
import { authModule } from './modules/auth/auth.module.js';
import { benefitsModule } from './modules/benefits/benefits.module.js';
import { campaignsModule } from './modules/campaigns/campaigns.module.js';
import { cockpitModule } from './modules/cockpit/cockpit.module.js';
import { homeModule } from './modules/home/home.module.js';
import { honoursModule } from './modules/honours/honours.module.js';
import { modelcityModule } from './modules/modelcity/modelcity.module.js';
import { needsModule } from './modules/needs/needs.module.js';
import { notificationsModule } from './modules/notifications/notifications.module.js';
import { orgsModule } from './modules/orgs/orgs.module.js';
import { registryModule } from './modules/registry/registry.module.js';
import { settingsModule } from './modules/settings/settings.module.js';
import { troopsModule } from './modules/troops/troops.module.js';
import { usersModule } from './modules/users/users.module.js';
import { visitsModule } from './modules/visits/visits.module.js';
import type { Platform } from './platform/context.js';
import { createServer, type Server, type ServerOptions } from './platform/http/server.js';

/**
 * The modules of the app, in order: a module comes after the modules it `requires`. Adding a
 * module is one import and one entry here (docs/architecture.md, "Adding a module").
 */
export const MODULES = [
  orgsModule,
  usersModule,
  authModule,
  auditModule,
  settingsModule,
  notificationsModule,
  registryModule,
  honoursModule,
  needsModule,
  campaignsModule,
  visitsModule,
  atmosphereModule,
  benefitsModule,
  troopsModule,
  modelcityModule,
  homeModule,
  cockpitModule,
] as const;

export type App = Server<typeof MODULES>;
export type AppOptions = Partial<ServerOptions>;

/** packages/web/dist, from src/ (tests, tsx) and from dist/ (the bundle) alike. */
const DEFAULT_WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export function buildApp(p: Platform, opts: AppOptions = {}): Promise<App> {
  return createServer(p, MODULES, { ...opts, webDir: opts.webDir ?? DEFAULT_WEB_DIR });
}
