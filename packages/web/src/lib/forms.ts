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
