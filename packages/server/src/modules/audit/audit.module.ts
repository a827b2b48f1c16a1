import { defineModule } from '../../platform/module.js';
import { auditRoutes } from './audit.routes.js';

/** The audit log as people read it (list, chain verification); writing is platform/audit. */
export const auditModule = defineModule({
  name: 'audit',
  build: ({ p, labels }) => ({ services: undefined, routes: [auditRoutes(p, labels)] }),
});
