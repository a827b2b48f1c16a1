import type {
  AssignmentDetail,
  AssignmentListItem,
  CampaignAction,
  CampaignDashboard,
  CampaignDetail,
  CampaignKind,
  CampaignListItem,
  CampaignReminder,
  CampaignStatus,
  CreateCampaignBody,
  DisplayStatus,
  Inspection,
  ParsedNoticeProposal,
} from '@shuangyong/shared';
import { api, type Page, request } from '../../api/client';
import { downloadFile } from '../../api/files';
import { t } from '../../i18n';

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

export interface CampaignQuery {
  page: number;
  pageSize: number;
  status?: CampaignStatus;
  kind?: CampaignKind;
  q?: string;
}

export interface AssignmentQuery {
  page: number;
  pageSize: number;
  campaignId?: string;
  status?: DisplayStatus;
}

export interface CampaignFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  createdAt: string;
}

const c = (id: string, rest = '') => `/campaigns/${encodeURIComponent(id)}${rest}`;
const a = (id: string, rest = '') => `/assignments/${encodeURIComponent(id)}${rest}`;

export const campaignsApi = {
  parse: (text: string) => api.post<ParsedNoticeProposal>('/campaigns/parse-notice', { text }),
  metrics: () => api.get<{ key: string; label: string }[]>('/campaign-metrics'),
  list: (q: CampaignQuery) => api.get<Page<CampaignListItem>>('/campaigns', { ...q }),
  get: (id: string, quiet = false) => api.get<CampaignDetail>(c(id), undefined, { quiet }),
  create: (body: CreateCampaignBody) => api.post<CampaignDetail>('/campaigns', body),
  act: (id: string, version: number, action: CampaignAction) =>
    api.post<CampaignDetail>(c(id, '/actions'), { version, action }),
  copy: (id: string, body: { title: string; shiftDays: number; kind?: CampaignKind }) =>
    api.post<CampaignDetail>(c(id, '/copy'), body),
  dashboard: (id: string) => api.get<CampaignDashboard>(c(id, '/dashboard')),
  reminders: (id: string) => api.get<CampaignReminder[]>(c(id, '/reminders')),
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
  inspections: (id: string) => api.get<Inspection[]>(c(id, '/inspections')),
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
  list: (q: AssignmentQuery) => api.get<Page<AssignmentListItem>>('/assignments', { ...q }),
  get: (id: string, quiet = false) => api.get<AssignmentDetail>(a(id), undefined, { quiet }),
  saveDraft: (id: string, body: { version: number; narrative?: string; figures?: Record<string, number> }) =>
    request<AssignmentDetail>('PUT', a(id, '/draft'), { body }),
  submit: (
    id: string,
    body: { version: number; narrative: string; figures: Record<string, number>; fileIds: string[] },
  ) => api.post<AssignmentDetail>(a(id, '/submit'), body),
  review: (id: string, version: number, decision: 'accept' | 'return', reason?: string) =>
    api.post<AssignmentDetail>(a(id, '/review'), { version, decision, ...(reason ? { reason } : {}) }),
  nudge: (id: string, message?: string) => api.post<CampaignReminder[]>(a(id, '/nudge'), message ? { message } : {}),
  upload: (id: string, file: File) =>
    request<CampaignFile>('POST', a(id, '/files'), {
      query: { fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
};
