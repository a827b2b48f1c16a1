import type {
  AWARD_LEVELS,
  advanceCitationBody,
  CITATION_STATUSES,
  CITATION_STEPS,
  citationListItem,
  citationListQuery,
  citationSchema,
  coupletBody,
  createCitationBody,
  householdDetail,
  householdListItem,
  householdListQuery,
  PLAQUE_CANCEL_REASONS,
  PLAQUE_EVENT_KINDS,
  plaqueEventBody,
  plaqueEventSchema,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions } from './client';

export type PlaqueEventKind = (typeof PLAQUE_EVENT_KINDS)[number];
export type PlaqueReason = (typeof PLAQUE_CANCEL_REASONS)[number];
export type AwardLevel = (typeof AWARD_LEVELS)[number];
export type CitationStatus = (typeof CITATION_STATUSES)[number];
export type CitationStep = (typeof CITATION_STEPS)[number];

export type HouseholdListItem = z.infer<typeof householdListItem>;
export type HouseholdQuery = QueryOf<typeof householdListQuery>;
export type Household = z.infer<typeof householdDetail>;
export type HouseholdMember = Household['people'][number];
export type PlaqueEvent = z.infer<typeof plaqueEventSchema>;
export type Couplet = Household['couplets'][number];
export type Citation = z.infer<typeof citationSchema>;
export type CitationListItem = z.infer<typeof citationListItem>;
export type CitationQuery = QueryOf<typeof citationListQuery>;

export type NewPlaqueEvent = z.input<typeof plaqueEventBody>;
export type NewCouplet = z.input<typeof coupletBody>;
export type NewCitation = z.input<typeof createCitationBody>;
export type AdvanceCitation = z.input<typeof advanceCitationBody>;

type Signal = Pick<RequestOptions, 'signal'>;
const hh = (id: string, rest = '') => `/households/${encodeURIComponent(id)}${rest}`;

export const householdsApi = {
  list: (query: HouseholdQuery, o?: Signal) => api.get<Page<HouseholdListItem>>('/households', { ...query }, o),
  get: (id: string, o?: Pick<RequestOptions, 'signal' | 'quiet'>) => api.get<Household>(hh(id), undefined, o),
  addPlaqueEvent: (id: string, body: NewPlaqueEvent) => api.post<unknown>(hh(id, '/plaque-events'), body),
  addCouplet: (id: string, body: NewCouplet) => api.post<unknown>(hh(id, '/couplets'), body),
};

export const citationsApi = {
  list: (query: CitationQuery, o?: Signal) => api.get<Page<CitationListItem>>('/citations', { ...query }, o),
  create: (body: NewCitation) => api.post<Citation>('/citations', body),
  advance: (id: string, body: AdvanceCitation) =>
    api.post<Citation>(`/citations/${encodeURIComponent(id)}/advance`, body),
};
