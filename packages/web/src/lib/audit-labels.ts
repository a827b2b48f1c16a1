import { hasMessage, t } from '@shuangyong/shared';

/**
 * The Chinese name of a field in an audit row's changes (`award_level` → 立功等级): the catalogue's
 * field names (the API's camelCase ones the validation messages use), then the audit's own, else
 * the key as stored.
 */
export function auditFieldLabel(key: string): string {
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const k of [`field.${camel}`, `field.${key}`, `auditField.${key}`]) if (hasMessage(k)) return t(k);
  return key;
}

/** The Chinese name of an audited object type (`campaign_assignment` → 任务填报), else the type as stored. */
export function entityTypeLabel(type: string): string {
  const k = `entityType.${type}`;
  return hasMessage(k) ? t(k) : type;
}
