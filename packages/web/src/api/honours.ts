import type { CategoryCode } from '@shuangyong/shared';
import type { PlaqueStatus } from './beneficiaries';
import { api, type Page } from './client';

export const PLAQUE_EVENT_KINDS = ['issued', 'reissued', 'replaced', 'taken_back', 'cancelled', 'reinstated'] as const;
export type PlaqueEventKind = (typeof PLAQUE_EVENT_KINDS)[number];

export const PLAQUE_REASONS = [
  'criminal_penalty',
  'public_security_penalty',
  'expelled',
  'dishonest_list',
  'disruptive_petition',
  'damaged_honour',
] as const;
export type PlaqueReason = (typeof PLAQUE_REASONS)[number];

export const AWARD_LEVELS = ['bayi_medal', 'honour_title', 'first_class', 'second_class', 'third_class'] as const;
export type AwardLevel = (typeof AWARD_LEVELS)[number];

/** The 立功喜报 workflow, in order. */
export const CITATION_STATUSES = ['received', 'registered', 'address_verified', 'delivered', 'reported'] as const;
export type CitationStatus = (typeof CITATION_STATUSES)[number];

/** The step that moves a citation out of each status. */
export const CITATION_STEPS = ['register', 'verify_address', 'deliver', 'report'] as const;
export type CitationStep = (typeof CITATION_STEPS)[number];

export interface HouseholdListItem {
  id: string;
  orgName: string;
  addressMasked: string | null;
  members: string[];
  plaqueStatus: PlaqueStatus;
  plaqueEligible: boolean;
}

export interface HouseholdQuery {
  page: number;
  pageSize: number;
  plaqueEligible?: boolean;
  plaqueStatus?: PlaqueStatus;
  orgId?: string;
}

export interface PlaqueEvent {
  id: string;
  kind: PlaqueEventKind;
  eventDate: string;
  reason: PlaqueReason | null;
  hungBy: string | null;
  note: string | null;
  createdAt: string;
}

export interface Couplet {
  year: number;
  deliveredAt: string | null;
  deliveredBy: string | null;
}

export interface Citation {
  id: string;
  householdId?: string;
  memberName: string;
  unitCodeName: string | null;
  awardLevel: AwardLevel;
  awardYear: number | null;
  status: CitationStatus;
  receivedAt: string | null;
  registerDeadline: string | null;
  registeredAt: string | null;
  addressVerifiedAt: string | null;
  deliveredAt: string | null;
  /** Who delivered it: text, or a list of names. */
  deliverers: string | string[] | null;
  /** Integer fen. */
  rewardFen: number | null;
  reportedAt: string | null;
  /** Past the register deadline and not registered (computed by the server in working days). */
  overdue?: boolean;
  version?: number;
}

export interface HouseholdMember {
  id: string;
  name: string;
  categories: CategoryCode[];
}

export interface Household {
  id: string;
  orgName: string;
  addressMasked: string | null;
  /** The brief: the people; `schemas/honours.ts`: their names, the people under `people`. */
  members: HouseholdMember[] | string[];
  people?: HouseholdMember[];
  plaqueStatus: PlaqueStatus;
  plaqueEligible: boolean;
  plaqueEvents: PlaqueEvent[];
  couplets: Couplet[];
  citations: Citation[];
  version: number;
}

export interface NewPlaqueEvent {
  kind: PlaqueEventKind;
  eventDate: string;
  hungBy?: string;
  reason?: PlaqueReason;
  note?: string;
}

export interface NewCouplet {
  year: number;
  deliveredAt: string;
  deliveredBy?: string;
}

export interface NewCitation {
  householdId: string;
  memberName: string;
  unitCodeName?: string;
  awardLevel: AwardLevel;
  awardYear: number;
  receivedAt: string;
  rewardFen?: number;
}

export interface AdvanceCitation {
  /** The citation's version (optimistic locking). */
  version?: number;
  step: CitationStep;
  date: string;
  deliverers?: string;
  rewardFen?: number;
}

/** The people of a household, whichever shape the answer has. */
export function householdPeople(h: Household): HouseholdMember[] {
  if (h.people) return h.people;
  return h.members.filter((m): m is HouseholdMember => typeof m === 'object' && m !== null);
}

const hh = (id: string, rest = '') => `/households/${encodeURIComponent(id)}${rest}`;

export const householdsApi = {
  list: (query: HouseholdQuery) => api.get<Page<HouseholdListItem>>('/households', { ...query }),
  get: (id: string, quiet = false) => api.get<Household>(hh(id), undefined, { quiet }),
  addPlaqueEvent: (id: string, body: NewPlaqueEvent) => api.post<unknown>(hh(id, '/plaque-events'), body),
  addCouplet: (id: string, body: NewCouplet) => api.post<unknown>(hh(id, '/couplets'), body),
};

export const citationsApi = {
  create: (body: NewCitation) => api.post<Citation>('/citations', body),
  advance: (id: string, body: AdvanceCitation) =>
    api.post<Citation>(`/citations/${encodeURIComponent(id)}/advance`, body),
};
