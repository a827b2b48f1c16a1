import { z } from 'zod';

export const JOB_STATUSES = ['queued', 'validating', 'validated', 'committing', 'succeeded', 'failed'] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  total: z.number().int(),
  processed: z.number().int(),
  fileName: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof jobSchema>;

/**
 * What is wrong with an imported row, in the order the wizard lists them: the rows the user must
 * fix first, then the people to transfer rather than import, then the rows of other districts (skipped).
 */
export const IMPORT_ERROR_KINDS = ['invalid', 'duplicateInFile', 'registeredElsewhere', 'otherDistrict'] as const;
export type ImportErrorKind = (typeof IMPORT_ERROR_KINDS)[number];

export const importRowErrorSchema = z.object({
  /** The row number as in the file (the header is row 1). */
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
  kind: z.enum(IMPORT_ERROR_KINDS),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;

/** What a registry import found (dry run) or did (commit): the result of its job. */
export const importResultSchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  /** Rows of people already registered here whose phone, address or note differ: written, `version` + 1. */
  updated: z.number().int(),
  /** Rows of people already registered here with nothing new: nothing is written. */
  unchanged: z.number().int(),
  /**
   * Grade changes the commit records (decisions/0065): rows of registered people whose 伤残等级 or
   * 性质 differ from the grade in force and that carry the decision's date and number. Absent from
   * the results of jobs run before it was counted.
   */
  gradeChanges: z.number().int().optional(),
  duplicates: z.number().int(),
  invalid: z.number().int(),
  /** Rows that name another district (a city-wide roster): skipped, one line each in the report. */
  otherDistrict: z.number().int(),
  /** Those rows by district, largest first: 「586 行属于其他区」 in one message, not 586. */
  otherDistricts: z.array(z.object({ district: z.string(), rows: z.number().int() })),
  /** The first row errors, the rows to fix first; the error report has all of them. */
  errors: z.array(importRowErrorSchema),
  /** How many row errors there are in all, and whether `errors` stops short of them. */
  errorCount: z.number().int(),
  errorsTruncated: z.boolean(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** A check before its first row (and what the wizard shows until the job has a result). */
export const emptyImportResult = (): ImportResult => ({
  total: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  gradeChanges: 0,
  duplicates: 0,
  invalid: 0,
  otherDistrict: 0,
  otherDistricts: [],
  errors: [],
  errorCount: 0,
  errorsTruncated: false,
});
