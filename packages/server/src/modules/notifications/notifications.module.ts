import { defineModule } from '../../platform/module.js';
import { usersModule } from '../users/users.module.js';
import { notificationsRoutes } from './notifications.routes.js';
import { LogTransport, NotificationsService } from './notifications.service.js';

/**
 * In-app notifications of every module, and the outbox an outbound transport sends from. Other
 * modules require it and call `notify` inside their transaction, then `flush` after it.
 */
export const notificationsModule = defineModule({
  name: 'notifications',
  tables: ['notifications'],
  requires: [usersModule],
  build: ({ p, log }, { users }) => {
    const notifications = new NotificationsService(p, users, new LogTransport(log), log);
    const db = p.handle.db;
    return {
      services: notifications,
      routes: [notificationsRoutes(notifications)],
      // a notification is its addressee's: anyone else, whatever their scope, gets 404 (issue 13, item 12)
      targets: { notification: async (_scope, id, actor) => notifications.isOwn(db, actor.userId, id) },
    };
  },
});

export type { NotificationsService, NotifyInput } from './notifications.service.js';
