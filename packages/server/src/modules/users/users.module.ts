import { t } from '@shuangyong/shared';
import { defineModule } from '../../platform/module.js';
import { orgsModule } from '../orgs/orgs.module.js';
import { usersRepo } from './users.repo.js';
import { usersRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';

/** User accounts, their roles and their org. */
export const usersModule = defineModule({
  name: 'users',
  tables: ['users', 'user_roles'],
  requires: [orgsModule],
  build: ({ p }, { orgs }) => {
    const users = new UsersService(p, orgs);
    const db = p.handle.db;
    return {
      services: users,
      routes: [usersRoutes(users)],
      targets: { user: async (scope, id) => !!(await usersRepo.row(db, scope, id)) },
      labels: {
        user: async (ids, actor) =>
          new Map(
            (await usersRepo.names(db, actor.scope, ids)).map((u) => [
              u.id,
              t('auditLog.userLabel', { name: u.display_name, username: u.username }),
            ]),
          ),
      },
    };
  },
});

export type { UserRow } from './users.repo.js';
export type { UsersService } from './users.service.js';
