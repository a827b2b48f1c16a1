import { defineModule } from '../../platform/module.js';
import { authRoutes } from './auth.routes.js';
import { AuthService } from './auth.service.js';

/** Sign-in, sign-out, `me`, password change and TOTP enrolment. */
export const authModule = defineModule({
  name: 'auth',
  build: ({ p, sessions, http }) => {
    const auth = new AuthService(p, sessions);
    return { services: auth, routes: [authRoutes(auth, http.secureCookie)] };
  },
});
