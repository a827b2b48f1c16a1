import type {
  AssignmentDetail,
  AssignmentListItem,
  assignmentListQuery,
  CampaignAction,
  CampaignDashboard,
  CampaignDetail,
  CampaignKind,
  CampaignListItem,
  CampaignReminder,
  CreateCampaignBody,
  campaignFileSchema,
  campaignListQuery,
  Inspection,
  ParsedNoticeProposal,
  reviewManyResult,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { t } from '../i18n';
import { api, type Page, type QueryOf, type RequestOptions, request } from './client';
import { downloadFile } from './files';

export type {
  AssignmentDetail,
  AssignmentListItem,
  CampaignDashboard,
  CampaignDetail,
  CampaignListItem,
  CampaignReminder,
  CreateCampaignBody,
  Inspection,
  ParsedNoticeProposal,
};

export type CampaignQuery = QueryOf<typeof campaignListQuery>;
export type AssignmentQuery = QueryOf<typeof assignmentListQuery>;
export type CampaignFile = z.infer<typeof campaignFileSchema>;
export type ReviewManyResult = z.infer<typeof reviewManyResult>;
type Signal = Pick<RequestOptions, 'signal'>;

const c = (id: string, rest = '') => `/campaigns/${encodeURIComponent(id)}${rest}`;
const a = (id: string, rest = '') => `/assignments/${encodeURIComponent(id)}${rest}`;

export const campaignsApi = {
  parse: (text: string) => api.post<ParsedNoticeProposal>('/campaigns/parse-notice', { text }),
  metrics: () => api.get<{ key: string; label: string }[]>('/campaign-metrics'),
  list: (q: CampaignQuery, o?: Signal) => api.get<Page<CampaignListItem>>('/campaigns', { ...q }, o),
  get: (id: string, o?: Pick<RequestOptions, 'signal' | 'quiet'>) => api.get<CampaignDetail>(c(id), undefined, o),
  create: (body: CreateCampaignBody) => api.post<CampaignDetail>('/campaigns', body),
  act: (id: string, version: number, action: CampaignAction) =>
    api.post<CampaignDetail>(c(id, '/actions'), { version, action }),
  copy: (id: string, body: { title: string; shiftDays: number; kind?: CampaignKind }) =>
    api.post<CampaignDetail>(c(id, '/copy'), body),
  dashboard: (id: string, o?: Signal) => api.get<CampaignDashboard>(c(id, '/dashboard'), undefined, o),
  reminders: (id: string, o?: Signal) => api.get<CampaignReminder[]>(c(id, '/reminders'), undefined, o),
  nudgeOverdue: (id: string) => api.post<CampaignReminder[]>(c(id, '/nudge-overdue'), {}),
  exportMatrix: (id: string) => downloadFile('GET', c(id, '/matrix.xlsx'), t('wc.file.matrix')),
  exportReport: (id: string) => downloadFile('GET', c(id, '/report.docx'), t('wc.file.report')),
  uploadFile: (id: string, file: File) =>
    request<CampaignFile>('POST', c(id, '/files'), {
      query: { fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  downloadFile: (file: { id: string; name: string }) =>
    downloadFile('GET', `/campaign-files/${encodeURIComponent(file.id)}`, file.name),
  inspections: (id: string, o?: Signal) => api.get<Inspection[]>(c(id, '/inspections'), undefined, o),
  createInspection: (
    id: string,
    body: {
      orgId: string;
      inspectedOn: string;
      inspectors: string;
      findings: string;
      rectifications: { description: string; deadline?: string }[];
    },
  ) => api.post<Inspection>(c(id, '/inspections'), body),
  respondRectification: (id: string, version: number, response: string) =>
    api.post<Inspection>(`/rectifications/${encodeURIComponent(id)}/respond`, { version, response }),
  reviewRectification: (id: string, version: number, decision: 'close' | 'reopen', reason?: string) =>
    api.post<Inspection>(`/rectifications/${encodeURIComponent(id)}/review`, { version, decision, reason }),
};

export const assignmentsApi = {
  list: (q: AssignmentQuery, o?: Signal) => api.get<Page<AssignmentListItem>>('/assignments', { ...q }, o),
  get: (id: string, o?: Pick<RequestOptions, 'signal' | 'quiet'>) => api.get<AssignmentDetail>(a(id), undefined, o),
  saveDraft: (id: string, body: { version: number; narrative?: string; figures?: Record<string, number> }) =>
    request<AssignmentDetail>('PUT', a(id, '/draft'), { body }),
  submit: (
    id: string,
    body: { version: number; narrative: string; figures: Record<string, number>; fileIds: string[] },
  ) => api.post<AssignmentDetail>(a(id, '/submit'), body),
  review: (id: string, version: number, decision: 'accept' | 'return', reason?: string) =>
    api.post<AssignmentDetail>(a(id, '/review'), { version, decision, ...(reason ? { reason } : {}) }),
  /** Several at once; each row succeeds or fails alone (`results` say which and why). */
  reviewMany: (items: { id: string; version: number }[], decision: 'accept' | 'return', reason?: string) =>
    api.post<ReviewManyResult>('/assignments/review', { items, decision, ...(reason ? { reason } : {}) }),
  nudge: (id: string, message?: string) => api.post<CampaignReminder[]>(a(id, '/nudge'), message ? { message } : {}),
  upload: (id: string, file: File) =>
    request<CampaignFile>('POST', a(id, '/files'), {
      query: { fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
};
