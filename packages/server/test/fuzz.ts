import { z } from 'zod';
import { seededRandom } from '../src/platform/random.js';

/** Strings that have broken systems like this one. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  "'; DROP TABLE users; --",
  '" OR "1"="1',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\u0000',
  '\u202e反向',
  '../../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, literally
  '${jndi:ldap://x}',
  '{{7*7}}',
  '=cmd|/c calc!A1',
  '%00%0d%0a',
  '😀👨‍👩‍👧',
  '１２３４５６',
  '克拉玛依区'.repeat(200),
  'a'.repeat(5000),
  '65020319800101123X',
  '00000000-0000-7000-8000-000000000000',
  '2026-02-30',
  'null',
  'true',
];
const HOSTILE_NUMBERS = [-1, 0, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5, -0.0001];

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
};

/** A deterministic PRNG so a failing case can be replayed from its seed. */
export const rng = seededRandom;

export function toJsonSchema(zodSchema: unknown): Schema | null {
  if (!zodSchema || typeof zodSchema !== 'object' || !('_zod' in zodSchema)) return null;
  try {
    return z.toJSONSchema(zodSchema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Schema;
  } catch {
    return null;
  }
}

/**
 * A value for `schema`: mostly plausible (from the schema's own types, enums, formats and bounds),
 * sometimes hostile (injection strings, boundary numbers, wrong types, unknown keys, missing fields).
 */
export function arbitrary(schema: Schema | undefined, rand: () => number, ids: string[], depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  if (!schema || depth > 4) return pick([null, 1, 'x', [], {}]);
  if (rand() < 0.08) return pick([null, 42, 'wrong', true, [], {}, pick(HOSTILE_STRINGS)]); // wrong type
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rand() < 0.9 ? pick(schema.enum) : pick(HOSTILE_STRINGS);
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts?.length) return arbitrary(pick(alts), rand, ids, depth + 1);
  if (schema.allOf?.length) return arbitrary(schema.allOf[0], rand, ids, depth + 1);
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) {
        const required = schema.required?.includes(k);
        if (!required && rand() < 0.4) continue;
        if (required && rand() < 0.05) continue; // a missing required field
        out[k] = arbitrary(v, rand, ids, depth + 1);
      }
      if (rand() < 0.05) out.__proto__polluted = { admin: true };
      if (rand() < 0.05) out.unexpected = 'field';
      return out;
    }
    case 'array': {
      const n = Math.floor(rand() * 4);
      return Array.from({ length: n }, () => arbitrary(schema.items, rand, ids, depth + 1));
    }
    case 'integer':
    case 'number': {
      if (rand() < 0.3) return pick(HOSTILE_NUMBERS);
      const lo = schema.minimum ?? 0;
      const hi = schema.maximum ?? lo + 100;
      const v = lo + rand() * (Math.min(hi, lo + 1e6) - lo);
      return type === 'integer' ? Math.floor(v) : v;
    }
    case 'boolean':
      return rand() < 0.5;
    case 'null':
      return null;
    case 'string': {
      if (schema.format === 'uuid')
        return rand() < 0.7 && ids.length ? pick(ids) : pick(['not-a-uuid', '00000000-0000-7000-8000-000000000000']);
      if (schema.format === 'date-time') return pick(['2026-01-01T00:00:00Z', 'yesterday', '2026-13-40T99:99:99Z']);
      if (rand() < 0.35) return pick(HOSTILE_STRINGS);
      const len = Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 12, 12));
      const chars = '张王李克拉玛依区社区abcXYZ0123456789';
      return Array.from({ length: len }, () => pick([...chars])).join('');
    }
    default:
      return pick(HOSTILE_STRINGS);
  }
}

/**
 * A valid query for `schema` (issue 13, item 16): every required parameter gets a value the schema
 * accepts — an id named `<kind>Id` takes `fixtures[<kind>]` (a record of the other district), an
 * enum its first member, a number its minimum — so a route answers with data instead of a 400.
 */
export function validQuery(schema: Schema | null, fixtures: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of schema?.required ?? []) {
    const value = validValue(key, schema?.properties?.[key], fixtures);
    if (value === undefined) throw new Error(`no valid value for required query parameter '${key}'`);
    out[key] = value;
  }
  return out;
}

function validValue(key: string, s: Schema | undefined, fixtures: Record<string, string>): string | undefined {
  if (!s) return undefined;
  if (s.const !== undefined) return String(s.const);
  if (s.enum?.length) return String(s.enum[0]);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return validValue(key, alts.find((a) => a.type !== 'null') ?? alts[0], fixtures);
  if (key.endsWith('Id') && fixtures[key.slice(0, -2)]) return fixtures[key.slice(0, -2)];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'integer' || type === 'number') return String(s.minimum ?? Math.min(1, s.maximum ?? 1));
  if (type === 'boolean') return 'true';
  if (type === 'string') {
    if (s.format === 'date') return '2026-01-01';
    if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
    // a calendar month 'YYYY-MM' (benefits' periods)
    if (s.pattern?.includes('0[1-9]|1[0-2]')) return '2026-01';
    return 'a'.repeat(Math.max(1, s.minLength ?? 1));
  }
  return undefined;
}
