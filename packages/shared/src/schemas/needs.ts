import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { SLA_LEVELS } from './cockpit.js';
import { idSchema, pageOf, pageQuery } from './common.js';

/**
 * 急难愁盼 needs (DOMAIN §7). A case runs
 * submitted → accepted → assigned → in_progress → resolved → confirmed → closed,
 * may be declined or merged into another case while in triage, and reopened once by the requester.
 */
export const NEED_STATUSES = [
  'submitted',
  'accepted',
  'declined',
  'merged',
  'assigned',
  'in_progress',
  'resolved',
  'confirmed',
  'closed',
] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** The actions that move a case; the state machine says which one each status allows. */
export const NEED_ACTIONS = [
  'accept',
  'decline',
  'merge',
  'assign',
  'start',
  'resolve',
  'confirm',
  'close',
  'reopen',
] as const;
export type NeedAction = (typeof NEED_ACTIONS)[number];

export const NEED_PRIORITIES = ['normal', 'urgent', 'critical'] as const;
export type NeedPriority = (typeof NEED_PRIORITIES)[number];

/** Where a need came from: a unit's liaison, a family met on a visit, a family's call. */
export const NEED_SOURCES = ['unit', 'visit', 'call'] as const;
export type NeedSource = (typeof NEED_SOURCES)[number];

/** Special campaigns a case can be tagged with and reported on separately. */
export const NEED_TAGS = ['focus_frontline', 'solve_difficulties', 'border_defence'] as const;
export type NeedTag = (typeof NEED_TAGS)[number];

export const NEED_EVENT_KINDS = [
  'submitted',
  ...NEED_ACTIONS,
  'merged_in',
  'comment',
  'escalated',
  'reminded',
  'tagged',
  'attached',
] as const;
export type NeedEventKind = (typeof NEED_EVENT_KINDS)[number];

export const NEED_ATTACHMENT_PURPOSES = ['material', 'evidence'] as const;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing exactly these characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Free text: trimmed, bounded, no control characters (line breaks allowed). */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), { error: () => t('need.controlChars') });
}

/** A category code of the configurable list (need_categories). */
export const needCategoryCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { error: () => t('need.categoryCode') });

export const needCategorySchema = z.object({
  code: z.string(),
  label: z.string(),
  deadlineDays: z.number().int(),
  sortOrder: z.number().int(),
  active: z.boolean(),
  version: z.number().int(),
});
export type NeedCategory = z.infer<typeof needCategorySchema>;
export const needCategoryList = z.object({ items: z.array(needCategorySchema) });

export const createNeedCategoryBody = z.strictObject({
  code: needCategoryCode,
  label: plainText(32),
  deadlineDays: z.number().int().min(1).max(250),
  sortOrder: z.number().int().min(0).max(1000).optional(),
});
export const updateNeedCategoryBody = z.strictObject({
  version: z.number().int().min(1),
  label: plainText(32).optional(),
  deadlineDays: z.number().int().min(1).max(250).optional(),
  sortOrder: z.number().int().min(0).max(1000).optional(),
  active: z.boolean().optional(),
});
export const categoryParams = z.strictObject({ code: needCategoryCode });

export const createNeedBody = z.strictObject({
  title: plainText(100),
  description: plainText(4000),
  category: needCategoryCode,
  priority: z.enum(NEED_PRIORITIES).default('normal'),
  source: z.enum(NEED_SOURCES).optional(),
  /** On whose behalf (a community, a unit) — within the caller's scope; default: the caller's org. */
  orgId: idSchema.optional(),
  /** Seen by the military side only; only the military side may write it. */
  militaryDetail: plainText(4000).optional(),
  militaryContact: plainText(200).optional(),
  tags: z.array(z.enum(NEED_TAGS)).max(NEED_TAGS.length).optional(),
});

const version = z.number().int().min(1);
const note = plainText(2000);

export const needNoteBody = z.strictObject({ version, note: note.optional() });
export const needReasonBody = z.strictObject({ version, reason: note });
export const needMergeBody = z.strictObject({ version, intoId: idSchema, note: note.optional() });
export const needAssignBody = z.strictObject({
  version,
  leadOrgId: idSchema,
  coOrgIds: z.array(idSchema).max(10).default([]),
  note: note.optional(),
});
/**
 * City staff's one step: accept, name the lead department and co-handlers, and the time limit in
 * working days (default: the category's). The two-step path (accept, then assign) stays.
 */
export const needAcceptAssignBody = z.strictObject({
  version,
  leadOrgId: idSchema,
  coOrgIds: z.array(idSchema).max(10).default([]),
  deadlineDays: z.number().int().min(1).max(365).optional(),
  note: note.optional(),
});
export const needResolveBody = z.strictObject({
  version,
  resolution: plainText(4000),
  attachmentIds: z.array(idSchema).max(20).optional(),
});
export const needConfirmBody = z.strictObject({
  version,
  rating: z.number().int().min(1).max(5),
  comment: note.optional(),
});
export const needCommentBody = z.strictObject({ note, militaryOnly: z.boolean().optional() });
export const needTagsBody = z.strictObject({ version, tags: z.array(z.enum(NEED_TAGS)).max(NEED_TAGS.length) });

const bool = z.enum(['true', 'false']);
export const needListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(NEED_STATUSES).optional(),
  open: bool.optional(),
  category: needCategoryCode.optional(),
  priority: z.enum(NEED_PRIORITIES).optional(),
  source: z.enum(NEED_SOURCES).optional(),
  tag: z.enum(NEED_TAGS).optional(),
  orgId: idSchema.optional(),
  leadOrgId: idSchema.optional(),
  overdue: bool.optional(),
  /** The working-day SLA colour (the cockpit's needs charts): ok, dueSoon, overdue or none (not timed). */
  sla: z.enum(SLA_LEVELS).optional(),
  /** Only the cases assigned to the caller's own org (a department's inbox). */
  inbox: bool.optional(),
  q: plainText(50).optional(),
  sort: z.enum(['createdAt', 'deadline', 'updatedAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export const needExportQuery = needListQuery.omit({ page: true, pageSize: true });

/** Fields only the military side receives: absent (not blank) in every civilian response. */
const militaryFields = {
  militaryDetail: z.string().nullable().optional(),
  militaryContact: z.string().nullable().optional(),
};

export const needListItem = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  priority: z.enum(NEED_PRIORITIES),
  source: z.enum(NEED_SOURCES),
  status: z.enum(NEED_STATUSES),
  orgId: z.string(),
  orgName: z.string(),
  requesterName: z.string(),
  leadOrgId: z.string().nullable(),
  leadOrgName: z.string().nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  tags: z.array(z.enum(NEED_TAGS)),
  rating: z.number().int().nullable(),
  /** The case has content only the military side sees (the civilian view leaves it out). */
  redacted: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  militaryDetail: militaryFields.militaryDetail,
});
export type NeedListItem = z.infer<typeof needListItem>;
export const needPage = pageOf(needListItem);

export const needEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(NEED_EVENT_KINDS),
  fromStatus: z.enum(NEED_STATUSES).nullable(),
  toStatus: z.enum(NEED_STATUSES).nullable(),
  actorName: z.string().nullable(),
  orgName: z.string().nullable(),
  note: z.string().nullable(),
  militaryOnly: z.boolean().optional(),
});
export type NeedEvent = z.infer<typeof needEventSchema>;

export const needAttachmentSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  purpose: z.enum(NEED_ATTACHMENT_PURPOSES),
  createdAt: z.string(),
  militaryOnly: z.boolean().optional(),
});
export type NeedAttachment = z.infer<typeof needAttachmentSchema>;

export const needDetail = needListItem.extend({
  description: z.string(),
  deadlineDays: z.number().int().nullable(),
  handlers: z.array(z.object({ orgId: z.string(), orgName: z.string(), role: z.enum(['lead', 'co']) })),
  acceptedAt: z.string().nullable(),
  assignedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  resolvedOnTime: z.boolean().nullable(),
  ratingComment: z.string().nullable(),
  declineReason: z.string().nullable(),
  mergedInto: z.string().nullable(),
  duplicates: z.array(z.string()),
  reopenCount: z.number().int(),
  reopenReason: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  attachments: z.array(needAttachmentSchema),
  events: z.array(needEventSchema),
  /** What the caller may do now (status × role × own org). */
  actions: z.array(z.enum([...NEED_ACTIONS, 'comment', 'tag', 'attach'])),
  militaryContact: militaryFields.militaryContact,
});
export type NeedDetail = z.infer<typeof needDetail>;

export const needStatsQuery = z.strictObject({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  tag: z.enum(NEED_TAGS).optional(),
  category: needCategoryCode.optional(),
});

const countRow = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
export const leagueRow = z.object({
  rank: z.number().int(),
  orgId: z.string(),
  orgName: z.string(),
  assigned: z.number().int(),
  resolved: z.number().int(),
  onTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  overdueOpen: z.number().int(),
  averageRating: z.number().nullable(),
  medianDays: z.number().nullable(),
});
export const needStatsSchema = z.object({
  total: z.number().int(),
  byStatus: z.array(countRow),
  byCategory: z.array(countRow),
  byDepartment: z.array(countRow),
  byTag: z.array(countRow),
  resolved: z.number().int(),
  onTime: z.number().int(),
  onTimeRate: z.number().nullable(),
  overdueOpen: z.number().int(),
  medianDaysToResolve: z.number().nullable(),
  satisfaction: z.object({
    rated: z.number().int(),
    average: z.number().nullable(),
    distribution: z.array(z.number().int()),
  }),
  league: z.array(leagueRow),
});
export type NeedStats = z.infer<typeof needStatsSchema>;

// ---- in-app notifications (generic: needs, campaigns, …) ----

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type AppNotification = z.infer<typeof notificationSchema>;
export const notificationPage = pageOf(notificationSchema).extend({ unread: z.number().int() });
export const notificationListQuery = z.strictObject({ ...pageQuery, unread: bool.optional() });
/** Marks several of the caller's notifications read (others' ids change nothing). */
export const notificationReadManyBody = z.strictObject({ ids: z.array(idSchema).min(1).max(200) });
export const notificationReadResult = z.object({ read: z.boolean(), unread: z.number().int() });
