import { z } from 'zod';
import { DATA_SCOPES, PERMISSIONS, ROLES } from '../access.js';
import { ORG_TYPES } from '../orgs.js';

/** A one-time code of the authenticator app: six digits (the login form checks the same). */
export const OTP_PATTERN = /^\d{6}$/;

export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  otp: z.string().regex(OTP_PATTERN).optional(),
});

export const meSchema = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    totpRequired: z.boolean(),
  }),
  org: z.object({ id: z.string(), name: z.string(), type: z.enum(ORG_TYPES), path: z.string() }),
  roles: z.array(z.enum(ROLES)),
  permissions: z.array(z.enum(PERMISSIONS)),
  scope: z.enum(DATA_SCOPES),
  csrfToken: z.string(),
  demo: z.boolean(),
  /** The display zone (TZ_DISPLAY): every time is entered and shown in it, whatever the device's zone. */
  timeZone: z.string(),
  /**
   * The user's key for visit drafts kept on a phone (AES-256-GCM, hex): the same at every login of
   * this user, different for each user, never stored by the server. The app forgets it at logout,
   * which leaves that user's queued drafts sealed until they log in again (decisions/0017).
   */
  draftKey: z.string().regex(/^[0-9a-f]{64}$/),
  /** Days the app may serve this user's lists kept on the phone (setting `offline.cacheDays`, decisions/0016). */
  offlineCacheDays: z.number().int().min(1),
});
export type Me = z.infer<typeof meSchema>;

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const totpSetupSchema = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpEnableBody = z.strictObject({ otp: z.string().regex(OTP_PATTERN) });
