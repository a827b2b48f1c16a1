import { z } from 'zod';
import { contentBody, findingSchema, PUBLICITY_OUTLETS, PUBLICITY_STATUSES } from './atmosphere.js';
import { idSchema, pageOf, pageQuery } from './common.js';
import { plainText } from './needs.js';

/**
 * 双拥先进典型 (DOMAIN §1, §8): people and organisations nominated by districts and units with
 * their deeds, reviewed at the city, and published only through the confidentiality review of
 * their profile (a publicity item). A register by year and type.
 */
export const EXEMPLAR_TYPES = ['support_model', 'civil_unit', 'veteran', 'model_family', 'other'] as const;
export type ExemplarType = (typeof EXEMPLAR_TYPES)[number];
/** A person, a family, or an organisation (单位). */
export const EXEMPLAR_SUBJECTS = ['person', 'family', 'org'] as const;
export type ExemplarSubject = (typeof EXEMPLAR_SUBJECTS)[number];

/**
 * draft → city_review → approved (the city's 认定) or returned (with comments) → draft again on
 * edit. `published` is derived: the approved exemplar's profile item is published.
 */
export const EXEMPLAR_STATUSES = ['draft', 'city_review', 'returned', 'approved', 'published'] as const;
export type ExemplarStatus = (typeof EXEMPLAR_STATUSES)[number];
export const EXEMPLAR_DECISIONS = ['approve', 'return'] as const;
export const EXEMPLAR_ACTIONS = ['edit', 'submit', 'review', 'profile', 'link'] as const;
export type ExemplarAction = (typeof EXEMPLAR_ACTIONS)[number];

const year = z.coerce.number().int().min(2000).max(2100);

export const exemplarContent = {
  type: z.enum(EXEMPLAR_TYPES),
  /** The name of the type when it is `other`. */
  typeLabel: plainText(50).nullish(),
  subject: z.enum(EXEMPLAR_SUBJECTS),
  name: plainText(100),
  year,
  /** One line for the register. */
  summary: plainText(500),
  /** The deeds (事迹): structured content, never HTML. */
  deeds: contentBody.min(1),
  /** The org the exemplar concerns (a unit co-authors it). */
  concernedOrgId: idSchema.nullish(),
  /** A person's personal data: stored sealed, shown masked. */
  idNumber: z.string().trim().max(32).nullish(),
  phone: z.string().trim().min(7).max(32).nullish(),
  address: z.string().trim().max(200).nullish(),
  campaignId: idSchema.nullish(),
  taskId: idSchema.nullish(),
  mentionsTroops: z.boolean().default(false),
};
export const createExemplarBody = z.strictObject({ ...exemplarContent, orgId: idSchema.optional() });
export const updateExemplarBody = z.strictObject({ ...exemplarContent, version: z.number().int().min(1) });
export const exemplarReviewBody = z.strictObject({
  version: z.number().int().min(1),
  decision: z.enum(EXEMPLAR_DECISIONS),
  comment: plainText(2000).optional(),
});
export const exemplarLinkBody = z.strictObject({ itemId: idSchema });
export const exemplarLinkParams = z.strictObject({ id: idSchema, itemId: idSchema });

export const exemplarListItem = z.object({
  id: idSchema,
  year: z.number().int(),
  type: z.enum(EXEMPLAR_TYPES),
  /** The type's name as shown (the label of `other` when given). */
  typeName: z.string(),
  subject: z.enum(EXEMPLAR_SUBJECTS),
  name: z.string(),
  summary: z.string(),
  status: z.enum(EXEMPLAR_STATUSES),
  orgId: idSchema,
  orgName: z.string(),
  concernedOrgId: z.string().nullable(),
  concernedOrgName: z.string().nullable(),
  mentionsTroops: z.boolean(),
  campaignId: z.string().nullable(),
  profileItemId: z.string().nullable(),
  publishedOn: z.string().nullable(),
  updatedAt: z.string(),
});
export type ExemplarListItem = z.infer<typeof exemplarListItem>;
export const exemplarPage = pageOf(exemplarListItem);
export const exemplarListQuery = z.strictObject({
  ...pageQuery,
  year: year.optional(),
  type: z.enum(EXEMPLAR_TYPES).optional(),
  status: z.enum(EXEMPLAR_STATUSES).optional(),
  campaignId: idSchema.optional(),
  /** Nominations waiting for the caller's review. */
  toReview: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(100).optional(),
});
export const exemplarExportQuery = exemplarListQuery.omit({ page: true, pageSize: true });

export const exemplarReviewSchema = z.object({
  decision: z.enum(EXEMPLAR_DECISIONS),
  comment: z.string().nullable(),
  contentHash: z.string(),
  reviewerName: z.string(),
  reviewerOrgName: z.string(),
  at: z.string(),
});

export const exemplarLinkSchema = z.object({
  itemId: idSchema,
  title: z.string(),
  status: z.enum(PUBLICITY_STATUSES),
  orgName: z.string(),
  publishedOn: z.string().nullable(),
  /** The exemplar's own profile (the public text about it). */
  profile: z.boolean(),
});

export const exemplarProfileSchema = z.object({
  itemId: idSchema,
  status: z.enum(PUBLICITY_STATUSES),
  contentHash: z.string(),
  approvedHash: z.string().nullable(),
  publishedOutlet: z.enum(PUBLICITY_OUTLETS).nullable(),
  publishedOn: z.string().nullable(),
});

export const exemplarDetail = exemplarListItem.extend({
  typeLabel: z.string().nullable(),
  deeds: contentBody,
  idMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  addressMasked: z.string().nullable(),
  taskId: z.string().nullable(),
  createdBy: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  approvedHash: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** The confidentiality checks on name, summary and deeds, in place (the same checks as publicity). */
  findings: z.array(findingSchema),
  reviews: z.array(exemplarReviewSchema),
  links: z.array(exemplarLinkSchema),
  profile: exemplarProfileSchema.nullable(),
  actions: z.array(z.enum(EXEMPLAR_ACTIONS)),
  /** What the caller may do beyond the exemplar's own actions. */
  abilities: z.object({
    /** 标记为创建佐证: modelcity:write, the exemplar approved, its nominator within the caller's scope. */
    modelcityTag: z.boolean(),
  }),
  createdAt: z.string(),
});
export type ExemplarDetail = z.infer<typeof exemplarDetail>;
