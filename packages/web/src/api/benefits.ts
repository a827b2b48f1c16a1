import type {
  accountOut,
  BenefitStandard,
  BenefitStandardBody,
  benefitTotals,
  ConfirmationBody,
  confirmationSchema,
  Discrepancy,
  DiscrepancyOwners,
  discrepancyListQuery,
  Roster,
  rosterListQuery,
  unconfirmedList,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';
import { downloadFile } from './files';

export type { BenefitStandard, ConfirmationBody, Discrepancy, DiscrepancyOwners, Roster };
export type BenefitAccountOut = z.infer<typeof accountOut>;
export type Confirmation = z.infer<typeof confirmationSchema>;
export type Unconfirmed = z.infer<typeof unconfirmedList>['items'][number];
export type RosterQuery = QueryOf<typeof rosterListQuery>;
export type DiscrepancyQuery = QueryOf<typeof discrepancyListQuery>;
type Signal = Pick<RequestOptions, 'signal'>;

export interface RosterLine {
  id: string;
  beneficiaryId: string;
  name: string;
  idMasked: string;
  month: string;
  benefitType: BenefitStandard['benefitType'];
  kind: 'regular' | 'backpay';
  amountFen: number;
  accountMasked: string | null;
}

export interface ReconcileResult {
  rosterId: string;
  returnLines: number;
  paidFen: number;
  discrepancies: Record<string, number>;
}

/** The reconciliation job as polled: progress while it runs, the result when it succeeded. */
export interface BackpayJob {
  id: string;
  status: ReconcileJob['status'];
  total: number | null;
  processed: number | null;
  /** `overpaid…`: a grade lowered late, months paid more than is due now (decisions/0065). */
  result: {
    lines: number;
    owedFen: number;
    months: number;
    overpaidCases?: number;
    overpaidFen?: number;
    backpayCutFen?: number;
  } | null;
  error: string | null;
}

export interface ReconcileJob {
  id: string;
  status: 'queued' | 'validating' | 'validated' | 'committing' | 'succeeded' | 'failed';
  total: number | null;
  processed: number | null;
  result: ReconcileResult | null;
  error: string | null;
}

/** A contact line of the 明白卡: a district's (its path) or the city's default (path ''). */
export interface CardContact {
  path: string;
  name: string;
  text: string;
}

const roster = (id: string, rest = '') => `/benefit-rosters/${encodeURIComponent(id)}${rest}`;

/** 政策待遇落实: standards, rosters, the bank list, return files, discrepancies. */
export const benefitsApi = {
  /** The 明白卡's policy contact lines (decisions/0065): the districts in scope, and the city's default ('' path) city-wide. */
  cardContacts: (o?: Signal) => api.get<{ items: CardContact[] }>('/benefit-settings/card-contacts', undefined, o),
  /** Sets some lines; an empty text removes one (the card falls back to the city's default). */
  setCardContacts: (contacts: Record<string, string>) =>
    api.put<{ items: CardContact[] }>('/benefit-settings/card-contacts', { contacts }),
  standards: (o?: Signal) => api.get<{ items: BenefitStandard[] }>('/benefit-standards', undefined, o),
  createStandard: (body: BenefitStandardBody) =>
    api.post<{ standard: BenefitStandard; backPayJobId: string | null }>('/benefit-standards', body),
  rosters: (q: RosterQuery, o?: Signal) => api.get<Page<Roster>>('/benefit-rosters', { ...q }, o),
  createRoster: (period: string) => api.post<Roster>('/benefit-rosters', { period }),
  lines: (id: string, page: number, pageSize: number, o?: Signal) =>
    api.get<Page<RosterLine>>(roster(id, '/lines'), { page, pageSize }, o),
  request: (r: Roster) => api.post<Roster>(roster(r.id, '/request'), { version: r.version }),
  decide: (r: Roster, decision: 'approve' | 'return') =>
    api.post<Roster>(roster(r.id, '/decision'), { version: r.version, decision }),
  bankList: (r: Roster) => downloadFile('GET', roster(r.id, '/bank-list'), `${r.orgName}${r.period}.xlsx`),
  /** Uploads the return file; the server reconciles it as a job (202 → the job to poll). */
  importReturn: (r: Roster, file: File) =>
    request<{ id: string }>('POST', roster(r.id, '/return'), {
      query: { fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  job: (id: string) => api.get<ReconcileJob>(`/jobs/${encodeURIComponent(id)}`),
  /** The back-pay job a retroactive standard queued (decisions/0052). */
  backpayJob: (id: string, o?: Signal) => api.get<BackpayJob>(`/jobs/${encodeURIComponent(id)}`, undefined, o),
  card: (beneficiaryId: string, month: string, name: string, format: 'docx' | 'pdf' = 'docx') =>
    downloadFile('GET', '/benefit-entitlements/card', `${name}${month}.${format}`, {
      query: { beneficiaryId, month, format },
    }),
  importStandards: (file: File) =>
    request<{
      created: number;
      errors: { row: number; message: string }[];
      backPayJobId: string | null;
    }>('POST', '/benefit-standards/import', { raw: { body: file, contentType: 'application/octet-stream' } }),
  discrepancies: (q: DiscrepancyQuery, o?: Signal) => api.get<Page<Discrepancy>>('/benefit-discrepancies', { ...q }, o),
  close: (d: Discrepancy, resolution: 'paid' | 'recovered' | 'explained', note: string) =>
    api.post<Discrepancy>(`/benefit-discrepancies/${encodeURIComponent(d.id)}/close`, {
      version: d.version,
      resolution,
      note,
    }),
  /** Who an open discrepancy may be given to (orgs, and their payment staff). */
  owners: (d: Discrepancy, o?: Signal) =>
    api.get<DiscrepancyOwners>(`/benefit-discrepancies/${encodeURIComponent(d.id)}/owners`, undefined, o),
  /** Reassigns an open discrepancy; the deadline stands. */
  assign: (d: Discrepancy, b: { ownerOrgId: string; ownerUserId?: string | null; note?: string }) =>
    api.post<Discrepancy>(`/benefit-discrepancies/${encodeURIComponent(d.id)}/assign`, { version: d.version, ...b }),
  /** Per district and period: owed, paid, problems open and closed (month over month). */
  totals: (from: string, to: string, o?: Signal) =>
    api.get<z.infer<typeof benefitTotals>>('/benefit-totals', { from, to }, o),
  account: (beneficiaryId: string, o?: Signal) =>
    api.get<BenefitAccountOut>(`/benefit-accounts/${encodeURIComponent(beneficiaryId)}`, undefined, o),
  saveAccount: (beneficiaryId: string, body: { bankName: string; accountNo: string }) =>
    request<BenefitAccountOut>('PUT', `/benefit-accounts/${encodeURIComponent(beneficiaryId)}`, { body }),
  revealAccount: (beneficiaryId: string, reason: string) =>
    api.post<{ bankName: string; accountNo: string }>(`/benefit-accounts/${encodeURIComponent(beneficiaryId)}/reveal`, {
      reason,
    }),
  /** People of the caller's district owed something in `month` but held for want of this year's 年度确认. */
  unconfirmed: (month: string, o?: Signal) =>
    api.get<{ month: string; items: Unconfirmed[] }>('/benefit-confirmations/missing', { month }, o),
  confirmations: (year: number, o?: Signal) =>
    api.get<{ items: Confirmation[] }>('/benefit-confirmations', { year }, o),
  /** Quiet: the page names whom a batch could not confirm, in one message. */
  confirm: (body: ConfirmationBody) =>
    api.post<{ confirmation: Confirmation; backPayJobId: string | null }>('/benefit-confirmations', body, {
      quiet: true,
    }),
};
