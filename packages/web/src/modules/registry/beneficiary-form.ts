import {
  type BeneficiaryDetail,
  type BeneficiaryStatus,
  CATEGORY_BY_CODE,
  type CategoryCode,
  type DisabilityCause,
  normalizeIdNumber,
  normalizePhone,
  type OrgType,
  type RelationCode,
  type SERVICE_MEMBER_KINDS,
} from '@shuangyong/shared';
import type { Dayjs } from 'dayjs';
import type { CreateBeneficiary, UpdateBeneficiary } from '../../api/beneficiaries';
import { fromIsoDate, toIsoDate } from '../../lib/dates';

/**
 * The beneficiary form's values and how they map to the API (pure: tested in
 * packages/web/test/beneficiary-form.unit.test.ts). The page and its parts only lay the form out.
 */

/** Beneficiaries are registered under a bureau or a service station (server: beneficiary.orgNotRegistry). */
export const REGISTRY_ORG_TYPES: readonly OrgType[] = ['veterans_bureau', 'service_station'];

/** First segments of the server's field paths the form can show errors on. */
export const FIELD_ROOTS = [
  'orgId',
  'name',
  'idNumber',
  'birthDate',
  'sex',
  'phone',
  'address',
  'categories',
  'status',
  'statusDate',
  'relation',
  'note',
  'serviceMember',
];

export interface CategoryValues {
  code?: CategoryCode;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  disabilityGrade?: number | null;
  disabilityCause?: DisabilityCause | null;
  relation?: RelationCode | null;
  certificateNo?: string;
}

export interface FormValues {
  orgId?: string;
  name?: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  categories: CategoryValues[];
  status: BeneficiaryStatus;
  statusDate?: Dayjs | null;
  relation?: RelationCode | null;
  note?: string;
  withServiceMember?: boolean;
  serviceMember?: {
    name?: string;
    kind?: (typeof SERVICE_MEMBER_KINDS)[number];
    eventDate?: Dayjs | null;
    unitCodeName?: string;
    certificateNo?: string;
  };
}

export type Assignment = NonNullable<CreateBeneficiary['categories']>[number];

const trimmed = (s: string | undefined | null) => s?.trim() || undefined;

export function toAssignment(c: CategoryValues): Assignment {
  const code = c.code as CategoryCode;
  const a: Assignment = { code, startDate: toIsoDate(c.startDate) ?? '' };
  const endDate = toIsoDate(c.endDate);
  if (endDate) a.endDate = endDate;
  if (CATEGORY_BY_CODE[code]?.requiresDisabilityGrade && typeof c.disabilityGrade === 'number')
    a.disabilityGrade = c.disabilityGrade;
  if (CATEGORY_BY_CODE[code]?.requiresDisabilityGrade && c.disabilityCause) a.disabilityCause = c.disabilityCause;
  if (c.relation) a.relation = c.relation;
  const cert = trimmed(c.certificateNo);
  if (cert) a.certificateNo = cert;
  return a;
}

export function fromAssignment(a: BeneficiaryDetail['assignments'][number]): CategoryValues {
  return {
    code: a.code,
    startDate: fromIsoDate(a.startDate) ?? null,
    endDate: fromIsoDate(a.endDate) ?? null,
    disabilityGrade: a.disabilityGrade,
    disabilityCause: a.disabilityCause ?? null,
    relation: a.relation,
    certificateNo: a.certificateNo ?? undefined,
  };
}

/** Comparable form of an assignment list (order matters, absent = null). */
export function assignmentKey(list: readonly Assignment[]): string {
  return JSON.stringify(
    list.map((a) => [
      a.code,
      a.startDate || null,
      a.endDate ?? null,
      a.disabilityGrade ?? null,
      a.disabilityCause ?? null,
      a.relation ?? null,
      a.certificateNo ?? null,
    ]),
  );
}

/** The form's starting values: the record's, or an empty form under the user's own org when it registers people. */
export function initialValuesOf(detail: BeneficiaryDetail | undefined, org: { id: string; type: OrgType }): FormValues {
  return detail
    ? {
        orgId: detail.orgId,
        name: detail.name,
        categories: detail.assignments.map(fromAssignment),
        status: detail.status,
        statusDate: fromIsoDate(detail.statusDate) ?? null,
        relation: detail.relation,
        note: detail.note ?? undefined,
      }
    : {
        orgId: REGISTRY_ORG_TYPES.includes(org.type) ? org.id : undefined,
        categories: [{}],
        status: 'active',
      };
}

/** A phone as the server stores it (normalised when it can be), or the text as typed. */
function phoneOf(v: FormValues): string | undefined {
  const phone = trimmed(v.phone);
  if (!phone) return undefined;
  const r = normalizePhone(phone);
  return r.ok ? r.value : phone;
}

/** The body of a new registration. */
export function createBodyOf(v: FormValues): CreateBeneficiary {
  const id = normalizeIdNumber(v.idNumber ?? '');
  const sm = v.serviceMember;
  const phone = phoneOf(v);
  const statusDate = toIsoDate(v.statusDate);
  return {
    orgId: v.orgId ?? '',
    name: (v.name ?? '').trim(),
    idNumber: id.ok ? id.value : (v.idNumber ?? ''),
    categories: v.categories.map(toAssignment),
    status: v.status,
    ...(phone ? { phone } : {}),
    ...(trimmed(v.address) ? { address: trimmed(v.address) } : {}),
    ...(statusDate ? { statusDate } : {}),
    ...(v.relation ? { relation: v.relation } : {}),
    ...(trimmed(v.note) ? { note: trimmed(v.note) } : {}),
    ...(v.withServiceMember && sm?.kind && trimmed(sm.name)
      ? {
          serviceMember: {
            name: (sm.name ?? '').trim(),
            kind: sm.kind,
            ...(toIsoDate(sm.eventDate) ? { eventDate: toIsoDate(sm.eventDate) } : {}),
            ...(trimmed(sm.unitCodeName) ? { unitCodeName: trimmed(sm.unitCodeName) } : {}),
            ...(trimmed(sm.certificateNo) ? { certificateNo: trimmed(sm.certificateNo) } : {}),
          },
        }
      : {}),
  };
}

/**
 * The changes of an edit, with the record's version; only what differs is sent. Null when nothing
 * changed. An empty phone or address keeps the stored one (the form cannot show it unmasked).
 */
export function patchOf(detail: BeneficiaryDetail, v: FormValues): UpdateBeneficiary | null {
  const patch: UpdateBeneficiary = { version: detail.version };
  if (v.orgId && v.orgId !== detail.orgId) patch.orgId = v.orgId;
  if (v.name && v.name.trim() !== detail.name) patch.name = v.name.trim();
  const phone = phoneOf(v);
  if (phone) patch.phone = phone;
  if (trimmed(v.address)) patch.address = trimmed(v.address);
  const categories = v.categories.map(toAssignment);
  const before = detail.assignments.map((a) => toAssignment(fromAssignment(a)));
  if (assignmentKey(categories) !== assignmentKey(before)) patch.categories = categories;
  if (v.status !== detail.status) patch.status = v.status;
  const statusDate = toIsoDate(v.statusDate) ?? null;
  if (statusDate !== detail.statusDate) patch.statusDate = statusDate;
  if ((v.relation ?? null) !== detail.relation) patch.relation = v.relation ?? null;
  const note = trimmed(v.note) ?? null;
  if (note !== detail.note) patch.note = note;
  return Object.keys(patch).length === 1 ? null : patch;
}
