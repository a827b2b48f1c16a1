import type { FormInstance } from 'antd';
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
