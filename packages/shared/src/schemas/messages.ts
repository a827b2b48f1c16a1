import { hasMessage, t } from '../i18n/index.js';

/**
 * Text no field may hold (issue 13 item 8): bidi embedding/override/isolate controls
 * (U+202A–U+202E, U+2066–U+2069), which make a name or a file read differently from what it is
 * ("‮gpj.exe"), and lone UTF-16 surrogates, which are no text at all (PostgreSQL refuses them,
 * exports break on them). Checked for every string of every request (server pipeline), so no
 * module can forget it.
 */
const UNSAFE_TEXT =
  /[\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isUnsafeText(s: string): boolean {
  return UNSAFE_TEXT.test(s);
}

/** The path of the first string (or key) in `value` that holds unsafe text, or null. */
export function findUnsafeText(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return UNSAFE_TEXT.test(value) ? path : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  if (typeof (value as { byteLength?: unknown }).byteLength === 'number') return null; // a Buffer/upload body
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    if (UNSAFE_TEXT.test(k)) return [...path, key];
    const found = findUnsafeText(v, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/** The name a clerk knows a field by: the last named segment of its path, from the catalogue. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg !== 'string') continue;
    const key = `field.${seg}`;
    return hasMessage(key) ? t(key) : t('field.fallback');
  }
  return t('field.fallback');
}

/** A validation issue as zod reports it (code, path and the code's own fields). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message?: string;
  origin?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
  expected?: string;
  format?: string;
  keys?: readonly string[];
  divisor?: number;
}

/** Zod's own (zh-CN locale) messages: replaced; a schema's own message (from the catalogue) is kept. */
const LIBRARY_MESSAGE =
  /^(无效|数值过大|数值过小|出现未知的键|Invalid|Too (big|small)|Unrecognized)|中的键\(key\)无效|中包含无效值/;

/**
 * A message a clerk can read, built from the field's name: "姓名最多 64 个字", "页码应填数字",
 * "不支持的字段：isAdmin" — never "数值过大：期望 string <=64 字符". `value` is what was sent
 * at the issue's path (undefined: the field was missing).
 */
export function readableIssue(issue: IssueLike, value?: unknown): string {
  if (issue.message && !LIBRARY_MESSAGE.test(issue.message)) return issue.message;
  const field = fieldLabel(issue.path);
  const n = (x: number | bigint | undefined) => String(x ?? '');
  switch (issue.code) {
    case 'unrecognized_keys':
      return t('validation.unknownKeys', { keys: (issue.keys ?? []).join('、') });
    case 'invalid_type':
      if (value === undefined || value === null) return t('validation.required', { field });
      switch (issue.expected) {
        case 'int':
          return typeof value === 'number'
            ? t('validation.notInteger', { field })
            : t('validation.notNumber', { field });
        case 'number':
        case 'bigint':
          return t('validation.notNumber', { field });
        case 'string':
          return t('validation.notText', { field });
        case 'boolean':
          return t('validation.notBoolean', { field });
        case 'array':
          return t('validation.notList', { field });
        default:
          return t('validation.badShape', { field });
      }
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { field, max: n(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set')
        return t('validation.tooMany', { field, max: n(issue.maximum) });
      return t('validation.tooBig', { field, max: n(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? t('validation.empty', { field })
          : t('validation.tooShort', { field, min: n(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set')
        return t('validation.tooFew', { field, min: n(issue.minimum) });
      return t('validation.tooSmall', { field, min: n(issue.minimum) });
    case 'invalid_value':
      return t('validation.notOption', { field });
    case 'not_multiple_of':
      return t('validation.notInteger', { field });
    case 'invalid_format':
      if (issue.format === 'uuid' || issue.format === 'guid') return t('validation.badId', { field });
      if (issue.format === 'date') return t('validation.badDate', { field });
      if (issue.format === 'datetime') return t('validation.badDateTime', { field });
      return t('validation.badFormat', { field });
    default:
      return t('validation.invalid', { field });
  }
}
