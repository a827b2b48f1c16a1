import { defineModule } from '../../platform/module.js';
import { usersRepo } from './users.repo.js';
import { usersRoutes } from './users.routes.js';
import { UsersService } from './users.service.js';

/** User accounts, their roles and their org. */
export const usersModule = defineModule({
  name: 'users',
  tables: ['users', 'user_roles'],
  build: ({ p }) => {
    const users = new UsersService(p);
    const db = p.handle.db;
    return {
      services: users,
      routes: [usersRoutes(users)],
      targets: { user: async (scope, id) => !!(await usersRepo.row(db, scope, id)) },
    };
  },
});
