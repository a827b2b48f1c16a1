import type {
  assignItemBody,
  binderBody,
  ElementReadiness,
  EvidenceDocType,
  EvidenceSuggestion,
  editItemBody,
  ItemOwner,
  ModelEvidence,
  ModelRound,
  Readiness,
  Responsibility,
  tagEvidenceBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { api, type RequestOptions, request } from './client';
import { downloadFile } from './files';

/** The three files of the binder job. */
export type BinderPart = 'docx' | 'xlsx' | 'zip';

export type {
  ElementReadiness,
  EvidenceDocType,
  EvidenceSuggestion,
  ItemOwner,
  ModelEvidence,
  ModelRound,
  Readiness,
  Responsibility,
};

/** The score of one round in the caller's scope (hundredths of a point). */
export interface TrendPoint {
  round: ModelRound;
  score: number;
  points: number;
}

const round = (roundId?: string) => (roundId ? { roundId } : undefined);

type Signal = Pick<RequestOptions, 'signal'>;

/** 创建全国双拥模范城: readiness, evidence, the binder. */
export const modelcityApi = {
  readiness: (roundId?: string, o?: Signal) => api.get<Readiness>('/modelcity/readiness', round(roundId), o),
  suggestions: (roundId?: string, o?: Signal) =>
    api.get<{ items: EvidenceSuggestion[] }>('/modelcity/suggestions', round(roundId), o),
  rounds: (o?: Signal) => api.get<{ items: ModelRound[] }>('/modelcity/rounds', undefined, o),
  trend: (o?: Signal) => api.get<{ items: TrendPoint[] }>('/modelcity/trend', undefined, o),
  /** The assessment table of a round as the xlsx template to fill in for the next one. */
  template: (fallback: string, roundId?: string) =>
    downloadFile('GET', '/modelcity/table.xlsx', fallback, { query: round(roundId) }),
  importRound: (q: { name: string; periodStart: string; periodEnd: string }, file: File) =>
    request<ModelRound>('POST', '/modelcity/rounds/import', {
      query: q,
      raw: { body: file, contentType: 'application/octet-stream' },
    }),
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
  reassign: (itemId: string, body: z.input<typeof assignItemBody>) =>
    request<{ items: ItemOwner[] }>('PUT', `/modelcity/items/${encodeURIComponent(itemId)}/owners`, { body }),
  /** The city edits an item and its elements (the item's points are their sum). */
  editItem: (itemId: string, body: z.input<typeof editItemBody>) =>
    request<Readiness>('PUT', `/modelcity/items/${encodeURIComponent(itemId)}`, { body }),
  responsibilities: (o?: Signal) => api.get<{ items: Responsibility[] }>('/modelcity/responsibilities', undefined, o),
  /** Starts the binder job: DOCX, self-assessment xlsx and evidence zip of a round and a period. */
  binder: (body: z.input<typeof binderBody>) => request<{ id: string }>('POST', '/modelcity/binder', { body }),
  downloadBinder: (jobId: string, part: BinderPart, fallback: string) =>
    downloadFile('GET', `/modelcity/binder/${encodeURIComponent(jobId)}/${part}`, fallback),
};
