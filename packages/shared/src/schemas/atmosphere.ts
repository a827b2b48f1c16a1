import { z } from 'zod';
import { t } from '../i18n/index.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, pageOf, pageQuery } from './common.js';
import { plainText } from './needs.js';

/**
 * 营造双拥氛围 (DOMAIN §1, §8): publicity items (宣传稿件) that pass a two-sided confidentiality
 * review (保密审查) before they are published, and the rule list of the automatic checks.
 */
export const PUBLICITY_KINDS = ['article', 'photo_set', 'video'] as const;
export type PublicityKind = (typeof PUBLICITY_KINDS)[number];

/** 军地主流媒体: the city's TV station, newspapers, government new media, the army's news. */
export const PUBLICITY_OUTLETS = ['city_tv', 'newspaper', 'gov_new_media', 'army_news'] as const;
export type PublicityOutlet = (typeof PUBLICITY_OUTLETS)[number];

/**
 * draft → civil_review (the author's side) → military_review (the 军分区, when the item mentions
 * troops) → approved (frozen, hashed) → published. A return sends it to `returned`; any edit after
 * submission sends it back to `draft`.
 */
export const PUBLICITY_STATUSES = [
  'draft',
  'returned',
  'civil_review',
  'military_review',
  'approved',
  'published',
] as const;
export type PublicityStatus = (typeof PUBLICITY_STATUSES)[number];

export const REVIEW_SIDES = ['civil', 'military'] as const;
export type ReviewSide = (typeof REVIEW_SIDES)[number];
export const REVIEW_DECISIONS = ['approve', 'return', 'approve_edited'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const PUBLICITY_ACTIONS = ['edit', 'submit', 'review', 'publish', 'photos'] as const;
export type PublicityAction = (typeof PUBLICITY_ACTIONS)[number];

export const CHECK_CATEGORIES = [
  'designation',
  'location',
  'equipment',
  'strength',
  'officer',
  'personal',
  'image',
] as const;
export type CheckCategoryCode = (typeof CHECK_CATEGORIES)[number];
export const CHECK_SEVERITIES = ['block', 'review'] as const;
export const CHECK_RULE_KINDS = ['term', 'pattern', 'detector'] as const;

/**
 * Rich text as structured content: headings, paragraphs, quotes and lists of plain text. No HTML
 * is ever accepted or stored, so nothing a user types can become markup.
 */
export const contentBlock = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('heading'), text: plainText(200) }),
  z.strictObject({ type: z.literal('paragraph'), text: plainText(5000) }),
  z.strictObject({ type: z.literal('quote'), text: plainText(2000) }),
  z.strictObject({ type: z.literal('list'), items: z.array(plainText(500)).min(1).max(50) }),
]);
export type ContentBlock = z.infer<typeof contentBlock>;
export const contentBody = z.array(contentBlock).max(200);

/** A finding of the checks, in place: in the title, a block (and list item) of the body, or a photo. */
export const findingSchema = z.object({
  /** The rule's code; `military_list` for a rule of the military side's own list seen by a civilian. */
  rule: z.string(),
  category: z.enum(CHECK_CATEGORIES),
  severity: z.enum(CHECK_SEVERITIES),
  label: z.string(),
  where: z.enum(['title', 'body', 'photo', 'text']),
  block: z.number().int().optional(),
  item: z.number().int().optional(),
  photoId: z.string().optional(),
  start: z.number().int(),
  end: z.number().int(),
  match: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

export const checkTextBody = z.strictObject({ text: z.string().max(20000) });
export const checkResult = z.object({ findings: z.array(findingSchema) });

export const checkRuleSchema = z.object({
  id: idSchema,
  code: z.string(),
  category: z.enum(CHECK_CATEGORIES),
  kind: z.enum(CHECK_RULE_KINDS),
  value: z.string(),
  severity: z.enum(CHECK_SEVERITIES),
  label: z.string(),
  militaryOnly: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type CheckRuleDto = z.infer<typeof checkRuleSchema>;
export const checkRuleList = z.object({ items: z.array(checkRuleSchema) });

const ruleCode = z.string().regex(/^[a-z][a-z0-9_.]{1,63}$/, { error: () => t('atmosphere.ruleCode') });
export const createCheckRuleBody = z.strictObject({
  code: ruleCode,
  category: z.enum(CHECK_CATEGORIES).exclude(['image']),
  kind: z.enum(['term', 'pattern']),
  value: plainText(500),
  severity: z.enum(CHECK_SEVERITIES).default('block'),
  label: plainText(100),
  militaryOnly: z.boolean().default(false),
});
export const updateCheckRuleBody = z.strictObject({
  version: z.number().int().min(1),
  value: plainText(500).optional(),
  severity: z.enum(CHECK_SEVERITIES).optional(),
  label: plainText(100).optional(),
  active: z.boolean().optional(),
});

const httpUrl = z
  .string()
  .trim()
  .max(1000)
  .url()
  .refine((s) => /^https?:\/\//i.test(s), { error: () => t('atmosphere.urlScheme') });

export const publicityContent = {
  kind: z.enum(PUBLICITY_KINDS),
  title: plainText(200),
  body: contentBody,
  videoUrl: httpUrl.nullish(),
  campaignId: idSchema.nullish(),
  taskId: idSchema.nullish(),
  outlets: z.array(z.enum(PUBLICITY_OUTLETS)).max(PUBLICITY_OUTLETS.length).default([]),
  /** The author says the item concerns troops (it is also inferred from the text and photos). */
  mentionsTroops: z.boolean().default(false),
};
export const createPublicityBody = z.strictObject({ ...publicityContent, orgId: idSchema.optional() });
export const updatePublicityBody = z.strictObject({ ...publicityContent, version: z.number().int().min(1) });

export const publicityVersionBody = z.strictObject({ version: z.number().int().min(1) });
export const publicityReviewBody = z.strictObject({
  version: z.number().int().min(1),
  decision: z.enum(REVIEW_DECISIONS),
  comment: plainText(2000).optional(),
  /** The reviewer has looked at every finding that asks for a human look (faces, camera). */
  confirmReviewed: z.boolean().default(false),
  /** With approve_edited: the reviewer's version of title and body. */
  edited: z.strictObject({ title: plainText(200), body: contentBody }).optional(),
});
export const publicityPublishBody = z.strictObject({
  version: z.number().int().min(1),
  outlet: z.enum(PUBLICITY_OUTLETS),
  /** Link or page (报纸版面) where it ran. */
  ref: plainText(500),
  on: isoDateSchema,
});

export const publicityPhotoQuery = z.strictObject({
  fileName: plainText(200).refine((s) => !/[\\/]/.test(s), { error: () => t('atmosphere.photoFileName') }),
  caption: z.string().trim().max(500).default(''),
  showsServiceMembers: z.enum(['true', 'false']).default('false'),
});

export const publicityPhotoSchema = z.object({
  id: idSchema,
  fileName: z.string(),
  caption: z.string(),
  size: z.number().int(),
  showsServiceMembers: z.boolean(),
  gps: z.boolean(),
  camera: z.string().nullable(),
});

export const publicityReviewSchema = z.object({
  side: z.enum(REVIEW_SIDES),
  decision: z.enum(REVIEW_DECISIONS),
  comment: z.string().nullable(),
  contentHash: z.string(),
  reviewerName: z.string(),
  reviewerOrgName: z.string(),
  at: z.string(),
});

export const publicityListItem = z.object({
  id: idSchema,
  kind: z.enum(PUBLICITY_KINDS),
  title: z.string(),
  status: z.enum(PUBLICITY_STATUSES),
  orgId: idSchema,
  orgName: z.string(),
  mentionsTroops: z.boolean(),
  campaignId: z.string().nullable(),
  taskId: z.string().nullable(),
  publishedOutlet: z.enum(PUBLICITY_OUTLETS).nullable(),
  publishedOn: z.string().nullable(),
  updatedAt: z.string(),
});
export type PublicityListItem = z.infer<typeof publicityListItem>;
export const publicityPage = pageOf(publicityListItem);
export const publicityListQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(PUBLICITY_STATUSES).optional(),
  campaignId: idSchema.optional(),
  taskId: idSchema.optional(),
  /** Items waiting for the caller's side to review. */
  toReview: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(100).optional(),
});

export const publicityDetail = publicityListItem.extend({
  body: contentBody,
  videoUrl: z.string().nullable(),
  outlets: z.array(z.enum(PUBLICITY_OUTLETS)),
  createdBy: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  approvedHash: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedRef: z.string().nullable(),
  photos: z.array(publicityPhotoSchema),
  findings: z.array(findingSchema),
  reviews: z.array(publicityReviewSchema),
  /** What the caller may do now. */
  actions: z.array(z.enum(PUBLICITY_ACTIONS)),
  /** The side whose review it waits for, if any. */
  awaiting: z.enum(REVIEW_SIDES).nullable(),
  createdAt: z.string(),
});
export type PublicityDetail = z.infer<typeof publicityDetail>;
