import { z } from 'zod';
import { t } from '../i18n/index.js';
import { ORG_CODE_PATTERN, ORG_SIDES, ORG_TYPES } from '../orgs.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';

export const orgSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  type: z.enum(ORG_TYPES),
  side: z.enum(ORG_SIDES),
  regionCode: z.string().nullable(),
  path: z.string(),
  depth: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Org = z.infer<typeof orgSchema>;

export const orgListQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(64).optional(),
  type: z.enum(ORG_TYPES).optional(),
  parentId: idSchema.optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});
export const orgPage = pageOf(orgSchema);
export const orgTree = z.object({ items: z.array(orgSchema) });

export const orgCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(ORG_CODE_PATTERN, { message: t('validation.orgCode') });

/** An administrative division code: 6 digits (county), 9 (township) or 12 (village). */
export const REGION_CODE_PATTERN = /^\d{6}(\d{3}(\d{3})?)?$/;

export const createOrgBody = z.strictObject({
  parentId: idSchema,
  name: nameSchema,
  code: orgCode.optional(),
  type: z.enum(ORG_TYPES),
  side: z.enum(ORG_SIDES).optional(),
  regionCode: z
    .string()
    .regex(REGION_CODE_PATTERN, { message: t('validation.regionCode') })
    .optional(),
});
export const updateOrgBody = z.strictObject({ version: z.number().int().min(1), name: nameSchema });
export const moveOrgBody = z.strictObject({ version: z.number().int().min(1), parentId: idSchema });
