import type { registryMessages } from '../i18n/registry.zh-CN.js';

/** Every message key the registry module defines (errors and labels). */
export type RegistryMessageKey = keyof typeof registryMessages;

/** The message keys used for validation failures: all start with `registry.`. */
export type RegistryErrorKey = Extract<RegistryMessageKey, `registry.${string}`>;

/** A failed normalisation: carries a message key, never display text. */
export interface Failure {
  readonly ok: false;
  readonly error: RegistryErrorKey;
}

/** A successful normalisation: `ok: true` plus the normalised fields. */
export type Success<T> = { readonly ok: true } & T;

/** Result of a registry normaliser. */
export type Result<T> = Success<T> | Failure;

/** Builds a failure result. */
export function fail(error: RegistryErrorKey): Failure {
  return { ok: false, error };
}
