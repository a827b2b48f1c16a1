import { defineModule } from '../../platform/module.js';
import { benefitsModule } from '../benefits/benefits.module.js';
import { campaignsModule } from '../campaigns/campaigns.module.js';
import { honoursModule } from '../honours/honours.module.js';
import { needsModule } from '../needs/needs.module.js';
import { notificationsModule } from '../notifications/notifications.module.js';
import { registryModule } from '../registry/registry.module.js';
import { visitsModule } from '../visits/visits.module.js';
import { homeRoutes } from './home.routes.js';
import { HomeService } from './home.service.js';

/**
 * 首页: each user's to-dos and key figures, read through the owning modules' services (it owns
 * no table). Every figure is the total of the list it links to.
 */
export const homeModule = defineModule({
  name: 'home',
  tables: [],
  requires: [
    notificationsModule,
    registryModule,
    honoursModule,
    needsModule,
    campaignsModule,
    visitsModule,
    benefitsModule,
  ],
  build: ({ p }, deps) => {
    const home = new HomeService(p, deps);
    return { services: home, routes: [homeRoutes(home)] };
  },
});

export type { HomeService } from './home.service.js';
