import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';
import { PLAQUE_STATUSES } from './registry.js';

export const PLAQUE_EVENT_KINDS = ['issued', 'reissued', 'replaced', 'taken_back', 'cancelled', 'reinstated'] as const;
export type PlaqueEventKind = (typeof PLAQUE_EVENT_KINDS)[number];
/** Grounds for cancelling a 光荣牌 (DOMAIN.md §4). */
export const PLAQUE_CANCEL_REASONS = [
  'criminal_penalty',
  'public_security_penalty',
  'expelled',
  'dishonest_list',
  'disruptive_petition',
  'damaged_honour',
] as const;
export const AWARD_LEVELS = ['bayi_medal', 'honour_title', 'first_class', 'second_class', 'third_class'] as const;
export const CITATION_STATUSES = ['received', 'registered', 'address_verified', 'delivered', 'reported'] as const;
export const CITATION_STEPS = ['register', 'verify_address', 'deliver', 'report'] as const;

const shortText = z.string().trim().min(1).max(200);

export const householdListQuery = z.strictObject({
  ...pageQuery,
  orgId: idSchema.optional(),
  plaqueEligible: z.enum(['true', 'false']).optional(),
  plaqueStatus: z.enum(PLAQUE_STATUSES).optional(),
});

export const householdListItem = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  addressMasked: z.string().nullable(),
  /** 王秀英家（友谊社区）: the head of household (masked for read-only viewers) and the community. */
  label: z.string(),
  members: z.array(z.string()),
  plaqueStatus: z.enum(PLAQUE_STATUSES),
  plaqueEligible: z.boolean(),
});
export const householdPage = pageOf(householdListItem);

export const plaqueEventSchema = z.object({
  id: z.string(),
  kind: z.enum(PLAQUE_EVENT_KINDS),
  eventDate: z.string(),
  reason: z.enum(PLAQUE_CANCEL_REASONS).nullable(),
  hungBy: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const citationSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  memberName: z.string(),
  unitCodeName: z.string().nullable(),
  awardLevel: z.enum(AWARD_LEVELS),
  awardYear: z.number().int(),
  status: z.enum(CITATION_STATUSES),
  receivedAt: z.string(),
  registerDeadline: z.string(),
  registeredAt: z.string().nullable(),
  addressVerifiedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deliverers: z.string().nullable(),
  rewardFen: z.number().int().nullable(),
  reportedAt: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
/** A citation in the list of all citations: with the household it is for. */
export const citationListItem = citationSchema.extend({
  householdLabel: z.string(),
  orgName: z.string(),
  /** Received, not yet registered, deadline not passed: 待登记. */
  due: z.boolean(),
});
export const citationPage = pageOf(citationListItem);

export const householdDetail = householdListItem.extend({
  members: z.array(z.string()),
  people: z.array(z.object({ id: z.string(), name: z.string(), categories: z.array(z.string()) })),
  plaqueEvents: z.array(plaqueEventSchema),
  couplets: z.array(z.object({ year: z.number().int(), deliveredAt: z.string(), deliveredBy: z.string().nullable() })),
  citations: z.array(citationSchema),
  /** Lines other modules add to the household's timeline (a unit's visit), newest first. */
  lines: z.array(
    z.object({ source: z.string(), id: z.string(), date: z.string(), label: z.string(), orgName: z.string() }),
  ),
  version: z.number().int(),
});

export const plaqueEventBody = z
  .strictObject({
    kind: z.enum(PLAQUE_EVENT_KINDS),
    eventDate: isoDateSchema,
    reason: z.enum(PLAQUE_CANCEL_REASONS).optional(),
    hungBy: shortText.optional(),
    note: shortText.optional(),
  })
  .refine((b) => b.kind !== 'cancelled' || b.reason !== undefined, {
    path: ['reason'],
    error: () => t('honours.cancelReasonRequired'),
  });

export const coupletBody = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  deliveredAt: isoDateSchema,
  deliveredBy: shortText.optional(),
});

export const createCitationBody = z.strictObject({
  householdId: idSchema,
  memberName: nameSchema,
  unitCodeName: nameSchema.optional(),
  awardLevel: z.enum(AWARD_LEVELS),
  awardYear: z.number().int().min(1949).max(2100),
  receivedAt: isoDateSchema,
  rewardFen: z.number().int().min(0).max(100_000_000).optional(),
});

export const advanceCitationBody = z.strictObject({
  version: z.number().int().min(1),
  step: z.enum(CITATION_STEPS),
  date: isoDateSchema,
  deliverers: shortText.optional(),
  rewardFen: z.number().int().min(0).max(100_000_000).optional(),
});

export const citationListQuery = z.strictObject({
  ...pageQuery,
  year: z.coerce.number().int().min(1949).max(2100).optional(),
  status: z.enum(CITATION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Received and not yet registered (待登记), overdue or not. */
  pending: z.enum(['true', 'false']).optional(),
  orgId: idSchema.optional(),
});
