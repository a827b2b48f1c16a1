import type { MessageKey } from './i18n/index.js';

export interface PasswordPolicy {
  minLength: number;
  /** How many of: lower case, upper case, digits, symbols. */
  minClasses: number;
  /** 0 = passwords never expire. */
  maxAgeDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 10, minClasses: 3, maxAgeDays: 0 };

export function characterClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^a-zA-Z0-9]/.test(password)) n++;
  return n;
}

/** Returns the message keys of every rule the password breaks (empty when it is acceptable). */
export function checkPassword(password: string, policy: PasswordPolicy, username?: string): MessageKey[] {
  const problems: MessageKey[] = [];
  if ([...password].length < policy.minLength) problems.push('password.tooShort');
  if (characterClasses(password) < policy.minClasses) problems.push('password.tooFewClasses');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('password.containsUsername');
  return problems;
}
