import type { MessageKey } from '@shuangyong/shared';
import { hasMessage, t as lookup } from '@shuangyong/shared';

/** Typed lookup: a misspelt key is a compile error. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return lookup(key, params);
}

/** Label of an enum value (`role.city_staff`, `audit.org.create`, …); the raw value when the catalogue has none. */
export function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return hasMessage(key) ? lookup(key) : value;
}
