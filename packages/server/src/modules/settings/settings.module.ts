import { defineModule } from '../../platform/module.js';
import { settingsRoutes } from './settings.routes.js';

/** Security settings (password rules, lockout, timeouts); the values live in platform/settings. */
export const settingsModule = defineModule({
  name: 'settings',
  build: ({ p }) => ({ services: undefined, routes: [settingsRoutes(p)] }),
});
