import { z } from 'zod';
import { ROLES } from '../access.js';
import { t } from '../i18n/index.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** A user name: a letter first, then letters, digits, _ . - (the web form checks the same). */
export const USERNAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
export const usernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(USERNAME_PATTERN, { message: t('validation.username') });

export const userListQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(64).optional(),
  orgId: idSchema.optional(),
});
export const userPage = pageOf(userSchema);

export const createUserBody = z.strictObject({
  username: usernameSchema,
  displayName: nameSchema,
  orgId: idSchema,
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
  password: z.string().min(1).max(256),
});
export const updateUserBody = z.strictObject({
  version: z.number().int().min(1),
  displayName: nameSchema.optional(),
  orgId: idSchema.optional(),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length).optional(),
});
export const resetPasswordBody = z.strictObject({ password: z.string().min(1).max(256) });
