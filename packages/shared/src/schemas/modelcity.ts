import { z } from 'zod';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema } from './common.js';
import { plainText } from './needs.js';

/**
 * 创建全国双拥模范城 (DOMAIN §8): the assessment table as data (round → standard → item → scoring
 * element), evidence (佐证材料) filed against elements, and the readiness computed from it.
 * Points travel in hundredths (0.25 = 25) so no sum is ever a float.
 */
export const EVIDENCE_KINDS = [
  'document',
  'publicity',
  'visit',
  'campaign',
  'need',
  'honour',
  'event',
  'exemplar',
  'troops',
  'plaque',
  'budget',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
/** The kinds that name a record of another module (everything but an uploaded document). */
export const TAGGABLE_KINDS = EVIDENCE_KINDS.filter((k) => k !== 'document') as [
  Exclude<EvidenceKind, 'document'>,
  ...Exclude<EvidenceKind, 'document'>[],
];

/** What an uploaded document is (the binder lists it by type). */
export const EVIDENCE_DOC_TYPES = [
  'minutes',
  'plan',
  'summary',
  'report',
  'voucher',
  'budget',
  'notice',
  'photo',
  'other',
] as const;
export type EvidenceDocType = (typeof EVIDENCE_DOC_TYPES)[number];

/** met: enough fresh evidence; partly: some, or only stale; missing: none. */
export const ELEMENT_STATUSES = ['met', 'partly', 'missing'] as const;
export type ElementStatus = (typeof ELEMENT_STATUSES)[number];

export const roundSchema = z.object({
  id: idSchema,
  name: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  isExample: z.boolean(),
});
export type ModelRound = z.infer<typeof roundSchema>;
export const roundList = z.object({ items: z.array(roundSchema) });

export const evidenceSchema = z.object({
  id: idSchema,
  elementId: idSchema,
  sourceKind: z.enum(EVIDENCE_KINDS),
  sourceId: z.string().nullable(),
  docType: z.enum(EVIDENCE_DOC_TYPES).nullable(),
  title: z.string(),
  date: z.string(),
  orgId: idSchema,
  orgName: z.string(),
  fileName: z.string().nullable(),
  stale: z.boolean(),
  /** May the caller remove it (it is filed by the caller's org or one below it). */
  removable: z.boolean(),
  createdAt: z.string(),
});
export type ModelEvidence = z.infer<typeof evidenceSchema>;

export const elementReadiness = z.object({
  id: idSchema,
  code: z.string(),
  text: z.string(),
  points: z.number().int(),
  score: z.number().int(),
  kinds: z.array(z.enum(EVIDENCE_KINDS)),
  minCount: z.number().int(),
  status: z.enum(ELEMENT_STATUSES),
  fresh: z.number().int(),
  stale: z.number().int(),
  evidence: z.array(evidenceSchema),
});
export type ElementReadiness = z.infer<typeof elementReadiness>;

/** An org that answers for an item: the lead (one) or a co-owner, by a deadline (its campaign task). */
export const itemOwner = z.object({
  orgId: idSchema,
  orgName: z.string(),
  role: z.enum(['lead', 'co']),
  deadline: z.string(),
  taskId: z.string().nullable(),
});
export type ItemOwner = z.infer<typeof itemOwner>;

/** Assign an item to a lead org and co-owners with a deadline: issues a task of the 创建 campaign. */
export const assignItemBody = z.strictObject({
  leadOrgId: idSchema,
  coOrgIds: z.array(idSchema).max(10).default([]),
  deadline: isoDateSchema,
});

/**
 * The city edits an item of the table in place (decisions/0041): its content and its elements,
 * in order — an element without `id` is added, one left out is removed. The item's points are the
 * sum of its elements'; `points`, if sent, must equal that sum.
 */
export const editItemBody = z.strictObject({
  version: z.string().min(1).max(64),
  content: z.string().trim().min(1).max(500),
  points: z.number().int().min(0).optional(),
  elements: z
    .array(
      z.strictObject({
        id: idSchema.optional(),
        text: z.string().trim().min(1).max(500),
        points: z.number().int().min(0).max(100_000),
        kinds: z.array(z.enum(EVIDENCE_KINDS)).min(1).max(EVIDENCE_KINDS.length),
        minCount: z.number().int().min(1).max(1000),
      }),
    )
    .min(1)
    .max(50),
});

export const itemReadiness = z.object({
  id: idSchema,
  /** The item's and its elements' version: an edit names it (409 when stale). */
  version: z.string(),
  code: z.string(),
  content: z.string(),
  rule: z.string(),
  points: z.number().int(),
  score: z.number().int(),
  owners: z.array(itemOwner),
  elements: z.array(elementReadiness),
});
export type ItemReadiness = z.infer<typeof itemReadiness>;

export const standardReadiness = z.object({
  id: idSchema,
  code: z.string(),
  title: z.string(),
  points: z.number().int(),
  score: z.number().int(),
  items: z.array(itemReadiness),
});
export type StandardReadiness = z.infer<typeof standardReadiness>;

export const gapSchema = z.object({
  elementId: idSchema,
  code: z.string(),
  text: z.string(),
  status: z.enum(['partly', 'missing']),
  /** Only evidence older than the period the inspectors look at. */
  staleOnly: z.boolean(),
  points: z.number().int(),
  missingPoints: z.number().int(),
});

export const readinessSchema = z.object({
  round: roundSchema,
  points: z.number().int(),
  score: z.number().int(),
  standards: z.array(standardReadiness),
  vetoes: z.array(z.object({ id: idSchema, seq: z.number().int(), text: z.string() })),
  gaps: z.array(gapSchema),
  /** Whose evidence: the caller's scope (a district its own, the city all). */
  scopeName: z.string(),
  /** May the caller edit the table's items (the city, decisions/0041). */
  canEditTable: z.boolean(),
});
export type Readiness = z.infer<typeof readinessSchema>;

export const readinessQuery = z.strictObject({ roundId: idSchema.optional() });

/**
 * Start the binder job (创建档案): a round, the period whose evidence it lists (the round's own
 * period unless chosen) and, for a holder of beneficiary:reveal with a reason, personal data in clear.
 */
export const binderBody = z.strictObject({
  roundId: idSchema.optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  reveal: z.boolean().default(false),
  reason: z.string().trim().min(2).max(200).optional(),
});

/** Tag a record of another module to a scoring element (it is filed as evidence). */
export const tagEvidenceBody = z.strictObject({
  elementId: idSchema,
  sourceKind: z.enum(TAGGABLE_KINDS),
  sourceId: idSchema,
});

/** Upload a document (minutes, plan, voucher…) as evidence of an element; the body is the file. */
export const uploadEvidenceQuery = z.strictObject({
  elementId: idSchema,
  docType: z.enum(EVIDENCE_DOC_TYPES),
  date: isoDateSchema,
  title: plainText(200),
  fileName: plainText(200),
});

export const removeEvidenceBody = z.strictObject({ reason: plainText(200) });

/** A record the platform holds that a rule says could prove an element, not yet tagged. */
export const suggestionSchema = z.object({
  sourceKind: z.enum(EVIDENCE_KINDS),
  sourceId: idSchema,
  title: z.string(),
  date: z.string().nullable(),
  orgName: z.string(),
  elementId: idSchema,
  elementCode: z.string(),
  elementText: z.string(),
});
export type EvidenceSuggestion = z.infer<typeof suggestionSchema>;
export const suggestionList = z.object({ items: z.array(suggestionSchema) });

/** An item the caller's org (or an org of its scope) answers for, with its score in the caller's scope. */
export const responsibilitySchema = z.object({
  itemId: idSchema,
  code: z.string(),
  content: z.string(),
  points: z.number().int(),
  score: z.number().int(),
  orgId: idSchema,
  orgName: z.string(),
  role: z.enum(['lead', 'co']),
  deadline: z.string(),
  overdue: z.boolean(),
  taskId: z.string().nullable(),
});
export type Responsibility = z.infer<typeof responsibilitySchema>;
export const responsibilityList = z.object({ items: z.array(responsibilitySchema) });

/** A new round from the table template (xlsx in the body). */
export const importRoundQuery = z.strictObject({
  name: plainText(100),
  periodStart: isoDateSchema,
  periodEnd: isoDateSchema,
});

/** The self-assessed score of each round in the caller's scope, oldest first. */
export const trendSchema = z.object({
  items: z.array(z.object({ round: roundSchema, score: z.number().int(), points: z.number().int() })),
});
