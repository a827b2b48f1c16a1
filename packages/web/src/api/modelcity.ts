import type {
  assignItemBody,
  ElementReadiness,
  EvidenceDocType,
  EvidenceSuggestion,
  ItemOwner,
  ModelEvidence,
  Readiness,
  Responsibility,
  tagEvidenceBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type RequestOptions, request } from './client';
import { downloadFile } from './files';

export type {
  ElementReadiness,
  EvidenceDocType,
  EvidenceSuggestion,
  ItemOwner,
  ModelEvidence,
  Readiness,
  Responsibility,
};

type Signal = Pick<RequestOptions, 'signal'>;

/** 创建全国双拥模范城: readiness, evidence, the binder. */
export const modelcityApi = {
  readiness: (o?: Signal) => api.get<Readiness>('/modelcity/readiness', undefined, o),
  suggestions: (o?: Signal) => api.get<{ items: EvidenceSuggestion[] }>('/modelcity/suggestions', undefined, o),
  tag: (body: z.input<typeof tagEvidenceBody>) => api.post<ModelEvidence>('/modelcity/evidence', body),
  upload: (q: { elementId: string; docType: EvidenceDocType; date: string; title: string }, file: File) =>
    request<ModelEvidence>('POST', '/modelcity/evidence/upload', {
      query: { ...q, fileName: file.name },
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
  remove: (id: string, reason: string) =>
    api.post<void>(`/modelcity/evidence/${encodeURIComponent(id)}/remove`, { reason }),
  downloadEvidence: (e: ModelEvidence) =>
    downloadFile('GET', `/modelcity/evidence/${encodeURIComponent(e.id)}/file`, e.fileName ?? e.title),
  assign: (itemId: string, body: z.input<typeof assignItemBody>) =>
    api.post<{ items: ItemOwner[] }>(`/modelcity/items/${encodeURIComponent(itemId)}/owners`, body),
  responsibilities: (o?: Signal) => api.get<{ items: Responsibility[] }>('/modelcity/responsibilities', undefined, o),
  binder: (fallback: string) => downloadFile('GET', '/modelcity/binder.docx', fallback),
  selfAssessment: (fallback: string) => downloadFile('GET', '/modelcity/self-assessment.xlsx', fallback),
};
