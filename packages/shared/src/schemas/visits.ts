import { z } from 'zod';
import { t } from '../i18n/index.js';
import { CATEGORY_CODES } from '../registry/categories.js';
import { isoDateSchema } from '../registry/dates.js';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES } from './campaigns.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';

/** 走访慰问 (issue 5): plans, targets, teams, visit records, caps, budget lines, coverage. */
export const VISIT_TARGET_KINDS = ['household', 'unit', 'border_post', 'family'] as const;
export type VisitTargetKind = (typeof VISIT_TARGET_KINDS)[number];
export const VISIT_PLAN_STATUSES = ['draft', 'confirmed'] as const;
export const VISIT_TARGET_STATUSES = ['draft', 'planned', 'excluded'] as const;
export const VISIT_APPROVAL_STATUSES = ['none', 'pending', 'approved', 'rejected'] as const;
export const VISIT_RULE_KINDS = ['registry', 'merit_citation'] as const;

/** Largest amounts a visit may carry: above these the input is refused as absurd (fen). */
export const VISIT_MAX_CASH_FEN = 10_000_000;
export const VISIT_MAX_GOODS_VALUE_FEN = 10_000_000;
/** Photos of one visit: at most this many, each file at most this many bytes (server and web form). */
export const VISIT_MAX_PHOTOS = 9;
export const VISIT_MAX_PHOTO_BYTES = 8 * 1024 * 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing exactly these characters is the point
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(noControl, { error: () => t('visits.controlChars') });

/** Campaign ids: the campaigns module's UUIDs, or a short code while it has not landed. */
export const campaignIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: () => t('visits.campaignId') });

export const visitRuleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/i)
      .optional(),
    kind: z.enum(VISIT_RULE_KINDS).default('registry'),
    label: text(100).optional(),
    categories: z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length).optional(),
    orgId: idSchema.optional(),
    minAge: z.number().int().min(0).max(130).optional(),
    meritCitationYear: z.number().int().min(2000).max(2100).optional(),
    livingAloneOnly: z.boolean().optional(),
  })
  .refine(
    (r) =>
      r.kind === 'merit_citation'
        ? r.meritCitationYear !== undefined
        : !!r.categories?.length || r.minAge !== undefined,
    { error: () => t('visits.ruleEmpty') },
  );
export type VisitRule = z.output<typeof visitRuleSchema>;

export const visitReasonSchema = z.object({ ruleId: z.string(), label: z.string(), detail: z.string() });

export const visitCapsSchema = z.object({
  campaignId: z.string(),
  cashPerVisitWarnFen: z.number().int().nullable(),
  cashPerVisitMaxFen: z.number().int().nullable(),
  goodsPerVisitWarnFen: z.number().int().nullable(),
  goodsPerVisitMaxFen: z.number().int().nullable(),
  cashPerTargetMaxFen: z.number().int().nullable(),
  goodsPerTargetMaxFen: z.number().int().nullable(),
  version: z.number().int(),
  /** The campaign has no caps of its own: the city's standing caps apply (version 0). */
  inherited: z.boolean(),
});
export type VisitCaps = z.infer<typeof visitCapsSchema>;

const capFen = z.number().int().min(0).max(VISIT_MAX_CASH_FEN).nullable().optional();
export const visitCapsBody = z.strictObject({
  campaignId: campaignIdSchema,
  cashPerVisitWarnFen: capFen,
  cashPerVisitMaxFen: capFen,
  goodsPerVisitWarnFen: capFen,
  goodsPerVisitMaxFen: capFen,
  cashPerTargetMaxFen: capFen,
  goodsPerTargetMaxFen: capFen,
  version: z.number().int().min(1).optional(),
});
/** The city's standing caps (慰问标准): what every campaign without caps of its own applies. */
export const standingCapsSchema = visitCapsSchema.omit({ campaignId: true, version: true, inherited: true });
export type StandingCaps = z.infer<typeof standingCapsSchema>;
export const standingCapsBody = visitCapsBody.omit({ campaignId: true, version: true });

export const campaignQuery = z.strictObject({ campaignId: campaignIdSchema });

/** A 工作部署 the visits pages can work on (the campaign picker), newest first. */
export const visitCampaignSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(CAMPAIGN_KINDS),
  status: z.enum(CAMPAIGN_STATUSES),
  orgName: z.string(),
  issueDate: z.string().nullable(),
  /** The campaign's period (its deadline is the end): the visit pages open on the current one. */
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  createdAt: z.string(),
});
export type VisitCampaign = z.infer<typeof visitCampaignSchema>;
export const visitCampaignList = z.object({ items: z.array(visitCampaignSchema) });

export const visitPlanSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  title: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  status: z.enum(VISIT_PLAN_STATUSES),
  rules: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(VISIT_RULE_KINDS),
      label: z.string(),
      categories: z.array(z.string()).optional(),
      orgId: z.string().optional(),
      minAge: z.number().int().optional(),
      meritCitationYear: z.number().int().optional(),
      livingAloneOnly: z.boolean().optional(),
      matched: z.number().int(),
    }),
  ),
  letterTemplate: z.string(),
  targetCount: z.number().int(),
  caps: visitCapsSchema.nullable(),
  confirmedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type VisitPlan = z.infer<typeof visitPlanSchema>;
export const visitPlanPage = pageOf(visitPlanSchema.omit({ rules: true, letterTemplate: true, caps: true }));

export const createVisitPlanBody = z.strictObject({
  campaignId: campaignIdSchema,
  title: text(100),
  rules: z.array(visitRuleSchema).max(20).default([]),
  letterTemplate: text(4000).optional(),
});
export const updateVisitPlanBody = z.strictObject({
  version: z.number().int().min(1),
  title: text(100).optional(),
  rules: z.array(visitRuleSchema).max(20).optional(),
  letterTemplate: text(4000).optional(),
});
export const visitPlanListQuery = z.strictObject({ ...pageQuery, campaignId: campaignIdSchema.optional() });

export const visitTargetSchema = z.object({
  id: z.string(),
  planId: z.string(),
  campaignId: z.string(),
  kind: z.enum(VISIT_TARGET_KINDS),
  name: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  streetName: z.string().nullable(),
  category: z.string(),
  reasons: z.array(visitReasonSchema),
  note: z.string().nullable(),
  oldestBirth: z.string().nullable(),
  livesAlone: z.boolean(),
  teamId: z.string().nullable(),
  plannedDate: z.string().nullable(),
  status: z.enum(VISIT_TARGET_STATUSES),
  excludedBy: z.string().nullable(),
  visitCount: z.number().int(),
  cashFen: z.number().int(),
  goodsFen: z.number().int(),
  lastVisitAt: z.string().nullable(),
  /** A unit's visit to the household within the campaign's period (the latest): shown, never counted as the civil visit. */
  troopVisit: z.object({ orgName: z.string(), date: z.string() }).nullable().optional(),
  version: z.number().int(),
});
export type VisitTarget = z.infer<typeof visitTargetSchema>;
export const visitTargetPage = pageOf(visitTargetSchema);
export const visitTargetListQuery = z.strictObject({
  ...pageQuery,
  campaignId: campaignIdSchema.optional(),
  planId: idSchema.optional(),
  teamId: idSchema.optional(),
  /** true: not visited yet; false: visited at least once. */
  unvisited: z.enum(['true', 'false']).optional(),
  /** Targets owned by this org or below it (a district of the cockpit's coverage chart). */
  orgId: idSchema.optional(),
  category: z.string().trim().min(1).max(40).optional(),
  q: z.string().trim().max(32).optional(),
});

export const addVisitTargetBody = z
  .strictObject({
    kind: z.enum(VISIT_TARGET_KINDS),
    householdId: idSchema.optional(),
    unitOrgId: idSchema.optional(),
    name: nameSchema.optional(),
    note: text(500).optional(),
  })
  .refine((b) => (b.kind === 'household' ? !!b.householdId : !!b.name || !!b.unitOrgId), {
    error: () => t('visits.targetIncomplete'),
  });

export const visitConflictSchema = z.object({
  targetId: z.string(),
  name: z.string(),
  otherPlanId: z.string(),
  otherPlanTitle: z.string(),
  otherOrgName: z.string(),
  otherStatus: z.enum(VISIT_PLAN_STATUSES),
});
export const visitConflictList = z.object({ items: z.array(visitConflictSchema) });
export const confirmVisitPlanBody = z.strictObject({
  version: z.number().int().min(1),
  dropConflicts: z.boolean().optional(),
});

export const visitTeamSchema = z.object({
  id: z.string(),
  planId: z.string(),
  name: z.string(),
  staff: z.array(z.string()),
  leaders: z.array(z.string()),
  plannedDate: z.string().nullable(),
  targets: z.number().int(),
});
export const visitTeamList = z.object({ items: z.array(visitTeamSchema) });
export const createVisitTeamBody = z.strictObject({
  name: text(64),
  staff: z.array(nameSchema).max(20).default([]),
  leaders: z.array(nameSchema).max(10).default([]),
  plannedDate: isoDateSchema.optional(),
});
export const assignVisitTargetsBody = z
  .strictObject({
    teamId: idSchema.nullable(),
    targetIds: z.array(idSchema).max(5000).optional(),
    streetOrgId: idSchema.optional(),
    plannedDate: isoDateSchema.optional(),
  })
  .refine((b) => !!b.targetIds?.length || !!b.streetOrgId, { error: () => t('visits.assignNothing') });
export const visitGroupSchema = z.object({
  streetOrgId: z.string().nullable(),
  streetName: z.string(),
  districtName: z.string(),
  separateTrip: z.boolean(),
  targets: z.number().int(),
  unassigned: z.number().int(),
});
export const visitGroupList = z.object({ items: z.array(visitGroupSchema) });

export const goodsItemSchema = z.strictObject({
  item: text(64),
  quantity: z.number().int().min(1).max(10_000),
  valueFen: z.number().int().min(0).max(VISIT_MAX_GOODS_VALUE_FEN),
});
const visitors = z.strictObject({
  staff: z.array(nameSchema).min(1).max(20),
  leaders: z.array(nameSchema).max(10).default([]),
});
const visitFields = {
  visitedAt: z.iso.datetime({ offset: true }),
  visitors,
  cashFen: z.number().int().min(0).max(VISIT_MAX_CASH_FEN),
  goods: z.array(goodsItemSchema).max(30).default([]),
  budgetLineId: idSchema.nullable().optional(),
  needs: text(2000).nullable().optional(),
  notes: text(2000).nullable().optional(),
  acknowledged: z.boolean().default(false),
  acknowledgedBy: nameSchema.nullable().optional(),
};
export const createVisitBody = z.strictObject({ clientKey: idSchema, targetId: idSchema, ...visitFields });
export const updateVisitBody = z.strictObject({
  version: z.number().int().min(1),
  visitedAt: visitFields.visitedAt.optional(),
  visitors: visitors.optional(),
  cashFen: visitFields.cashFen.optional(),
  goods: z.array(goodsItemSchema).max(30).optional(),
  budgetLineId: visitFields.budgetLineId,
  needs: visitFields.needs,
  notes: visitFields.notes,
  acknowledged: z.boolean().optional(),
  acknowledgedBy: visitFields.acknowledgedBy,
});
export const capCheckBody = z.strictObject({
  targetId: idSchema,
  cashFen: z.number().int().min(0).max(VISIT_MAX_CASH_FEN),
  goodsFen: z
    .number()
    .int()
    .min(0)
    .max(VISIT_MAX_GOODS_VALUE_FEN * 30),
  visitId: idSchema.optional(),
});
export const capWarningSchema = z.object({
  code: z.string(),
  level: z.enum(['warning', 'approval']),
  message: z.string(),
});
export const capCheckResult = z.object({
  warnings: z.array(capWarningSchema),
  needsApproval: z.boolean(),
  caps: visitCapsSchema.nullable(),
});
export const approveVisitBody = z.strictObject({
  version: z.number().int().min(1),
  decision: z.enum(['approve', 'reject']),
  note: text(500).optional(),
});

export const visitPhotoSchema = z.object({
  id: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** GET /visit-photos/:id?thumb=1 serves a JPEG within 320×320 (else the photo itself). */
  hasThumbnail: z.boolean(),
  createdAt: z.string(),
});
export type VisitPhoto = z.infer<typeof visitPhotoSchema>;
export const visitSchema = z.object({
  id: z.string(),
  clientKey: z.string(),
  targetId: z.string(),
  targetName: z.string(),
  /** The district the visited household or unit belongs to (null above district level). */
  districtName: z.string().nullable(),
  planId: z.string(),
  campaignId: z.string(),
  visitedAt: z.string(),
  visitors: z.object({ staff: z.array(z.string()), leaders: z.array(z.string()) }),
  cashFen: z.number().int(),
  goods: z.array(z.object({ item: z.string(), quantity: z.number().int(), valueFen: z.number().int() })),
  goodsFen: z.number().int(),
  budgetLineId: z.string().nullable(),
  needs: z.string().nullable(),
  notes: z.string().nullable(),
  acknowledged: z.boolean(),
  acknowledgedBy: z.string().nullable(),
  repeatVisit: z.boolean(),
  approvalStatus: z.enum(VISIT_APPROVAL_STATUSES),
  approvalReasons: z.array(z.string()),
  approvedBy: z.string().nullable(),
  warnings: z.array(capWarningSchema),
  photos: z.array(visitPhotoSchema),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Visit = z.infer<typeof visitSchema>;
export const visitPage = pageOf(visitSchema);
export const visitListQuery = z.strictObject({
  ...pageQuery,
  campaignId: campaignIdSchema.optional(),
  planId: idSchema.optional(),
  targetId: idSchema.optional(),
  approval: z.enum(VISIT_APPROVAL_STATUSES).optional(),
  /** Visits made on this local day (display zone): the cockpit's visits-per-day point. */
  day: isoDateSchema.optional(),
});

export const budgetLineSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  budgetFen: z.number().int(),
  spentFen: z.number().int(),
  over: z.boolean(),
  version: z.number().int(),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;
export const budgetLineList = z.object({ items: z.array(budgetLineSchema) });
export const createBudgetLineBody = z.strictObject({
  campaignId: campaignIdSchema,
  orgId: idSchema.optional(),
  name: text(64),
  budgetFen: z.number().int().min(0).max(100_000_000_000),
});
export const updateBudgetLineBody = z.strictObject({
  version: z.number().int().min(1),
  name: text(64).optional(),
  budgetFen: z.number().int().min(0).max(100_000_000_000).optional(),
});

const coverageCell = z.object({
  key: z.string(),
  label: z.string(),
  planned: z.number().int(),
  visited: z.number().int(),
  visits: z.number().int(),
  cashFen: z.number().int(),
  goodsFen: z.number().int(),
  /** Planned targets a unit visited (linked to the household, within the campaign's period): beside `visited`, not in it. */
  visitedByTroops: z.number().int(),
});
export type CoverageCell = z.infer<typeof coverageCell>;
export const coverageQuery = z.strictObject({ campaignId: campaignIdSchema, planId: idSchema.optional() });
export const coverageSchema = z.object({
  campaignId: z.string(),
  total: coverageCell,
  byCategory: z.array(coverageCell),
  byDistrict: z.array(coverageCell),
  byStreet: z.array(coverageCell),
  byTeam: z.array(coverageCell),
});
/** A district's spending; `budgetFen` sums the budget lines of the district and the orgs below it (null: none). */
const spendingCell = coverageCell
  .omit({ visitedByTroops: true })
  .extend({ budgetFen: z.number().int().nullable(), over: z.boolean() });
export type SpendingCell = z.infer<typeof spendingCell>;
export const spendingSchema = z.object({
  byOrg: z.array(spendingCell),
  budgetLines: z.array(budgetLineSchema),
});
export const unvisitedQuery = z.strictObject({ ...pageQuery, campaignId: campaignIdSchema });
