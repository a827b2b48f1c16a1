import { z } from 'zod';

export const securitySettingsSchema = z.object({
  passwordPolicy: z.object({
    minLength: z.number().int().min(8).max(64),
    minClasses: z.number().int().min(1).max(4),
    maxAgeDays: z.number().int().min(0).max(3650),
  }),
  lockout: z.object({
    maxFailures: z.number().int().min(3).max(20),
    minutes: z.number().int().min(1).max(1440),
    ipThrottleAfter: z.number().int().min(3).max(1000),
    ipMaxDelaySeconds: z.number().int().min(1).max(60),
  }),
  session: z.object({
    idleMinutes: z.number().int().min(5).max(240),
    absoluteHours: z.number().int().min(1).max(24),
  }),
  extraction: z.object({
    lookupsPerHour: z.number().int().min(1).max(10000),
    exportRows: z.number().int().min(1).max(10_000_000),
  }),
  files: z.object({ retentionDays: z.number().int().min(1).max(365) }),
  /** The field app's personal data kept on a phone for offline use expires after this many days (decisions/0016). */
  offline: z.object({ cacheDays: z.number().int().min(1).max(30) }),
});
export type SecuritySettingsDto = z.infer<typeof securitySettingsSchema>;

export const securitySettingsPatch = z.strictObject({
  passwordPolicy: securitySettingsSchema.shape.passwordPolicy.strict().partial().optional(),
  lockout: securitySettingsSchema.shape.lockout.strict().partial().optional(),
  session: securitySettingsSchema.shape.session.strict().partial().optional(),
  extraction: securitySettingsSchema.shape.extraction.strict().partial().optional(),
  files: securitySettingsSchema.shape.files.strict().partial().optional(),
  offline: securitySettingsSchema.shape.offline.strict().partial().optional(),
});
