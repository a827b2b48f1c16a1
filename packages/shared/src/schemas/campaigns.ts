import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, pageOf, pageQuery } from './common.js';

/**
 * 工作部署 (DOMAIN §1): a notice becomes a campaign with work items; each item has tasks assigned to
 * recipient organisations, who report; the issuer reviews, reminds, inspects and watches the matrix.
 */
export const CAMPAIGN_STATUSES = ['draft', 'issued', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_ACTIONS = ['issue', 'close', 'reopen'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];
/** The festivals the same campaign comes back for (templates). */
export const CAMPAIGN_KINDS = ['spring_festival', 'army_day', 'qingming', 'martyrs_day', 'other'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

/** A task's progress at one assignee org; `overdue` is shown, never stored (deadline passed, not handed in). */
export const ASSIGNMENT_STATUSES = ['not_started', 'in_progress', 'submitted', 'returned', 'accepted'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
export const DISPLAY_STATUSES = [...ASSIGNMENT_STATUSES, 'overdue'] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];
export const ASSIGNMENT_ACTIONS = ['save', 'submit', 'accept', 'return'] as const;
export type AssignmentAction = (typeof ASSIGNMENT_ACTIONS)[number];

/** Recipient groups a task can name instead of listing orgs: all districts, all units, departments. */
export const RECIPIENT_GROUPS = ['districts', 'units', 'departments'] as const;
export type RecipientGroup = (typeof RECIPIENT_GROUPS)[number];
export const REMINDER_KINDS = ['due_soon', 'overdue', 'nudge'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const RECTIFICATION_STATUSES = ['open', 'done', 'closed'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

/** Longest notice accepted by parse-notice and stored as a campaign's full text. */
export const NOTICE_MAX_CHARS = 50_000;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const version = z.number().int().min(1);

export const parseNoticeBody = z.strictObject({
  text: z
    .string()
    .refine((s) => s.trim().length > 0, { error: () => t('campaigns.parse.empty') })
    .refine((s) => s.length <= NOTICE_MAX_CHARS, {
      error: () => t('campaigns.parse.tooLong', { max: NOTICE_MAX_CHARS }),
    }),
});

export const parsedNoticeSchema = z.object({
  title: z.string(),
  /** No title was written: `title` was built from the text (关于做好…工作的通知). */
  titleProposed: z.boolean(),
  docNumber: z.string().nullable(),
  issuers: z.array(z.string()),
  recipients: z.array(z.string()),
  items: z.array(
    z.object({
      ordinal: z.number().int(),
      title: z.string(),
      body: z.string(),
      /** Who the item's tasks go to by default: the groups the item names, else the notice's recipients'. */
      assignTo: z.array(z.enum(RECIPIENT_GROUPS)),
    }),
  ),
  requirements: z.array(z.string()),
  /** 附件说明: one title per attachment, numbering stripped. */
  attachments: z.array(z.string()),
  /** 抄送: the organisations the notice is copied to. */
  cc: z.array(z.string()),
  date: z.string().nullable(),
  deadline: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type ParsedNoticeProposal = z.infer<typeof parsedNoticeSchema>;

/** A named figure a report must give (households visited …): key, label, unit. */
export const figureDef = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { error: () => t('campaigns.figureKey') }),
  label: text(40),
  unit: optionalText(8),
});
export type FigureDef = z.infer<typeof figureDef>;

export const assignSpec = z
  .strictObject({
    groups: z.array(z.enum(RECIPIENT_GROUPS)).max(3).default([]),
    orgIds: z.array(idSchema).max(200).default([]),
  })
  .refine((a) => a.groups.length + a.orgIds.length > 0, { error: () => t('campaigns.noAssignees') });
export type AssignSpec = z.infer<typeof assignSpec>;

const taskFields = {
  title: text(100),
  description: optionalText(2000),
  deadline: isoDateSchema,
  figures: z
    .array(figureDef)
    .max(10)
    .default([])
    .refine((f) => new Set(f.map((x) => x.key)).size === f.length, { error: () => t('campaigns.figureDuplicate') }),
  requireNarrative: z.boolean().default(true),
  requireAttachment: z.boolean().default(false),
  metricKey: z.string().max(64).nullable().optional(),
};

export const taskInput = z.strictObject({ ...taskFields, assignTo: assignSpec });
export const itemInput = z.strictObject({
  ordinal: z.number().int().min(1).max(99),
  title: text(100),
  body: z.string().trim().max(5000).default(''),
  tasks: z.array(taskInput).max(20).default([]),
});

const headerFields = {
  title: text(200),
  docNumber: optionalText(60),
  issuers: z.array(text(60)).min(1).max(6),
  recipients: z.array(text(60)).max(50).default([]),
  issueDate: isoDateSchema.optional(),
  periodStart: isoDateSchema.optional(),
  periodEnd: isoDateSchema.optional(),
  requirements: z.array(text(1000)).max(30).default([]),
  kind: z.enum(CAMPAIGN_KINDS).default('other'),
  remindDaysBefore: z.number().int().min(0).max(30).default(2),
};

export const createCampaignBody = z.strictObject({
  ...headerFields,
  fullText: z.string().max(NOTICE_MAX_CHARS).optional(),
  items: z.array(itemInput).min(1).max(30),
});
export type CreateCampaignBody = z.input<typeof createCampaignBody>;

export const updateCampaignBody = z.strictObject({
  version,
  title: text(200).optional(),
  docNumber: z.string().trim().max(60).nullable().optional(),
  issuers: z.array(text(60)).min(1).max(6).optional(),
  recipients: z.array(text(60)).max(50).optional(),
  issueDate: isoDateSchema.nullable().optional(),
  periodStart: isoDateSchema.nullable().optional(),
  periodEnd: isoDateSchema.nullable().optional(),
  requirements: z.array(text(1000)).max(30).optional(),
  kind: z.enum(CAMPAIGN_KINDS).optional(),
  remindDaysBefore: z.number().int().min(0).max(30).optional(),
});

export const campaignActionBody = z.strictObject({ version, action: z.enum(CAMPAIGN_ACTIONS) });
export const copyCampaignBody = z.strictObject({
  title: text(200),
  kind: z.enum(CAMPAIGN_KINDS).optional(),
  /** Deadlines and dates move by this many days (last year's 春节 → this year's). */
  shiftDays: z.number().int().min(-3660).max(3660).default(0),
});

export const addTaskBody = z.strictObject({ itemId: idSchema, ...taskFields, assignTo: assignSpec });
export const updateTaskBody = z.strictObject({
  version,
  title: text(100).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  deadline: isoDateSchema.optional(),
  figures: taskFields.figures.optional(),
  requireNarrative: z.boolean().optional(),
  requireAttachment: z.boolean().optional(),
  metricKey: z.string().max(64).nullable().optional(),
  assignTo: assignSpec.optional(),
});

// ---- responses ----

export const campaignFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});

export const assignmentBrief = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(ASSIGNMENT_STATUSES),
  displayStatus: z.enum(DISPLAY_STATUSES),
  submittedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  version: z.number().int(),
});

export const taskSchema = z.object({
  id: z.string(),
  itemId: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  deadline: z.string(),
  figures: z.array(z.object({ key: z.string(), label: z.string(), unit: z.string().optional() })),
  requireNarrative: z.boolean(),
  requireAttachment: z.boolean(),
  metricKey: z.string().nullable(),
  assignTo: z.object({ groups: z.array(z.enum(RECIPIENT_GROUPS)), orgIds: z.array(z.string()) }),
  version: z.number().int(),
  assignments: z.array(assignmentBrief),
});
export type CampaignTask = z.infer<typeof taskSchema>;

export const campaignCounts = z.object({
  assigned: z.number().int(),
  accepted: z.number().int(),
  submitted: z.number().int(),
  overdue: z.number().int(),
  /** Accepted share in per cent, one decimal. */
  completion: z.number(),
});

const campaignHeader = {
  id: z.string(),
  title: z.string(),
  docNumber: z.string().nullable(),
  kind: z.enum(CAMPAIGN_KINDS),
  status: z.enum(CAMPAIGN_STATUSES),
  issuers: z.array(z.string()),
  issueDate: z.string().nullable(),
  orgName: z.string(),
  firstDeadline: z.string().nullable(),
  counts: campaignCounts,
  createdAt: z.string(),
  version: z.number().int(),
};
export const campaignListItem = z.object(campaignHeader);
export type CampaignListItem = z.infer<typeof campaignListItem>;
export const campaignPage = pageOf(campaignListItem);
export const campaignListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  kind: z.enum(CAMPAIGN_KINDS).optional(),
  q: z.string().trim().max(50).optional(),
});

export const campaignDetail = z.object({
  ...campaignHeader,
  recipients: z.array(z.string()),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  fullText: z.string().nullable(),
  requirements: z.array(z.string()),
  remindDaysBefore: z.number().int(),
  sourceId: z.string().nullable(),
  /** True when the caller is on the issuing side (sees every assignee). */
  issuerView: z.boolean(),
  items: z.array(
    z.object({
      id: z.string(),
      ordinal: z.number().int(),
      title: z.string(),
      body: z.string(),
      tasks: z.array(taskSchema),
    }),
  ),
  files: z.array(campaignFileSchema),
});
export type CampaignDetail = z.infer<typeof campaignDetail>;

export * from './campaigns-work.js';
