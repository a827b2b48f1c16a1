import { z } from 'zod';
import { t } from '../i18n/index.js';

export const idSchema = z.string().uuid();
export const idParams = z.strictObject({ id: idSchema });

export const pageQuery = {
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export const versionBody = z.strictObject({ version: z.number().int().min(1) });

/** RFC 9457 problem details, as every error response. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  allowed: z.array(z.string()).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/**
 * Names of people and organisations: trimmed, 1–64 characters, from an allow-list of letters
 * (any script, so Uyghur and Kazakh names work), digits, spaces and the punctuation real names use.
 * Markup and SQL punctuation (< > ' " ; ` \ and --) are refused rather than stored.
 */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{M}\p{N} ·•（）()\-—_、.,，。#＃&＆/]+$/u, { message: t('validation.name') })
  .refine((s) => !s.includes('--'), { message: t('validation.name') });
