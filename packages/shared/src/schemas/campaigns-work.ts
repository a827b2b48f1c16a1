import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, pageOf, pageQuery } from './common.js';

/** The work side of campaigns: reports on assignments, reminders, inspections, the dashboard. */
const ASSIGNMENT_STATUS = ['not_started', 'in_progress', 'submitted', 'returned', 'accepted'] as const;
const DISPLAY_STATUS = [...ASSIGNMENT_STATUS, 'overdue'] as const;
const version = z.number().int().min(1);

/** Figures of a report: key → a non-negative number (households visited, yuan spent …). */
export const figuresSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.number().min(0).max(1_000_000_000));

export const saveDraftBody = z.strictObject({
  version,
  narrative: z.string().trim().max(10_000).optional(),
  figures: figuresSchema.optional(),
});
export const submitReportBody = z.strictObject({
  version,
  narrative: z.string().trim().max(10_000).default(''),
  figures: figuresSchema.default({}),
  fileIds: z.array(idSchema).max(20).default([]),
});
export const reviewBody = z
  .strictObject({
    version,
    decision: z.enum(['accept', 'return']),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.decision !== 'return' || (b.reason ?? '').length > 0, {
    path: ['reason'],
    error: () => t('campaigns.returnReasonRequired'),
  });
/** Review several reports at once (accept them, or return them with one reason); each row succeeds or fails alone. */
export const reviewManyBody = z
  .strictObject({
    items: z
      .array(z.strictObject({ id: idSchema, version }))
      .min(1)
      .max(200),
    decision: z.enum(['accept', 'return']),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.decision !== 'return' || (b.reason ?? '').length > 0, {
    path: ['reason'],
    error: () => t('campaigns.returnReasonRequired'),
  });
export const reviewManyResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      status: z.enum(ASSIGNMENT_STATUS).optional(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});
export const nudgeBody = z.strictObject({ message: z.string().trim().max(500).optional() });

export const reportSchema = z.object({
  id: z.string(),
  narrative: z.string(),
  figures: z.record(z.string(), z.number()),
  files: z.array(z.object({ id: z.string(), name: z.string(), mime: z.string(), size: z.number().int() })),
  submittedBy: z.string(),
  submittedAt: z.string(),
  late: z.boolean(),
  review: z.enum(['accepted', 'returned']).nullable(),
  reviewReason: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
});

export const reminderSchema = z.object({
  id: z.string(),
  kind: z.enum(['due_soon', 'overdue', 'nudge']),
  campaignId: z.string(),
  assignmentId: z.string(),
  orgName: z.string(),
  message: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CampaignReminder = z.infer<typeof reminderSchema>;
export const reminderListSchema = z.array(reminderSchema);

export const assignmentDetail = z.object({
  id: z.string(),
  campaign: z.object({ id: z.string(), title: z.string(), status: z.string(), docNumber: z.string().nullable() }),
  task: z.object({
    id: z.string(),
    itemTitle: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    deadline: z.string(),
    figures: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string().optional() })),
    requireNarrative: z.boolean(),
    requireAttachment: z.boolean(),
  }),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(ASSIGNMENT_STATUS),
  displayStatus: z.enum(DISPLAY_STATUS),
  overdue: z.boolean(),
  draft: z.object({ narrative: z.string(), figures: z.record(z.string(), z.number()) }).nullable(),
  returnReason: z.string().nullable(),
  reports: z.array(reportSchema),
  files: z.array(
    z.object({ id: z.string(), name: z.string(), mime: z.string(), size: z.number().int(), createdAt: z.string() }),
  ),
  /** The live figure of the metric the task is bound to, for this org's region. */
  metric: z.object({ key: z.string(), label: z.string(), value: z.number() }).nullable(),
  reminders: z.array(reminderSchema),
  /** What the caller may do now: save, submit, accept, return, nudge. */
  allowed: z.array(z.string()),
  version: z.number().int(),
});
export type AssignmentDetail = z.infer<typeof assignmentDetail>;

export const assignmentListItem = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignTitle: z.string(),
  taskId: z.string(),
  taskTitle: z.string(),
  deadline: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(ASSIGNMENT_STATUS),
  displayStatus: z.enum(DISPLAY_STATUS),
  submittedAt: z.string().nullable(),
  version: z.number().int(),
});
export type AssignmentListItem = z.infer<typeof assignmentListItem>;
export const assignmentPage = pageOf(assignmentListItem);
export const assignmentListQuery = z.strictObject({
  ...pageQuery,
  campaignId: idSchema.optional(),
  /** One recipient org's assignments (the cockpit's completion bar of that org). */
  orgId: idSchema.optional(),
  status: z.enum(DISPLAY_STATUS).optional(),
});

// ---- supervision (督导) ----

const rectificationInput = z.strictObject({
  description: z.string().trim().min(1).max(1000),
  deadline: isoDateSchema.optional(),
});
export const createInspectionBody = z.strictObject({
  orgId: idSchema,
  inspectedOn: isoDateSchema,
  inspectors: z.string().trim().min(1).max(200),
  findings: z.string().trim().min(1).max(5000),
  rectifications: z.array(rectificationInput).max(30).default([]),
});
export const addRectificationBody = rectificationInput;
export const rectificationRespondBody = z.strictObject({
  version,
  response: z.string().trim().min(1).max(2000),
});
export const rectificationReviewBody = z
  .strictObject({
    version,
    decision: z.enum(['close', 'reopen']),
    reason: z.string().trim().max(1000).optional(),
  })
  .refine((b) => b.decision === 'close' || (b.reason ?? '').length > 0, {
    path: ['reason'],
    error: () => t('campaigns.reopenReasonRequired'),
  });

export const rectificationSchema = z.object({
  id: z.string(),
  inspectionId: z.string(),
  description: z.string(),
  deadline: z.string().nullable(),
  status: z.enum(['open', 'done', 'closed']),
  response: z.string().nullable(),
  respondedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export const inspectionSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  inspectedOn: z.string(),
  inspectors: z.string(),
  findings: z.string(),
  createdAt: z.string(),
  /** All rectification items closed (or none raised). */
  closed: z.boolean(),
  rectifications: z.array(rectificationSchema),
});
export type Inspection = z.infer<typeof inspectionSchema>;

// ---- dashboard ----

export const dashboardSchema = z.object({
  campaign: z.object({ id: z.string(), title: z.string(), status: z.string() }),
  today: z.string(),
  tasks: z.array(z.object({ id: z.string(), itemOrdinal: z.number().int(), title: z.string(), deadline: z.string() })),
  rows: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      group: z.enum(['district', 'unit', 'department', 'other']),
      cells: z.array(
        z.object({ taskId: z.string(), assignmentId: z.string(), displayStatus: z.enum(DISPLAY_STATUS) }).nullable(),
      ),
      assigned: z.number().int(),
      accepted: z.number().int(),
      completion: z.number(),
    }),
  ),
  totals: z.object({
    assigned: z.number().int(),
    byStatus: z.record(z.enum(DISPLAY_STATUS), z.number().int()),
    completion: z.number(),
  }),
  overdue: z.array(
    z.object({
      assignmentId: z.string(),
      orgName: z.string(),
      taskTitle: z.string(),
      deadline: z.string(),
      daysOverdue: z.number().int(),
    }),
  ),
  ranking: z.array(
    z.object({
      rank: z.number().int(),
      orgId: z.string(),
      orgName: z.string(),
      completion: z.number(),
      accepted: z.number().int(),
      reported: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
  inspections: z.object({ total: z.number().int(), openRectifications: z.number().int() }),
});
export type CampaignDashboard = z.infer<typeof dashboardSchema>;

export const metricListSchema = z.array(z.object({ key: z.string(), label: z.string() }));
