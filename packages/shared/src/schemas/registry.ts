import { z } from 'zod';
import { t } from '../i18n/index.js';
import {
  CATEGORY_CODES,
  categoryAssignmentSchema,
  certificateNoSchema,
  DISABILITY_CAUSES,
  disabilityCauseSchema,
  disabilityGradeSchema,
  RELATION_CODES,
} from '../registry/categories.js';
import { isoDateSchema } from '../registry/dates.js';
import { idSchema, nameSchema, pageOf, pageQuery } from './common.js';

export const BENEFICIARY_STATUSES = ['active', 'deceased', 'moved_out', 'suspended'] as const;
export type BeneficiaryStatus = (typeof BENEFICIARY_STATUSES)[number];
export const SERVICE_MEMBER_KINDS = ['martyr', 'duty_death', 'illness_death', 'serving', 'veteran'] as const;
export const PLAQUE_STATUSES = ['none', 'hung', 'taken_back', 'cancelled'] as const;

const idNumberInput = z.string().trim().min(15).max(40);
const phoneInput = z.string().trim().min(7).max(32);
const addressInput = z
  .string()
  .trim()
  .min(2)
  .max(200)
  .refine((s) => !/[<>;`\\]|--/.test(s), { error: () => t('validation.address') });

export const serviceMemberInput = z.strictObject({
  name: nameSchema,
  kind: z.enum(SERVICE_MEMBER_KINDS),
  eventDate: isoDateSchema.optional(),
  unitCodeName: nameSchema.optional(),
  certificateNo: z.string().trim().max(64).optional(),
});

export const beneficiaryListQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(32).optional(),
  orgId: idSchema.optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  status: z.enum(BENEFICIARY_STATUSES).optional(),
  ageMin: z.coerce.number().int().min(0).max(130).optional(),
  ageMax: z.coerce.number().int().min(0).max(130).optional(),
  plaque: z.enum(PLAQUE_STATUSES).optional(),
  sort: z.enum(['name', 'birthDate', 'updatedAt']).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** The previous page's `nextCursor`: the next page by keyset (deep pages cost what the first does). */
  after: z.string().trim().max(400).optional(),
  /** '1': count the total exactly even when the maintained counts do not cover the filters. */
  exact: z.enum(['1']).optional(),
});

export const beneficiaryListItem = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(['male', 'female']),
  birthDate: z.string(),
  idMasked: z.string(),
  phoneMasked: z.string().nullable(),
  categories: z.array(z.enum(CATEGORY_CODES)),
  status: z.enum(BENEFICIARY_STATUSES),
  orgId: z.string(),
  orgName: z.string(),
  householdId: z.string().nullable(),
  version: z.number().int(),
});
export type BeneficiaryListItem = z.infer<typeof beneficiaryListItem>;
export const beneficiaryPage = pageOf(beneficiaryListItem).extend({
  /** True when `total` is a floor (TOTAL_CAP): more rows match; `exact=1` counts them all. */
  totalCapped: z.boolean(),
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const categoryAssignmentOut = z.object({
  code: z.enum(CATEGORY_CODES),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  disabilityGrade: z.number().int().nullable(),
  disabilityCause: z.enum(DISABILITY_CAUSES).nullable(),
  relation: z.enum(RELATION_CODES).nullable(),
  certificateNo: z.string().nullable(),
});

export const beneficiaryDetail = beneficiaryListItem.extend({
  /** The name as written (traditional characters) when it differs from `name`. */
  nameAsWritten: z.string().nullable(),
  addressMasked: z.string().nullable(),
  statusDate: z.string().nullable(),
  note: z.string().nullable(),
  relation: z.enum(RELATION_CODES).nullable(),
  assignments: z.array(categoryAssignmentOut),
  serviceMember: z
    .object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(SERVICE_MEMBER_KINDS),
      eventDate: z.string().nullable(),
      unitCodeName: z.string().nullable(),
      certificateNo: z.string().nullable(),
    })
    .nullable(),
  household: z
    .object({ id: z.string(), addressMasked: z.string().nullable(), plaqueStatus: z.enum(PLAQUE_STATUSES) })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean(), reveal: z.boolean(), transfer: z.boolean() }),
});
export type BeneficiaryDetail = z.infer<typeof beneficiaryDetail>;

export const createBeneficiaryBody = z.strictObject({
  orgId: idSchema,
  name: nameSchema,
  idNumber: idNumberInput,
  birthDate: isoDateSchema.optional(),
  sex: z.enum(['male', 'female']).optional(),
  phone: phoneInput.optional(),
  address: addressInput.optional(),
  householdId: idSchema.optional(),
  categories: z.array(categoryAssignmentSchema).min(1).max(10),
  status: z.enum(BENEFICIARY_STATUSES).default('active'),
  statusDate: isoDateSchema.optional(),
  serviceMember: serviceMemberInput.optional(),
  relation: z.enum(RELATION_CODES).optional(),
  note: z.string().trim().max(500).optional(),
});

export const updateBeneficiaryBody = z.strictObject({
  version: z.number().int().min(1),
  orgId: idSchema.optional(),
  name: nameSchema.optional(),
  phone: phoneInput.nullable().optional(),
  address: addressInput.nullable().optional(),
  categories: z.array(categoryAssignmentSchema).min(1).max(10).optional(),
  status: z.enum(BENEFICIARY_STATUSES).optional(),
  statusDate: isoDateSchema.nullable().optional(),
  relation: z.enum(RELATION_CODES).nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

/**
 * A disability grade (and 性质) changed by a 评残/调残 decision (decisions/0056): the date of the
 * decision and its number. The new grade is paid from the month after the date. `disabilityCause`
 * left out keeps the 性质; null clears it.
 */
export const gradeChangeBody = z.strictObject({
  version: z.number().int().min(1),
  code: z.enum(CATEGORY_CODES),
  effectiveDate: isoDateSchema,
  disabilityGrade: disabilityGradeSchema,
  disabilityCause: disabilityCauseSchema.nullable().optional(),
  documentNo: certificateNoSchema,
  note: z.string().trim().max(500).optional(),
});
export const gradeChangeOut = z.object({
  id: z.string(),
  code: z.enum(CATEGORY_CODES),
  effectiveDate: z.string(),
  /** The first month paid by the new grade (the month after `effectiveDate`). */
  fromMonth: z.string(),
  gradeFrom: z.number().int(),
  gradeTo: z.number().int(),
  causeFrom: z.enum(DISABILITY_CAUSES).nullable(),
  causeTo: z.enum(DISABILITY_CAUSES).nullable(),
  documentNo: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  /**
   * Set on a change of a record merged into this one, for a category this one already held: shown
   * in the history, not paid by (decisions/0065). Absent or null for the person's own changes.
   */
  mergedFromId: z.string().nullable().optional(),
});
export type GradeChange = z.infer<typeof gradeChangeOut>;
export const gradeChangeList = z.object({ items: z.array(gradeChangeOut) });
export const gradeChangeResult = z.object({
  change: gradeChangeOut,
  beneficiary: beneficiaryDetail,
  /** The back-pay job when the new grade reaches months already paid (benefits, decisions/0056). */
  backPayJobId: z.string().nullable(),
});

export const lookupBody = z.strictObject({ idNumber: idNumberInput });
export const lookupResult = z.object({ found: beneficiaryListItem.nullable(), elsewhere: z.boolean() });

export const revealBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });
export const revealResult = z.object({
  idNumber: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const TRANSFER_STATUSES = ['pending', 'accepted', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const transferSchema = z.object({
  id: z.string(),
  beneficiaryId: z.string(),
  beneficiaryName: z.string(),
  idMasked: z.string(),
  fromOrgId: z.string(),
  fromOrgName: z.string(),
  toOrgId: z.string(),
  toOrgName: z.string(),
  status: z.enum(TRANSFER_STATUSES),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  abilities: z.object({ accept: z.boolean(), reject: z.boolean() }),
});
export type Transfer = z.infer<typeof transferSchema>;
export const transferPage = pageOf(transferSchema);
export const transferListQuery = z.strictObject({ ...pageQuery, status: z.enum(TRANSFER_STATUSES).optional() });
export const createTransferBody = z.strictObject({
  idNumber: idNumberInput,
  toOrgId: idSchema,
  reason: z.string().trim().min(2).max(200),
});
export const decideTransferBody = z.strictObject({ note: z.string().trim().max(200).optional() });

export const mergeBody = z.strictObject({ mergedId: idSchema });
export const mergeResult = z.object({
  id: z.string(),
  survivorId: z.string(),
  mergedId: z.string(),
  undone: z.boolean().optional(),
});

export const importQuery = z.strictObject({
  orgId: idSchema,
  fileName: z.string().trim().min(1).max(200),
});

export const exportBody = z.strictObject({
  filters: beneficiaryListQuery
    .omit({ page: true, pageSize: true, sort: true, order: true, after: true, exact: true })
    .partial()
    .default({}),
  /** Only these rows (the selection on the list), within the filters and the caller's scope. */
  ids: z.array(idSchema).min(1).max(500).optional(),
  reveal: z.boolean().default(false),
  reason: z.string().trim().min(2).max(200).optional(),
});
