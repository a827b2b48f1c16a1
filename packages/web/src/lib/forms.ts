import type { FormInstance } from 'antd';
import type { ZodType } from 'zod';
import { ApiError } from '../api/client';

/**
 * Puts the server's per-field messages (problem+json `errors[].path`) onto the form's fields.
 * Paths may look like `name`, `/name`, `body.name` or `body/roles/0`.
 */
export function applyFieldErrors(form: FormInstance, error: unknown, fields: readonly string[]): void {
  if (!(error instanceof ApiError) || error.errors.length === 0) return;
  const byField = new Map<string, string[]>();
  for (const e of error.errors) {
    const segments = e.path.split(/[./]/).filter((s) => s && s !== 'body');
    const field = segments.find((s) => fields.includes(s));
    if (!field) continue;
    byField.set(field, [...(byField.get(field) ?? []), e.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
}

/**
 * Like `applyFieldErrors`, for forms with nested fields and lists: `body.categories.0.startDate` goes to
 * `['categories', 0, 'startDate']`, `body.serviceMember.name` to `['serviceMember', 'name']`. Only paths
 * whose first segment is one of `roots` are applied; the messages of the others are returned.
 */
export function applyNestedFieldErrors(form: FormInstance, error: unknown, roots: readonly string[]): string[] {
  if (!(error instanceof ApiError)) return [];
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  const unmatched: string[] = [];
  for (const e of error.errors) {
    const segments = e.path.split(/[./]/).filter((s) => s && s !== 'body');
    if (!segments[0] || !roots.includes(segments[0])) {
      unmatched.push(e.message);
      continue;
    }
    const name = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return unmatched;
}

/**
 * A form rule from a shared zod schema (packages/shared): the field is checked by the very schema
 * the server validates with, and shows its Chinese message — no rule copied from the server.
 * Empty values pass (say `required` separately).
 */
export function zodRule(schema: ZodType): { validator: (rule: unknown, value: unknown) => Promise<void> } {
  return {
    validator: async (_rule, value) => {
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return;
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '');
    },
  };
}
