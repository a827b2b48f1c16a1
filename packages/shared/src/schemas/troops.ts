import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { findingSchema } from './atmosphere.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';
import { plainText } from './needs.js';

/**
 * 拥政爱民 (DOMAIN §1 line 3, §7; issue 20): activities the stationed units record (visits to
 * vulnerable groups, free clinics, school support…), partnerships (军民共建) with annual plans, and
 * emergency support requests (抢险救灾). Participants' names, the military note and photos marked
 * military-only are the military-only fields: the civilian view is built without them.
 */

/** Groups of people reached (households or people, counted; never identities). */
export const REACHED_GROUPS = ['low_income', 'disabled', 'elderly', 'children', 'students', 'public'] as const;
export type ReachedGroup = (typeof REACHED_GROUPS)[number];

/** Where an activity happens: always a civilian place, never the unit's own location. */
export const PLACE_KINDS = ['community', 'school', 'village', 'enterprise', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

export const activityTypeCode = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { error: () => t('troops.typeCode') });

export const activityTypeSchema = z.object({
  code: z.string(),
  label: z.string(),
  sort: z.number().int(),
  builtin: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
});
export type ActivityType = z.infer<typeof activityTypeSchema>;
export const activityTypeList = z.object({ items: z.array(activityTypeSchema) });
export const createActivityTypeBody = z.strictObject({
  code: activityTypeCode,
  label: plainText(32),
  sort: z.number().int().min(0).max(10000).optional(),
});
export const updateActivityTypeBody = z.strictObject({
  code: activityTypeCode,
  version: z.number().int().min(1),
  label: plainText(32).optional(),
  active: z.boolean().optional(),
  sort: z.number().int().min(0).max(10000).optional(),
});

const count = z.number().int().min(0).max(1_000_000);
export const reachedSchema = z.strictObject({
  low_income: count.default(0),
  disabled: count.default(0),
  elderly: count.default(0),
  children: count.default(0),
  students: count.default(0),
  public: count.default(0),
});
export type Reached = z.infer<typeof reachedSchema>;

const activityFields = {
  type: activityTypeCode,
  occurredOn: isoDateSchema,
  /** How long the activity took, in minutes (the form asks in hours). */
  durationMinutes: z
    .number()
    .int()
    .min(1)
    .max(14 * 24 * 60),
  placeKind: z.enum(PLACE_KINDS),
  /** The civilian area (community, village, street or district) of the place. */
  placeOrgId: idSchema,
  /** The school, village or free-text place within that area. */
  placeName: plainText(100).nullable().optional(),
  participants: z.number().int().min(0).max(100_000),
  /** Military-only: names of the service members who took part. */
  participantNames: z.array(nameSchema).max(500).optional(),
  /** Military-only note. */
  militaryNote: plainText(2000).nullable().optional(),
  reached: reachedSchema.optional(),
  /** Volunteer hours given, in minutes. */
  serviceMinutes: z.number().int().min(0).max(10_000_000).optional(),
  items: plainText(500).nullable().optional(),
  itemsValueFen: z.number().int().min(0).max(100_000_000_000).optional(),
  patientsSeen: count.optional(),
  lessonsTaught: count.optional(),
  counterpartOrg: plainText(100).nullable().optional(),
  counterpartContact: plainText(100).nullable().optional(),
  summary: plainText(2000).nullable().optional(),
  partnershipId: idSchema.nullable().optional(),
  campaignId: idSchema.nullable().optional(),
};

export const createActivityBody = z.strictObject({
  /** The unit the activity belongs to; the caller's own org when omitted. */
  orgId: idSchema.optional(),
  /** Idempotency key from the phone: the same key twice records one activity. */
  clientKey: idSchema.optional(),
  /** An entitled household of the registry the unit visited (it must live at the place): the visit links to it. */
  householdId: idSchema.optional(),
  ...activityFields,
});
export type CreateActivityBody = z.infer<typeof createActivityBody>;

export const updateActivityBody = z.strictObject({ version: z.number().int().min(1) }).extend(
  Object.fromEntries(Object.entries(activityFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof activityFields]: z.ZodOptional<(typeof activityFields)[K]>;
  },
);

export const ACTIVITY_ACTIONS = ['edit', 'photos', 'withdraw'] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

export const activityListItem = z.object({
  id: idSchema,
  orgId: idSchema,
  orgName: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  occurredOn: z.string(),
  durationMinutes: z.number().int(),
  placeKind: z.enum(PLACE_KINDS),
  placeOrgId: idSchema,
  placeOrgName: z.string(),
  placeName: z.string().nullable(),
  participants: z.number().int(),
  reached: z.object(
    Object.fromEntries(REACHED_GROUPS.map((g) => [g, z.number().int()])) as Record<ReachedGroup, z.ZodNumber>,
  ),
  reachedTotal: z.number().int(),
  serviceMinutes: z.number().int(),
  items: z.string().nullable(),
  itemsValueFen: z.number().int(),
  patientsSeen: z.number().int(),
  lessonsTaught: z.number().int(),
  counterpartOrg: z.string().nullable(),
  counterpartContact: z.string().nullable(),
  summary: z.string().nullable(),
  partnershipId: z.string().nullable(),
  householdId: z.string().nullable(),
  campaignId: z.string().nullable(),
  status: z.enum(['recorded', 'withdrawn']),
  photoCount: z.number().int(),
  actions: z.array(z.enum(ACTIVITY_ACTIONS)),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  /** Military-only (absent from the civilian view). */
  participantNames: z.array(z.string()).optional(),
  militaryNote: z.string().nullable().optional(),
});
export type ActivityListItem = z.infer<typeof activityListItem>;

export const activityPhoto = z.object({
  id: idSchema,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  caption: z.string(),
  showsServiceMembers: z.boolean(),
  createdAt: z.string(),
  /** Military-only: the flag, and the confidentiality findings of the photo (GPS in the original…). */
  militaryOnly: z.boolean().optional(),
  findings: z.array(findingSchema).optional(),
});
export type ActivityPhoto = z.infer<typeof activityPhoto>;

export const activityDetail = activityListItem.extend({ photos: z.array(activityPhoto) });
export type ActivityDetail = z.infer<typeof activityDetail>;

export const activityPage = pageOf(activityListItem);
export const activityListQuery = z.strictObject({
  ...pageQuery,
  orgId: idSchema.optional(),
  type: activityTypeCode.optional(),
  /** Activities whose place lies in this civilian area (a district, street or community). */
  areaId: idSchema.optional(),
  partnershipId: idSchema.optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  q: z.string().trim().max(100).optional(),
});

export const activityPhotoQuery = z.strictObject({
  fileName: z.string().max(255).optional(),
  caption: z.string().trim().max(200).default(''),
  showsServiceMembers: z.enum(['true', 'false']).default('false'),
  militaryOnly: z.enum(['true', 'false']).default('false'),
});

export const activityWithdrawBody = z.strictObject({ version: z.number().int().min(1), reason: plainText(500) });

/** A civilian area an activity can take place in (districts, streets/townships, communities/villages). */
export const troopPlaceSchema = z.object({
  id: idSchema,
  parentId: z.string().nullable(),
  name: z.string(),
  depth: z.number().int(),
});
export type TroopPlace = z.infer<typeof troopPlaceSchema>;
export const troopPlaceList = z.object({ items: z.array(troopPlaceSchema) });

/** 军民共建: a unit paired with a community, school, village or enterprise, with annual plans. */
export const partnershipPlanInput = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  type: activityTypeCode,
  planned: z.number().int().min(1).max(1000),
});
export const createPartnershipBody = z.strictObject({
  orgId: idSchema.optional(),
  partnerKind: z.enum(PLACE_KINDS),
  partnerName: plainText(100),
  placeOrgId: idSchema,
  startsOn: isoDateSchema,
  endsOn: isoDateSchema.nullable().optional(),
  contact: plainText(100).nullable().optional(),
  plans: z.array(partnershipPlanInput).max(50).default([]),
});
/** Edit a pair: partner, area, period, contact; `plans`, when given, replaces the annual plan. */
export const updatePartnershipBody = z.strictObject({
  version: z.number().int().min(1),
  partnerKind: z.enum(PLACE_KINDS).optional(),
  partnerName: plainText(100).optional(),
  placeOrgId: idSchema.optional(),
  startsOn: isoDateSchema.optional(),
  endsOn: isoDateSchema.nullable().optional(),
  contact: plainText(100).nullable().optional(),
  plans: z.array(partnershipPlanInput).max(50).optional(),
});
/** End a pair: the day it ended and why. */
export const endPartnershipBody = z.strictObject({
  version: z.number().int().min(1),
  endedOn: isoDateSchema,
  reason: plainText(500),
});
export const PARTNERSHIP_ACTIONS = ['edit', 'end'] as const;
export const partnershipItem = z.object({
  id: idSchema,
  orgId: idSchema,
  orgName: z.string(),
  partnerKind: z.enum(PLACE_KINDS),
  partnerName: z.string(),
  placeOrgId: idSchema,
  placeOrgName: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  contact: z.string().nullable(),
  status: z.enum(['active', 'ended']),
  endReason: z.string().nullable(),
  actions: z.array(z.enum(PARTNERSHIP_ACTIONS)),
  version: z.number().int(),
  plans: z.array(
    z.object({
      year: z.number().int(),
      type: z.string(),
      typeLabel: z.string(),
      planned: z.number().int(),
      done: z.number().int(),
    }),
  ),
  lastActivityOn: z.string().nullable(),
  /** No activity recorded against the pair in the current quarter. */
  idleThisQuarter: z.boolean(),
});
export type PartnershipItem = z.infer<typeof partnershipItem>;
export type PartnershipAction = (typeof PARTNERSHIP_ACTIONS)[number];
export const partnershipPage = pageOf(partnershipItem);
export const partnershipListQuery = z.strictObject({
  ...pageQuery,
  idle: z.enum(['true', 'false']).optional(),
});

/**
 * 抢险救灾 support requests: a district or the city asks, the 军分区 decides within
 * EMERGENCY_DECISION_HOURS (dispatches units or declines with a reason), units record arrival,
 * work and return; when every dispatched unit is back the after-action record is complete and the
 * requesting side sends its thanks letter. States and transitions: EMERGENCY_TRANSITIONS.
 */
export const EMERGENCY_STATUSES = ['requested', 'dispatched', 'declined', 'withdrawn', 'completed', 'thanked'] as const;
export type EmergencyStatus = (typeof EMERGENCY_STATUSES)[number];
export const EMERGENCY_TRANSITIONS: Record<EmergencyStatus, readonly EmergencyStatus[]> = {
  requested: ['dispatched', 'declined', 'withdrawn'],
  dispatched: ['completed'],
  declined: [],
  withdrawn: [],
  completed: ['thanked'],
  thanked: [],
};
/** The 军分区's clock: a request is decided within this many hours (hours, not working days). */
export const EMERGENCY_DECISION_HOURS = 2;
export const DISPATCH_STATUSES = ['dispatched', 'arrived', 'returned'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
export const EMERGENCY_ACTIONS = ['decide', 'withdraw', 'arrive', 'return', 'letter'] as const;
export type EmergencyAction = (typeof EMERGENCY_ACTIONS)[number];

const dateTime = z.iso.datetime({ offset: true });

export const createEmergencyBody = z.strictObject({
  title: plainText(100),
  /** What happened. */
  situation: plainText(2000),
  location: plainText(200),
  /** What is needed. */
  needs: plainText(2000),
  peopleNeeded: z.number().int().min(1).max(100_000),
  equipment: plainText(500).nullable().optional(),
  fromAt: dateTime,
  toAt: dateTime.nullable().optional(),
});
export type CreateEmergencyBody = z.infer<typeof createEmergencyBody>;

export const decideEmergencyBody = z.discriminatedUnion('decision', [
  z.strictObject({
    version: z.number().int().min(1),
    decision: z.literal('dispatch'),
    units: z
      .array(z.strictObject({ orgId: idSchema, people: z.number().int().min(1).max(100_000) }))
      .min(1)
      .max(50),
    note: plainText(500).nullable().optional(),
  }),
  z.strictObject({ version: z.number().int().min(1), decision: z.literal('decline'), reason: plainText(500) }),
]);
export type DecideEmergencyBody = z.infer<typeof decideEmergencyBody>;

/** A unit's own step; the 军分区 may act for a unit it dispatched (`orgId`). */
export const arriveEmergencyBody = z.strictObject({
  version: z.number().int().min(1),
  orgId: idSchema.optional(),
  arrivedAt: dateTime.optional(),
});
export const returnEmergencyBody = z.strictObject({
  version: z.number().int().min(1),
  orgId: idSchema.optional(),
  returnedAt: dateTime.optional(),
  /** Public: the requesting side reads it (passes the confidentiality checks). */
  workDone: plainText(2000),
  /** Service given, in minutes (the form asks in hours). */
  serviceMinutes: z.number().int().min(0).max(10_000_000),
  peopleHelped: z.number().int().min(0).max(1_000_000),
  /** Resources used (machines, materials), public. */
  resources: plainText(500).nullable().optional(),
  militaryNote: plainText(2000).nullable().optional(),
});
export const emergencyLetterBody = z.strictObject({
  version: z.number().int().min(1),
  /** The letter's body; the default thanks text with the after-action figures when omitted. */
  text: plainText(4000).optional(),
});
export const emergencyWithdrawBody = z.strictObject({ version: z.number().int().min(1), reason: plainText(500) });

export const emergencyDispatch = z.object({
  id: idSchema,
  orgId: idSchema,
  orgName: z.string(),
  status: z.enum(DISPATCH_STATUSES),
  people: z.number().int().nullable(),
  dispatchedAt: z.string(),
  arrivedAt: z.string().nullable(),
  returnedAt: z.string().nullable(),
  workDone: z.string().nullable(),
  serviceMinutes: z.number().int().nullable(),
  peopleHelped: z.number().int().nullable(),
  /** What the caller may record for this unit now. */
  actions: z.array(z.enum(['arrive', 'return'])),
  version: z.number().int(),
  /** Military-only (absent from the civilian view). */
  militaryNote: z.string().nullable().optional(),
});
export type EmergencyDispatch = z.infer<typeof emergencyDispatch>;

export const emergencyEvent = z.object({
  at: z.string(),
  kind: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actorName: z.string(),
  actorOrgName: z.string(),
  note: z.string().nullable(),
});
export type EmergencyEvent = z.infer<typeof emergencyEvent>;

export const emergencyItem = z.object({
  id: idSchema,
  orgId: idSchema,
  orgName: z.string(),
  title: z.string(),
  situation: z.string(),
  location: z.string(),
  needs: z.string(),
  peopleNeeded: z.number().int(),
  equipment: z.string().nullable(),
  fromAt: z.string(),
  toAt: z.string().nullable(),
  status: z.enum(EMERGENCY_STATUSES),
  respondBy: z.string(),
  /** Still undecided after the clock ran out. */
  overdue: z.boolean(),
  decidedAt: z.string().nullable(),
  /** Hours from the request to the decision (one decimal), when decided. */
  decisionHours: z.number().nullable(),
  declineReason: z.string().nullable(),
  peopleHelped: z.number().int().nullable(),
  serviceMinutes: z.number().int().nullable(),
  resources: z.string().nullable(),
  closedAt: z.string().nullable(),
  hasLetter: z.boolean(),
  letterAt: z.string().nullable(),
  actions: z.array(z.enum(EMERGENCY_ACTIONS)),
  createdAt: z.string(),
  version: z.number().int(),
  dispatches: z.array(emergencyDispatch),
});
export type EmergencyItem = z.infer<typeof emergencyItem>;
export const emergencyDetail = emergencyItem.extend({
  letter: z.string().nullable(),
  events: z.array(emergencyEvent),
});
export type EmergencyDetail = z.infer<typeof emergencyDetail>;
export const emergencyPage = pageOf(emergencyItem);
export const emergencyListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(EMERGENCY_STATUSES).optional(),
});
/** Units the 军分区 can dispatch (military orgs below it). */
export const troopUnitList = z.object({ items: z.array(z.object({ id: idSchema, name: z.string() })) });

/** 拥政爱民 statistics (issue 20 item 5), read from the maintained aggregates. */
const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
export const troopStatsQuery = z.strictObject({ fromMonth: monthSchema.optional(), toMonth: monthSchema.optional() });
const statFigures = z.object({
  activities: z.number().int(),
  serviceMinutes: z.number().int(),
  participants: z.number().int(),
  reached: z.number().int(),
});
const statRow = statFigures.extend({ key: z.string(), name: z.string() });
export type TroopStatRow = z.infer<typeof statRow>;
export const troopStats = z.object({
  totals: statFigures.extend({
    patientsSeen: z.number().int(),
    lessonsTaught: z.number().int(),
    itemsValueFen: z.number().int(),
  }),
  byType: z.array(statRow),
  byUnit: z.array(statRow),
  byDistrict: z.array(statRow),
  byMonth: z.array(statRow),
  byGroup: z.array(z.object({ group: z.enum(REACHED_GROUPS), reached: z.number().int() })),
  emergencies: z.object({
    requests: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    overdue: z.number().int(),
    avgDecisionHours: z.number().nullable(),
    avgArrivalHours: z.number().nullable(),
    peopleHelped: z.number().int(),
    serviceMinutes: z.number().int(),
  }),
});
export type TroopStats = z.infer<typeof troopStats>;
