import { z } from 'zod';
import { t } from '../i18n/index.js';
import { CATEGORY_CODES, DISABILITY_CAUSES } from '../registry/categories.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, pageOf, pageQuery } from './common.js';

/** 政策待遇落实到位 (issue 21): benefit standards, monthly payment rosters, reconciliation. */

/** Kinds of periodic money (定期抚恤金, 残疾抚恤金, 定期生活补助, 护理费, 义务兵家庭优待金). */
export const BENEFIT_TYPES = [
  'disability_pension',
  'survivor_pension',
  'living_allowance',
  'nursing_fee',
  'conscript_family',
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** Layers of a standard; the amounts of different layers add up (a city top-up on the national standard). */
export const STANDARD_LAYERS = ['national', 'province', 'city'] as const;

export const ROSTER_STATUSES = ['draft', 'pending', 'released', 'reconciled'] as const;
export type RosterStatus = (typeof ROSTER_STATUSES)[number];

/** What reconciliation finds between a roster and the bank's return file. */
export const DISCREPANCY_KINDS = [
  'failed',
  'underpaid',
  'overpaid',
  'paid_after_death',
  'paid_after_transfer',
  'paid_while_suspended',
  'duplicate_line',
  'duplicate_district',
  'unknown_id',
  'not_entitled',
  'missing',
  /** Not reconciliation's: months paid at a grade lowered later by a change recorded late (decisions/0065). */
  'grade_overpaid',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
export const DISCREPANCY_RESOLUTIONS = ['paid', 'recovered', 'explained'] as const;

/** The largest monthly amount of one standard (fen): ¥100,000 a month is already absurd. */
export const BENEFIT_MAX_MONTHLY_FEN = 10_000_000;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** A calendar month 'YYYY-MM' (2000–2099). */
export const monthSchema = z
  .string()
  .regex(MONTH, { error: () => t('benefits.month.format') })
  .refine((s) => s >= '2000-01' && s <= '2099-12', { error: () => t('benefits.month.format') });

const QUARTER = /^(\d{4})-Q([1-4])$/;
/** A quarter 'YYYY-Qn' (2000–2099): a roster paying three months at once. */
export const quarterSchema = z
  .string()
  .regex(QUARTER, { error: () => t('benefits.period.format') })
  .refine((s) => s >= '2000' && s < '2100', { error: () => t('benefits.period.format') });
/** What a roster pays: one month 'YYYY-MM' or a quarter 'YYYY-Qn'. */
export const periodSchema = z.union([monthSchema, quarterSchema], { error: () => t('benefits.period.format') });

/** The months of a period: '2026-03' → ['2026-03']; '2026-Q2' → ['2026-04', '2026-05', '2026-06']. */
export function periodMonths(period: string): string[] {
  const q = QUARTER.exec(period);
  if (!q) return [period];
  const first = (Number(q[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${q[1]}-${String(first + i).padStart(2, '0')}`);
}

/**
 * Annual confirmation (年度确认, decisions/0045): a month of year Y is owed only with the
 * confirmation of Y, except in its first months, when that of Y − 1 still holds.
 */
export const CONFIRMATION_GRACE_MONTHS = 3;
export const CONFIRMATION_METHODS = ['in_person', 'video', 'home_visit', 'proxy'] as const;

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to`, both included ('2025-11'..'2026-02' → 4 months). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

/**
 * A yuan amount as a bank or finance file writes it ('1,234.50', '¥1234.5', '1234', '１２３４．５０')
 * → exact integer fen, by reading the digits (never through floating point); null when it is not an
 * amount or has more than two decimals. Negative amounts are refused.
 */
export function yuanTextToFen(raw: string): number | null {
  const s = raw
    .replace(/[\uFF10-\uFF19\uFF0E\uFF0C]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[¥￥,\s元]/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Integer fen → '1234.50' (two decimals, no grouping): the bank file's amount column. */
export function fenToYuanText(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const docNoSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !/[<>'";`\\]|--/.test(s), { error: () => t('benefits.docNo.invalid') });

export const benefitStandardBody = z
  .strictObject({
    benefitType: z.enum(BENEFIT_TYPES),
    category: z.enum(CATEGORY_CODES),
    gradeMin: z.number().int().min(1).max(10).optional(),
    gradeMax: z.number().int().min(1).max(10).optional(),
    /** 性质 (因战/因公/因病) the standard applies to; omitted: every 性质. */
    disabilityCause: z.enum(DISABILITY_CAUSES).optional(),
    layer: z.enum(STANDARD_LAYERS),
    /** An org the standard applies below (a district's own top-up); omitted: the whole city. */
    regionOrgId: idSchema.optional(),
    amountFen: z.number().int().min(0).max(BENEFIT_MAX_MONTHLY_FEN),
    validFrom: monthSchema,
    validTo: monthSchema.optional(),
    docNo: docNoSchema,
    note: z.string().trim().max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.gradeMin === undefined) !== (b.gradeMax === undefined) || (b.gradeMin ?? 0) > (b.gradeMax ?? 0))
      ctx.addIssue({ code: 'custom', path: ['gradeMax'], message: t('benefits.standard.gradeRange') });
    if (b.validTo !== undefined && b.validTo < b.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: t('benefits.standard.validRange') });
  });
export type BenefitStandardBody = z.infer<typeof benefitStandardBody>;

export const benefitStandardSchema = z.object({
  id: z.string(),
  benefitType: z.enum(BENEFIT_TYPES),
  category: z.enum(CATEGORY_CODES),
  gradeMin: z.number().nullable(),
  gradeMax: z.number().nullable(),
  disabilityCause: z.enum(DISABILITY_CAUSES).nullable(),
  layer: z.enum(STANDARD_LAYERS),
  regionPath: z.string(),
  amountFen: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  docNo: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  withdrawnAt: z.string().nullable(),
});
export type BenefitStandard = z.infer<typeof benefitStandardSchema>;

export const benefitStandardCreated = z.object({
  standard: benefitStandardSchema,
  /** The job computing the back pay for months already on a released roster (poll /jobs/:id); null: none. */
  backPayJobId: z.string().nullable(),
});

export const benefitStandardList = z.object({ items: z.array(benefitStandardSchema) });
export const benefitStandardQuery = z.strictObject({
  benefitType: z.enum(BENEFIT_TYPES).optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  includeWithdrawn: z.enum(['0', '1']).optional(),
});

export const standardImportResult = z.object({
  created: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
  /** The job computing the back pay of the imported standards (poll /jobs/:id); null: none. */
  backPayJobId: z.string().nullable(),
});

/** One line of what a person is owed in a month, with the standards behind it. */
export const entitlementLine = z.object({
  month: z.string(),
  benefitType: z.enum(BENEFIT_TYPES),
  amountFen: z.number().int(),
  explanation: z.string(),
});
export const entitlementExplain = z.object({
  beneficiaryId: z.string(),
  name: z.string(),
  lines: z.array(entitlementLine),
  totalFen: z.number().int(),
});
export const entitlementQuery = z.strictObject({
  beneficiaryId: idSchema,
  from: monthSchema,
  to: monthSchema,
});

export const createRosterBody = z.strictObject({
  /** The district paying; omitted: the caller's own district. */
  orgId: idSchema.optional(),
  period: periodSchema,
});

export const rosterSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  period: z.string(),
  /** The months the roster pays (one, or a quarter's three). */
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(ROSTER_STATUSES),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  paidFen: z.number().int().nullable(),
  returnFileName: z.string().nullable(),
  openDiscrepancies: z.number().int(),
  version: z.number().int(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  abilities: z.object({
    regenerate: z.boolean(),
    request: z.boolean(),
    approve: z.boolean(),
    export: z.boolean(),
    importReturn: z.boolean(),
  }),
});
export type Roster = z.infer<typeof rosterSchema>;
export const rosterPage = pageOf(rosterSchema);
export const rosterListQuery = z.strictObject({
  period: periodSchema.optional(),
  status: z.enum(ROSTER_STATUSES).optional(),
  ...pageQuery,
});

export const rosterLineSchema = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  name: z.string(),
  idMasked: z.string(),
  month: z.string(),
  benefitType: z.enum(BENEFIT_TYPES),
  kind: z.enum(['regular', 'backpay']),
  amountFen: z.number().int(),
  /** The account the person is paid into, masked; null when none is recorded. */
  accountMasked: z.string().nullable(),
});
export const rosterLinePage = pageOf(rosterLineSchema);
export const rosterLinesQuery = z.strictObject({ ...pageQuery });

export const rosterDecisionBody = z.strictObject({
  version: z.number().int().min(1),
  decision: z.enum(['approve', 'return']),
});

export const reconcileResult = z.object({
  roster: rosterSchema,
  returnLines: z.number().int(),
  paidFen: z.number().int(),
  discrepancies: z.record(z.string(), z.number().int()),
});

export const discrepancySchema = z.object({
  id: z.string(),
  rosterId: z.string(),
  orgName: z.string(),
  period: z.string(),
  kind: z.enum(DISCREPANCY_KINDS),
  beneficiaryId: z.string().nullable(),
  name: z.string(),
  idMasked: z.string(),
  expectedFen: z.number().int(),
  paidFen: z.number().int(),
  rowNumber: z.number().int().nullable(),
  /** The month overpaid, for a grade lowered late (`grade_overpaid`, decisions/0065); null for reconciliation's cases. */
  month: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  deadline: z.string(),
  resolution: z.enum(DISCREPANCY_RESOLUTIONS).nullable(),
  resolutionNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** The case's owner (decisions/0055): an org (the district office by default) and optionally one of its users. */
  ownerOrgId: z.string(),
  ownerOrgName: z.string(),
  ownerUserId: z.string().nullable(),
  ownerUserName: z.string().nullable(),
  /** Open and past its deadline day (in the display zone). */
  overdue: z.boolean(),
  /** When the sweep escalated it (past its deadline), null before. */
  escalatedAt: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ close: z.boolean(), reassign: z.boolean() }),
});
export type Discrepancy = z.infer<typeof discrepancySchema>;
export const discrepancyPage = pageOf(discrepancySchema);
export const discrepancyListQuery = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  kind: z.enum(DISCREPANCY_KINDS).optional(),
  rosterId: idSchema.optional(),
  /** Open cases past their deadline. */
  overdue: z.enum(['true']).optional(),
  /** Owned by the caller (the caller's own org, or the caller named as owner). */
  mine: z.enum(['true']).optional(),
  ...pageQuery,
});
export type DiscrepancyListQuery = z.infer<typeof discrepancyListQuery>;
/** Reassigns an open discrepancy to another owner (an org, optionally one of its users). */
export const assignDiscrepancyBody = z.strictObject({
  version: z.number().int().min(1),
  ownerOrgId: idSchema,
  ownerUserId: idSchema.nullable().optional(),
  note: z.string().trim().max(200).optional(),
});
/** Who an open discrepancy may be given to: orgs, and the users of them who handle payments. */
export const discrepancyOwners = z.object({
  orgs: z.array(z.object({ id: z.string(), name: z.string() })),
  users: z.array(z.object({ id: z.string(), name: z.string(), orgId: z.string() })),
});
export type DiscrepancyOwners = z.infer<typeof discrepancyOwners>;
export const closeDiscrepancyBody = z.strictObject({
  version: z.number().int().min(1),
  resolution: z.enum(DISCREPANCY_RESOLUTIONS),
  note: z.string().trim().min(1).max(200),
});

export const benefitTotalsQuery = z.strictObject({ from: monthSchema, to: monthSchema });
export const benefitTotals = z.object({
  items: z.array(
    z.object({
      orgName: z.string(),
      period: z.string(),
      status: z.enum(ROSTER_STATUSES),
      totalFen: z.number().int(),
      paidFen: z.number().int().nullable(),
      openDiscrepancies: z.number().int(),
      closedDiscrepancies: z.number().int(),
    }),
  ),
  /** Discrepancies per district, month and kind (issue 21, item 4): open, overdue among them, closed. */
  byKind: z.array(
    z.object({
      orgName: z.string(),
      period: z.string(),
      kind: z.enum(DISCREPANCY_KINDS),
      open: z.number().int(),
      overdue: z.number().int(),
      closed: z.number().int(),
    }),
  ),
});

/** 年度确认 of one person for one year. */
export const confirmationBody = z.strictObject({
  beneficiaryId: idSchema,
  year: z.number().int().min(2000).max(2099),
  confirmedOn: isoDateSchema,
  method: z.enum(CONFIRMATION_METHODS),
  note: z.string().trim().max(200).optional(),
});
export type ConfirmationBody = z.infer<typeof confirmationBody>;
export const confirmationSchema = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  year: z.number().int(),
  confirmedOn: z.string(),
  method: z.enum(CONFIRMATION_METHODS),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export const confirmationCreated = z.object({
  confirmation: confirmationSchema,
  /**
   * The job computing the back pay for months of the year already paid without the person
   * (suspended for want of it), queued with the confirmation (decisions/0057); null when no month
   * of the year was paid yet. Poll /jobs/:id: its result is { lines, owedFen, months }.
   */
  backPayJobId: z.string().nullable(),
});
export const confirmationListQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2099).optional(),
  beneficiaryId: idSchema.optional(),
});
export const confirmationList = z.object({ items: z.array(confirmationSchema) });
export const unconfirmedQuery = z.strictObject({ month: monthSchema, orgId: idSchema.optional() });
export const unconfirmedList = z.object({
  month: z.string(),
  items: z.array(z.object({ beneficiaryId: z.string(), name: z.string(), idMasked: z.string() })),
});

/** Bank account numbers: digits (a card or a passbook), 8–30 of them, spaces allowed when written. */
export const accountNoSchema = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^\d{8,30}$/, { error: () => t('benefits.account.invalid') }));
export const accountBody = z.strictObject({
  bankName: z.string().trim().min(2).max(60),
  accountNo: accountNoSchema,
});
export const accountSchema = z.object({
  beneficiaryId: z.string(),
  bankName: z.string(),
  accountMasked: z.string(),
  updatedAt: z.string(),
});
export const accountOut = z.object({
  account: accountSchema.nullable(),
  /** What the caller may do here: record or change the account (benefit:pay), open it (beneficiary:reveal). */
  abilities: z.object({ save: z.boolean(), reveal: z.boolean() }),
});
/** Opening an account number in full needs a reason; the reveal is audited. */
export const accountRevealBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });
export const accountRevealResult = z.object({ bankName: z.string(), accountNo: z.string() });
