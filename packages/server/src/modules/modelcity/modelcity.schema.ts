import type { Bool } from '../../platform/db/schema.js';

/** Tables of the model-city module (migration 0022_modelcity), merged into the Database interface below. */
export interface ModelcityRoundsTable {
  id: string;
  name: string;
  period_start: string;
  period_end: string;
  is_example: Bool;
  created_at: string;
}

export interface ModelcityStandardsTable {
  id: string;
  round_id: string;
  seq: number;
  title: string;
}

export interface ModelcityItemsTable {
  id: string;
  round_id: string;
  standard_id: string;
  seq: number;
  content: string;
  rule: string;
  /** Hundredths of a point. */
  points: number;
}

export interface ModelcityElementsTable {
  id: string;
  round_id: string;
  item_id: string;
  seq: number;
  text: string;
  points: number;
  /** Comma-separated EvidenceKind values. */
  evidence_kinds: string;
  min_count: number;
}

export interface ModelcityVetoesTable {
  id: string;
  round_id: string;
  seq: number;
  text: string;
}

export interface ModelcityEvidenceTable {
  id: string;
  round_id: string;
  element_id: string;
  org_id: string;
  org_path: string;
  source_kind: string;
  source_id: string | null;
  doc_type: string | null;
  title: string;
  evidence_date: string;
  file_name: string | null;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  created_by: string;
  created_at: string;
}

/** Who answers for an item (migration 0029): a lead org and co-owners, the work a campaign task. */
export interface ModelcityOwnersTable {
  id: string;
  round_id: string;
  item_id: string;
  org_id: string;
  org_path: string;
  role: 'lead' | 'co';
  deadline: string;
  task_id: string | null;
  created_by: string;
  created_at: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    modelcity_rounds: ModelcityRoundsTable;
    modelcity_standards: ModelcityStandardsTable;
    modelcity_items: ModelcityItemsTable;
    modelcity_elements: ModelcityElementsTable;
    modelcity_vetoes: ModelcityVetoesTable;
    modelcity_evidence: ModelcityEvidenceTable;
    modelcity_owners: ModelcityOwnersTable;
  }
}
