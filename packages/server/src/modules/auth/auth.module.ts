import { defineModule } from '../../platform/module.js';
import { usersModule } from '../users/users.module.js';
import { authRoutes } from './auth.routes.js';
import { AuthService } from './auth.service.js';

/** Sign-in, sign-out, `me`, password change and TOTP enrolment. */
export const authModule = defineModule({
  name: 'auth',
  requires: [usersModule],
  build: ({ p, sessions, http }, { users }) => {
    const auth = new AuthService(p, sessions, users);
    return { services: auth, routes: [authRoutes(auth, http.secureCookie)] };
  },
});
