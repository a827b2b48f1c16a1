import type {
  assignVisitTargetsBody,
  BudgetLine,
  capWarningSchema,
  coverageSchema,
  createVisitPlanBody,
  createVisitTeamBody,
  SpendingCell,
  StandingCaps,
  Visit,
  VisitCampaign,
  VisitCaps,
  VisitPhoto,
  VisitPlan,
  VisitTarget,
  visitCapsBody,
  visitConflictSchema,
  visitTeamSchema,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { offlineCache } from '../lib/offline';
import { api, type Page, type RequestOptions, request } from './client';

export type CapWarning = z.infer<typeof capWarningSchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type Team = z.infer<typeof visitTeamSchema>;
export type Conflict = z.infer<typeof visitConflictSchema>;
export type PlanListItem = Omit<VisitPlan, 'rules' | 'letterTemplate' | 'caps'>;
export type NewPlan = z.input<typeof createVisitPlanBody>;
export type NewTeam = z.input<typeof createVisitTeamBody>;
export type AssignTargets = z.input<typeof assignVisitTargetsBody>;
export type { BudgetLine, SpendingCell, VisitCaps };
/** The caps as the city sets them (fen; null: no limit); `version` of the stored row, when there is one. */
export type CapsBody = z.input<typeof visitCapsBody>;
export type ApprovalFilter = 'pending' | 'approved' | 'rejected';
type Signal = Pick<RequestOptions, 'signal'>;

export const visitsApi = {
  /** Errors are the picker's to show (offline it falls back to the last list). */
  campaigns: () => api.get<{ items: VisitCampaign[] }>('/visit-campaigns', undefined, { expected: () => true }),
  plans: (campaignId?: string, o?: Signal) =>
    api.get<Page<PlanListItem>>('/visit-plans', { campaignId, pageSize: 100 }, o),
  plan: (id: string, o?: Signal) => api.get<VisitPlan>(`/visit-plans/${id}`, undefined, o),
  createPlan: (body: NewPlan) => api.post<VisitPlan>('/visit-plans', body),
  targets: (planId: string, page: number, o?: Signal) =>
    api.get<Page<VisitTarget>>(`/visit-plans/${planId}/targets`, { page, pageSize: 20 }, o),
  conflicts: (planId: string, o?: Signal) =>
    api.get<{ items: Conflict[] }>(`/visit-plans/${planId}/conflicts`, undefined, o),
  confirm: (planId: string, version: number, dropConflicts?: boolean) =>
    api.post<VisitPlan>(`/visit-plans/${planId}/confirm`, { version, dropConflicts }),
  teams: (planId: string, o?: Signal) => api.get<{ items: Team[] }>(`/visit-plans/${planId}/teams`, undefined, o),
  createTeam: (planId: string, body: NewTeam) => api.post<Team>(`/visit-plans/${planId}/teams`, body),
  assign: (planId: string, body: AssignTargets) =>
    api.post<{ assigned: number }>(`/visit-plans/${planId}/assign`, body),
  letters: (planId: string) => api.post<{ id: string }>(`/visit-plans/${planId}/letters`),
  fieldTargets: (campaignId: string, q?: string) =>
    api.get<Page<VisitTarget>>('/visit-targets', { campaignId, q, pageSize: 50 }),
  check: (body: { targetId: string; cashFen: number; goodsFen: number }) =>
    api.post<{ warnings: CapWarning[]; needsApproval: boolean }>('/visits/check', body, { quiet: true }),
  /** Quiet: the form decides what a failure means (offline → keep the draft). */
  record: (body: unknown) => request<Visit>('POST', '/visits', { body, quiet: true }),
  update: (id: string, body: unknown) => request<Visit>('PATCH', `/visits/${id}`, { body, quiet: true }),
  visit: (id: string) => api.get<Visit>(`/visits/${id}`, undefined, { quiet: true }),
  /** Quiet: the sender decides (a refused photo is reported and dropped, a network failure retried). */
  uploadPhoto: (visitId: string, body: Blob, contentType: string) =>
    request<VisitPhoto>('POST', `/visits/${encodeURIComponent(visitId)}/photos`, {
      raw: { body, contentType },
      quiet: true,
    }),
  /** Errors are the caller's to show (the field form's list stays quiet offline). */
  visits: (campaignId: string) =>
    api.get<Page<Visit>>('/visits', { campaignId, pageSize: 20 }, { expected: () => true }),
  coverage: (campaignId: string, o?: Signal) => api.get<Coverage>('/visit-coverage', { campaignId }, o),
  unvisited: (campaignId: string, o?: Signal) =>
    api.get<Page<VisitTarget>>('/visit-coverage/unvisited', { campaignId, pageSize: 20 }, o),
  /** The targets of a campaign behind a coverage cell (district and category; visited or not). */
  filteredTargets: (
    q: { campaignId: string; orgId?: string; category?: string; unvisited?: string; page: number },
    o?: Signal,
  ) => api.get<Page<VisitTarget>>('/visit-targets', { ...q, pageSize: 20 }, o),
  /** The visits of a campaign recorded on one local day (the cockpit's visits-per-day point). */
  visitsOfDay: (q: { campaignId: string; day: string; page: number }, o?: Signal) =>
    api.get<Page<Visit>>('/visits', { ...q, pageSize: 20 }, o),
  caps: (campaignId: string, o?: Signal) => api.get<VisitCaps>('/visit-caps', { campaignId }, o),
  standingCaps: (o?: Signal) => api.get<StandingCaps>('/visit-caps/standing', {}, o),
  setStandingCaps: (body: StandingCaps) => request<StandingCaps>('PUT', '/visit-caps/standing', { body }),
  setCaps: (body: CapsBody) => request<VisitCaps>('PUT', '/visit-caps', { body }),
  budgetLines: (campaignId: string, o?: Signal) =>
    api.get<{ items: BudgetLine[] }>('/visit-budget-lines', { campaignId }, o),
  createBudgetLine: (body: { campaignId: string; orgId?: string; name: string; budgetFen: number }) =>
    api.post<BudgetLine>('/visit-budget-lines', body),
  updateBudgetLine: (line: Pick<BudgetLine, 'id' | 'version'>, body: { name: string; budgetFen: number }) =>
    request<BudgetLine>('PATCH', `/visit-budget-lines/${encodeURIComponent(line.id)}`, {
      body: { version: line.version, ...body },
    }),
  spending: (campaignId: string, o?: Signal) =>
    api.get<{ byOrg: SpendingCell[]; budgetLines: BudgetLine[] }>('/visit-spending', { campaignId }, o),
  byApproval: (campaignId: string, approval: ApprovalFilter, o?: Signal) =>
    api.get<Page<Visit>>('/visits', { campaignId, approval, pageSize: 100 }, o),
  decide: (visit: Pick<Visit, 'id' | 'version'>, decision: 'approve' | 'reject', note?: string) =>
    api.post<Visit>(`/visits/${encodeURIComponent(visit.id)}/approval`, {
      version: visit.version,
      decision,
      ...(note ? { note } : {}),
    }),
};

/** A visit photo as served (same origin, the session cookie); `thumb`: the 320 px thumbnail. */
export function photoUrl(id: string, thumb = false): string {
  return `/api/v1/visit-photos/${encodeURIComponent(id)}${thumb ? '?thumb=1' : ''}`;
}

const CAMPAIGN_KEY = 'sy.visits.campaign';

/**
 * The campaigns offered to this user; the last list fetched (kept on the phone for this user,
 * lib/offline.ts) stands in while the network is down (the visit form keeps working offline).
 */
export async function loadCampaigns(userId: string): Promise<VisitCampaign[]> {
  try {
    const { items } = await visitsApi.campaigns();
    await offlineCache.remember(userId, 'visit-campaigns', items).catch(() => {});
    // lists kept by earlier versions in localStorage, which a logout did not clear
    localStorage.removeItem(`sy.visits.campaigns.${userId}`);
    return items;
  } catch (err) {
    const kept = await offlineCache.recall<VisitCampaign[]>(userId, 'visit-campaigns').catch(() => null);
    if (kept) return kept.value;
    throw err;
  }
}

/** The campaign last picked in this browser (an id; it may since have gone from the list). */
export function rememberedCampaign(): string | null {
  return localStorage.getItem(CAMPAIGN_KEY);
}
export function rememberCampaign(id: string): void {
  localStorage.setItem(CAMPAIGN_KEY, id);
}

/**
 * The campaign to open with: the remembered one while it is still offered, else the current one
 * (issued, running today, the nearest deadline first), else the next to start, else the newest.
 */
export function defaultCampaign(
  items: readonly VisitCampaign[],
  remembered: string | null,
  today: string,
): VisitCampaign | null {
  const kept = remembered ? items.find((c) => c.id === remembered) : undefined;
  if (kept) return kept;
  const open = items.filter((c) => c.status === 'issued');
  // running today (started, not ended): the one whose deadline comes first
  const current = open
    .filter((c) => (c.periodStart ?? '') <= today && (c.periodEnd ?? '9999') >= today)
    .sort((a, b) => (a.periodEnd ?? '9999').localeCompare(b.periodEnd ?? '9999'));
  if (current[0]) return current[0];
  // none running: the next to start, else the newest still open, else the newest
  const next = open
    .filter((c) => (c.periodStart ?? '') > today)
    .sort((a, b) => (a.periodStart ?? '').localeCompare(b.periodStart ?? ''));
  return next[0] ?? open[0] ?? items[0] ?? null;
}
