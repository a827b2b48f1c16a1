import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { findingSchema } from './atmosphere.js';
import { idSchema, pageOf, pageQuery } from './common.js';
import { plainText } from './needs.js';
import { campaignIdSchema } from './visits.js';

/**
 * 双拥活动 (issue 19 item 4; decisions/0043): 军地联谊, exhibitions, performances, film screenings
 * and symposia. A district or unit plans one (date, place, organisers on both sides, a budget line
 * of the campaign), invites units and communities, records attendance per invited organisation,
 * photos and an after-action note. Its notice passes the confidentiality checks before it is
 * published.
 */
export const EVENT_TYPES = ['lianyi', 'exhibition', 'performance', 'film', 'symposium'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** planned → held → closed; planned → cancelled. */
export const EVENT_STATUSES = ['planned', 'held', 'closed', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const EVENT_ACTIONS = ['edit', 'invite', 'notice', 'hold', 'cancel', 'record', 'close'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: () => t('events.timeFormat') });
const money = z.number().int().min(0).max(100_000_000_000);

const planFields = {
  type: z.enum(EVENT_TYPES),
  title: plainText(100),
  date: isoDateSchema,
  startTime: hhmm,
  endTime: hhmm.nullable().optional(),
  place: plainText(200),
  /** The organiser on the other side (a unit for a civilian organiser, a civilian org for a unit). */
  partnerOrgId: idSchema.nullable().optional(),
  campaignId: campaignIdSchema.nullable().optional(),
  taskId: idSchema.nullable().optional(),
  budgetFen: money.default(0),
  budgetLineId: idSchema.nullable().optional(),
  /** The notice (活动通知) for the public: published only after the confidentiality checks pass. */
  notice: z.string().trim().max(4000).nullable().optional(),
};

export const createEventBody = z.strictObject({
  ...planFields,
  /** The organising org (the caller's own when left out; else one in the caller's scope). */
  orgId: idSchema.optional(),
});
export const updateEventBody = z.strictObject({ ...planFields, version: z.number().int().min(1) });

export const eventVersionBody = z.strictObject({ version: z.number().int().min(1) });
export const eventInviteBody = z.strictObject({
  version: z.number().int().min(1),
  orgIds: z.array(idSchema).max(200),
});
export const eventAttendanceBody = z.strictObject({
  version: z.number().int().min(1),
  items: z
    .array(
      z.strictObject({
        orgId: idSchema,
        attended: z.boolean(),
        headcount: z.number().int().min(0).max(100_000).nullable().optional(),
      }),
    )
    .max(200),
});
export const eventNoteBody = z.strictObject({ version: z.number().int().min(1), note: plainText(2000) });
export const eventCancelBody = z.strictObject({ version: z.number().int().min(1), reason: plainText(500) });
export const eventNoticeBody = z.strictObject({
  version: z.number().int().min(1),
  /** Findings that ask for a human look were looked at. */
  confirmReviewed: z.boolean().optional(),
});
export const eventPhotoQuery = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((s) => !/[\\/]/.test(s), { error: () => t('atmosphere.photoFileName') }),
  caption: z.string().trim().max(200).default(''),
  showsServiceMembers: z.enum(['true', 'false']).optional(),
});

export const eventListQuery = z.strictObject({
  ...pageQuery,
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  campaignId: campaignIdSchema.optional(),
  status: z.enum(EVENT_STATUSES).optional(),
  /** The calendar's range (inclusive), by the event's date. */
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
});

export const eventWarningSchema = z.object({
  code: z.string(),
  level: z.enum(['warning', 'approval']),
  message: z.string(),
});
export type EventWarning = z.infer<typeof eventWarningSchema>;

export const eventListItem = z.object({
  id: idSchema,
  type: z.enum(EVENT_TYPES),
  title: z.string(),
  date: z.string(),
  startTime: z.string(),
  endTime: z.string().nullable(),
  place: z.string(),
  status: z.enum(EVENT_STATUSES),
  orgId: idSchema,
  orgName: z.string(),
  partnerOrgId: idSchema.nullable(),
  partnerOrgName: z.string().nullable(),
  campaignId: z.string().nullable(),
  involvesTroops: z.boolean(),
  noticePublished: z.boolean(),
  invited: z.number().int(),
});
export type EventListItem = z.infer<typeof eventListItem>;
export const eventPage = pageOf(eventListItem);

export const eventInvitationSchema = z.object({
  orgId: idSchema,
  orgName: z.string(),
  side: z.string(),
  attended: z.boolean().nullable(),
  headcount: z.number().int().nullable(),
});

export const eventPhotoSchema = z.object({
  id: idSchema,
  fileName: z.string(),
  caption: z.string(),
  size: z.number().int(),
  showsServiceMembers: z.boolean(),
  gps: z.boolean(),
  camera: z.string().nullable(),
});

export const eventDetail = eventListItem.extend({
  taskId: idSchema.nullable(),
  budgetFen: z.number().int(),
  budgetLineId: idSchema.nullable(),
  budgetLineName: z.string().nullable(),
  warnings: z.array(eventWarningSchema),
  notice: z.string().nullable(),
  noticePublishedAt: z.string().nullable(),
  /** The checks on the notice as it is now (computed on every read). */
  noticeFindings: z.array(findingSchema),
  /** The checks on the photos (GPS, camera, service members, captions). */
  photoFindings: z.array(findingSchema),
  invitations: z.array(eventInvitationSchema),
  photos: z.array(eventPhotoSchema),
  note: z.string().nullable(),
  cancelReason: z.string().nullable(),
  heldAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  actions: z.array(z.enum(EVENT_ACTIONS)),
  /** What the caller may do beyond the event's own actions. */
  abilities: z.object({
    /** 标记为创建佐证: modelcity:write, the event held or closed, its organiser within the caller's scope. */
    modelcityTag: z.boolean(),
  }),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EventDetail = z.infer<typeof eventDetail>;

export const eventOrgList = z.object({
  items: z.array(z.object({ id: idSchema, name: z.string(), side: z.string(), type: z.string() })),
});
