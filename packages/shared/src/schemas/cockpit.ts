import { z } from 'zod';
import { isoDateSchema } from '../registry/dates.js';
import { campaignIdSchema } from './visits.js';

/**
 * The leaders' cockpit (issue 18): aggregates only — counts, sums and org names, never a person's
 * record, never a military-only field. One response feeds every chart, its table view and the daily
 * brief (decisions/0036).
 */
export const SLA_LEVELS = ['ok', 'dueSoon', 'overdue', 'none'] as const;
export type SlaLevel = (typeof SLA_LEVELS)[number];

const slaCounts = {
  ok: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
  none: z.number().int(),
};

export const cockpitQuery = z.strictObject({ campaignId: campaignIdSchema });

export const cockpitSchema = z.object({
  campaign: z.object({ id: z.string(), title: z.string() }),
  today: z.string(),
  headline: z.object({
    assigned: z.number().int(),
    accepted: z.number().int(),
    /** Percent (one decimal) of assignments accepted. */
    completion: z.number(),
    overdueTasks: z.number().int(),
    planned: z.number().int(),
    visited: z.number().int(),
    /** Percent (one decimal) of planned targets visited. */
    coverage: z.number(),
    visits: z.number().int(),
    spentFen: z.number().int(),
    budgetFen: z.number().int(),
    needsOpen: z.number().int(),
    needsOverdue: z.number().int(),
  }),
  completion: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      group: z.enum(['district', 'unit', 'department', 'other']),
      assigned: z.number().int(),
      accepted: z.number().int(),
      completion: z.number(),
    }),
  ),
  coverage: z.object({
    districts: z.array(z.object({ key: z.string(), label: z.string() })),
    categories: z.array(z.object({ key: z.string(), label: z.string() })),
    cells: z.array(
      z.object({ district: z.string(), category: z.string(), planned: z.number().int(), visited: z.number().int() }),
    ),
  }),
  trend: z.array(z.object({ day: z.string(), visits: z.number().int(), moneyFen: z.number().int() })),
  needs: z.object({
    byStatus: z.array(z.object({ status: z.string(), label: z.string(), total: z.number().int(), ...slaCounts })),
    byDepartment: z.array(z.object({ orgId: z.string(), orgName: z.string(), total: z.number().int(), ...slaCounts })),
  }),
  spending: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      orgName: z.string(),
      budgetFen: z.number().int(),
      spentFen: z.number().int(),
    }),
  ),
  league: z.array(
    z.object({
      rank: z.number().int(),
      tied: z.boolean(),
      orgId: z.string(),
      orgName: z.string(),
      completion: z.number(),
      coverage: z.number(),
      overdue: z.number().int(),
    }),
  ),
  overdue: z.array(
    z.object({ orgName: z.string(), taskTitle: z.string(), deadline: z.string(), daysOverdue: z.number().int() }),
  ),
  breached: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      leadOrgName: z.string().nullable(),
      deadline: z.string(),
      workingDaysOver: z.number().int(),
    }),
  ),
});
export type Cockpit = z.infer<typeof cockpitSchema>;

export const briefSchema = z.object({
  id: z.string(),
  campaignId: z.string(),
  day: z.string(),
  public: z.boolean(),
  orgName: z.string(),
  docxSize: z.number().int(),
  pdfSize: z.number().int(),
  createdAt: z.string(),
  /** Findings of the confidentiality checks (a public brief with findings is refused). */
  findings: z.number().int(),
});
export type Brief = z.infer<typeof briefSchema>;
export const briefList = z.object({ items: z.array(briefSchema) });
export const createBriefBody = z.strictObject({
  campaignId: campaignIdSchema,
  day: isoDateSchema.optional(),
  public: z.boolean().default(false),
});
export const briefFileQuery = z.strictObject({ format: z.enum(['docx', 'pdf']).default('pdf') });
