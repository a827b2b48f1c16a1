import { Worker } from 'node:worker_threads';
import {
  type CategoryAssignment,
  certificateNoSchema,
  createRegionMatcher,
  emptyImportResult,
  type ImportErrorKind,
  type ImportRowError,
  matchCategoryDetailed,
  parseDate,
  parseDisabilityCause,
  parseDisabilityGrade,
  parseSex,
  type ImportResult as SharedImportResult,
  t,
} from '@shuangyong/shared';
import type { CryptoProvider } from '../../platform/crypto/index.js';
import {
  fromWorkerFailure,
  locateHeader,
  openTable,
  type TableRow,
  unescapeCell,
  type WorkerFailure,
} from '../../platform/files/index.js';
import { workerEntry, workerReplies } from '../../platform/files/workers.js';
import { type SearchKeys, toSimplified } from '../../platform/text/chinese.js';
import { nameKeys } from '../../platform/text/name-keys.js';
import { tick } from '../../platform/tick.js';
import { type CheckedPerson, checkPerson, type NormalizedPerson } from './normalize.js';
import { idBlindIndex } from './personal-data.js';

/**
 * Version of what the file checks decide for a row (columns, normalisation, region matching, the
 * file's own duplicates, the plan file's lines). Bump it when any of them changes: a plan written
 * under another version is not used and the commit checks the file again.
 */
export const PLAN_VERSION = 3;
/** Rows of the plan a piece: one message from the checks' worker, one register check. */
export const PLAN_BATCH = 500;

/** Header synonyms seen in district spreadsheets (matched after normalisation). */
export const IMPORT_FIELDS = {
  name: ['姓名', '名字', '人员姓名'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码', '身份证', '证件号'],
  phone: ['手机', '手机号', '手机号码', '联系电话', '电话', '联系方式'],
  category: ['类别', '人员类别', '优抚类别', '优抚对象类别', '对象类别'],
  district: ['区', '所在区', '所属区', '区县', '行政区'],
  street: ['街道', '所属街道', '街道乡镇', '乡镇', '街道镇'],
  community: ['社区', '所属社区', '社区村', '村', '村社区'],
  address: ['住址', '地址', '家庭住址', '现住址', '居住地址'],
  birthDate: ['出生日期', '出生年月', '出生年月日'],
  sex: ['性别'],
  disabilityGrade: ['伤残等级', '残疾等级'],
  disabilityCause: ['伤残性质', '残疾性质', '致残性质'],
  gradeDate: ['等级调整决定日期', '调整等级决定日期', '评残决定日期'],
  gradeDocumentNo: ['等级调整文号', '调整等级文号', '评残文号'],
  startDate: ['认定日期', '起始日期', '开始日期'],
  note: ['备注'],
} as const;
export type Field = keyof typeof IMPORT_FIELDS;
export const label = (f: Field) => IMPORT_FIELDS[f][0];

export type RowError = ImportRowError;
/** The job's result (a record, as every job result is). */
export type ImportResult = SharedImportResult & Record<string, unknown>;

/** A grade change the commit records through `GradeChangesService.recordIn`. */
export interface GradeChangeBody {
  code: CategoryAssignment['code'];
  effectiveDate: string;
  disabilityGrade: number;
  disabilityCause?: NonNullable<CategoryAssignment['disabilityCause']>;
  documentNo: string;
}

export interface PlannedRow {
  rowNumber: number;
  person: NormalizedPerson;
  org: { id: string; path: string };
  bi: string;
  /** 备注, as written (an apostrophe our export put before a formula-like text is taken off). */
  note: string | null;
  existingId?: string;
  /** 等级调整决定日期 and 等级调整文号, as checked (a registered person's differing grade needs both). */
  decision: { date: string | null; documentNo: string | null };
  /** For an update: only what differs from the stored person. */
  changes?: { phone?: string; address?: string; note?: string };
  /** For an update: the grade changes to record (decisions/0065), checked as the person's form checks them. */
  gradeChanges?: GradeChangeBody[];
}

/** A row of the error report: its cells and why it was not imported. */
export interface ErrorRow {
  row: number;
  kind: ImportErrorKind;
  cells: string[];
  reasons: string[];
}

/** The counts, errors and error-report rows of a check, and the two ways a row fails. */
export function newFindings() {
  const result: ImportResult = emptyImportResult();
  const errors: RowError[] = [];
  const errorRows: ErrorRow[] = [];
  return {
    result,
    /** Every error (the result lists the first 500 in order). */
    errors,
    errorRows,
    fail(row: Pick<TableRow, 'rowNumber' | 'cells'>, errs: { field: string; message: string }[]) {
      result.invalid++;
      for (const e of errs) errors.push({ row: row.rowNumber, kind: 'invalid', ...e });
      errorRows.push({
        row: row.rowNumber,
        kind: 'invalid',
        cells: row.cells,
        reasons: errs.map((e) => `${e.field}：${e.message}`),
      });
    },
    /** A row of one kind with one message: listed and in the report. */
    flag(row: Pick<TableRow, 'rowNumber' | 'cells'>, kind: ImportErrorKind, field: string, message: string) {
      errors.push({ row: row.rowNumber, field, message, kind });
      errorRows.push({ row: row.rowNumber, kind, cells: row.cells, reasons: [message] });
    },
  };
}
export type Findings = ReturnType<typeof newFindings>;

/** The last line of the file checks' plan: the file's own findings (the rows that failed). */
export interface PlanEnd {
  end: true;
  headerCells: string[];
  result: ImportResult;
  errorRows: ErrorRow[];
}

/** A checked row as a line of the plan file: its fields in this order (PLAN_VERSION names it). */
export type PlanLine = [
  rowNumber: number,
  bi: string,
  orgId: string,
  orgPath: string,
  name: string,
  nameAsWritten: string | null,
  simplified: string,
  pinyin: string,
  initials: string,
  idNumber: string,
  birthDate: string,
  sex: 'male' | 'female',
  phone: string | null,
  address: string | null,
  categories: CategoryAssignment[],
  note: string | null,
  decisionDate: string | null,
  decisionNo: string | null,
];

function toLine(r: PlannedRow): PlanLine {
  const p = r.person;
  const k = p.nameKeys;
  return [
    r.rowNumber,
    r.bi,
    r.org.id,
    r.org.path,
    p.name,
    p.nameAsWritten,
    k.simplified,
    k.pinyin,
    k.initials,
    p.idNumber,
    p.birthDate,
    p.sex,
    p.phone,
    p.address,
    p.categories,
    r.note,
    r.decision.date,
    r.decision.documentNo,
  ];
}

/** A line of the plan as the row it was made from (`toLine`). */
export function fromLine(l: PlanLine): PlannedRow {
  const [
    rowNumber,
    bi,
    orgId,
    orgPath,
    name,
    nameAsWritten,
    simplified,
    pinyin,
    initials,
    idNumber,
    birthDate,
    sex,
    phone,
    address,
    categories,
    note,
    decisionDate,
    decisionNo,
  ] = l;
  return {
    rowNumber,
    bi,
    org: { id: orgId, path: orgPath },
    note,
    decision: { date: decisionDate, documentNo: decisionNo },
    person: {
      name,
      nameAsWritten,
      nameKeys: { simplified, pinyin, initials },
      idNumber,
      birthDate,
      sex,
      phone,
      address,
      categories,
    },
  };
}

export interface OrgNode {
  id: string;
  path: string;
  name: string;
  depth: number;
  code: string;
  region_code: string | null;
}

/** What the file checks depend on besides the file: the importer's places and the city's districts. */
export interface Places {
  root: { id: string; path: string };
  orgs: OrgNode[];
  allDistricts: { id: string; path: string; name: string; region_code: string | null }[];
}

/** What the checks need of the thread they run in. */
export interface CheckDeps {
  /** The blind index of a normalised ID number (`idBlindIndex`). */
  blindIndex(idNumber: string): string;
  /** The search keys of names, in order. */
  nameKeys(names: readonly string[]): SearchKeys[] | Promise<SearchKeys[]>;
}

/**
 * A piece of the plan: whole lines of JSON (PLAN_BATCH rows that passed the file checks; the last
 * piece ends with the `PlanEnd` line), and the share of the upload read (0..1).
 */
export interface PlanPiece {
  text: string;
  progress: number;
}

/**
 * The file checks of an import (decisions/0064, 0092): reads every row of the upload and checks it
 * on its own — its columns, the person's data, the places it names inside the importer's, the
 * file's own duplicates — and hands on the rows that pass as lines of the plan, a piece at a time,
 * then the file's findings (the rows that failed and why). What the register decides (new, update,
 * registered elsewhere) is not checked here: the caller checks each piece on the database.
 */
export async function* checkFile(data: Buffer, places: Places, deps: CheckDeps): AsyncGenerator<PlanPiece> {
  const { root, orgs, allDistricts } = places;
  const children = (parent: string) =>
    orgs.filter((o) => o.path.startsWith(parent) && o.path.split('/').length === parent.split('/').length + 1);
  const matcherCache = new Map<string, (text: string) => string | null>();
  const matchIn = (parent: string, text: string): OrgNode | null => {
    let m = matcherCache.get(parent);
    if (!m) {
      const cands = children(parent).map((o) => ({ code: o.id, name: o.name }));
      m = createRegionMatcher(cands, toSimplified);
      matcherCache.set(parent, m);
    }
    const byCode = children(parent).find((o) => o.region_code === text.trim() || o.code === text.trim());
    if (byCode) return byCode;
    const id = m(text);
    return id ? (orgs.find((o) => o.id === id) ?? null) : null;
  };
  const matchDistrictCode = createRegionMatcher(
    allDistricts.map((d) => ({ code: d.region_code ?? d.id, name: d.name })),
    toSimplified,
  );
  const districtMatcher = (text: string) => {
    const code = matchDistrictCode(text);
    return code ? allDistricts.find((d) => (d.region_code ?? d.id) === code) : undefined;
  };

  let progress = 0;
  const table = await openTable(data, {
    onProgress: (p) => {
      progress = p.fraction;
    },
  });
  const firstRows: TableRow[] = [];
  async function* remember(rows: AsyncIterable<TableRow>) {
    for await (const r of rows) {
      if (firstRows.length < 20) firstRows.push(r);
      yield r;
    }
  }
  const { header, dataRows } = await locateHeader(
    remember(table.rows),
    IMPORT_FIELDS as unknown as Record<Field, readonly string[]>,
  );
  const headerCells = firstRows.find((r) => r.rowNumber === header.headerRowNumber)?.cells ?? [];
  const col = header.columns;
  const cell = (row: TableRow, f: Field) => {
    const i = col[f];
    return i === undefined ? '' : (row.cells[i] ?? '').trim();
  };
  for (const f of ['name', 'idNumber'] as const)
    if (col[f] === undefined) throw new Error(t('import.missingColumn', { column: label(f) }));

  const findings = newFindings();
  const { result } = findings;
  const otherDistricts = new Map<string, number>();
  const seen = new Map<string, number>();
  const importer = orgs.find((o) => o.id === root.id);
  let pending: Omit<PlannedRow, 'person'>[] = [];
  let people: CheckedPerson[] = [];
  /** The pending rows as plan lines, with their names' search keys. */
  const piece = async (): Promise<string> => {
    const keys = await deps.nameKeys(people.map((p) => p.nameAsWritten ?? p.name));
    let text = '';
    for (const [i, r] of pending.entries())
      text += `${JSON.stringify(toLine({ ...r, person: { ...people[i]!, nameKeys: keys[i]! } }))}\n`;
    pending = [];
    people = [];
    return text;
  };

  let n = 0;
  for await (const row of dataRows) {
    // a turn of the loop every 100 rows (~5 ms of checks) where this runs in the server's thread
    if (++n % 100 === 0) await tick();
    if (row.cells.every((c) => c.trim() === '')) continue;
    if (/^(合计|总计|小计)/.test((row.cells.find((c) => c.trim() !== '') ?? '').replace(/\s/g, ''))) continue;
    result.total++;
    // a row of another district (a city-wide roster) is skipped whole, with one message
    const districtText = cell(row, 'district');
    const named = districtText && importer && importer.depth >= 1 ? districtMatcher(districtText) : undefined;
    if (named && importer && !importer.path.startsWith(named.path)) {
      result.otherDistrict++;
      otherDistricts.set(named.name, (otherDistricts.get(named.name) ?? 0) + 1);
      findings.errorRows.push({
        row: row.rowNumber,
        kind: 'otherDistrict',
        cells: row.cells,
        reasons: [t('import.otherDistrictRow', { district: named.name })],
      });
      continue;
    }
    const errs: { field: string; message: string }[] = [];
    if (row.bigNumbers?.includes(col.idNumber ?? -1))
      errs.push({ field: label('idNumber'), message: t('import.idAsNumber') });
    const cat = matchCategoryDetailed(cell(row, 'category'), toSimplified);
    if (col.category !== undefined && cell(row, 'category') && cat.unmatched.length)
      errs.push({
        field: label('category'),
        message: t('import.unknownCategory', { text: cat.unmatched.join('、') }),
      });
    if (col.category !== undefined && !cell(row, 'category'))
      errs.push({ field: label('category'), message: t('import.categoryRequired') });
    const gradeCell = cell(row, 'disabilityGrade');
    const grade = gradeCell ? (parseDisabilityGrade(gradeCell) ?? undefined) : cat.disabilityGrade;
    const cause = cell(row, 'disabilityCause') ? parseDisabilityCause(cell(row, 'disabilityCause')) : null;
    if (cell(row, 'disabilityCause') && !cause)
      errs.push({ field: label('disabilityCause'), message: t('registry.category.causeUnknown') });
    let startDate: string | undefined;
    if (cell(row, 'startDate')) {
      const d = parseDate(cell(row, 'startDate'));
      if (d.ok) startDate = d.value;
      else errs.push({ field: label('startDate'), message: t(d.error) });
    }
    const decision: PlannedRow['decision'] = { date: null, documentNo: null };
    if (cell(row, 'gradeDate')) {
      const d = parseDate(cell(row, 'gradeDate'));
      if (d.ok) decision.date = d.value;
      else errs.push({ field: label('gradeDate'), message: t(d.error) });
    }
    if (cell(row, 'gradeDocumentNo')) {
      const no = certificateNoSchema.safeParse(unescapeCell(cell(row, 'gradeDocumentNo')));
      if (no.success) decision.documentNo = no.data;
      else errs.push({ field: label('gradeDocumentNo'), message: t('import.gradeDocumentNo') });
    }
    let birthDate: string | undefined;
    if (cell(row, 'birthDate')) {
      const d = parseDate(cell(row, 'birthDate'));
      if (d.ok) birthDate = d.value;
      else errs.push({ field: label('birthDate'), message: t(d.error) });
    }
    const sex = cell(row, 'sex') ? (parseSex(cell(row, 'sex')) ?? undefined) : undefined;
    const categories = cat.codes.map((code) => ({
      code,
      startDate: startDate ?? '',
      ...(grade && (code === 'disabled_veteran' || code === 'disabled_person') ? { disabilityGrade: grade } : {}),
      ...(cause && (code === 'disabled_veteran' || code === 'disabled_person') ? { disabilityCause: cause } : {}),
    })) as CategoryAssignment[];
    for (const c of categories)
      if ((c.code === 'disabled_veteran' || c.code === 'disabled_person') && !c.disabilityGrade)
        errs.push({ field: label('disabilityGrade'), message: t('registry.category.gradeRequired') });
    // where the person belongs: the named district/street/community inside the importer's org
    let org: OrgNode | null = importer ?? null;
    for (const f of ['district', 'street', 'community'] as const) {
      const text = cell(row, f);
      if (!text || !org) continue;
      if (f === 'district' && org.depth >= 1) {
        // the importer is a district (or below): the column may only name that district
        if (districtMatcher(text)) continue; // this district: checked above
      }
      const next = matchIn(org.path, text);
      if (next) org = next;
      else errs.push({ field: label(f), message: t('import.unknownRegion', { text }) });
    }
    const checked = checkPerson({
      name: cell(row, 'name'),
      idNumber: cell(row, 'idNumber'),
      birthDate,
      sex,
      phone: cell(row, 'phone') || null,
      address: cell(row, 'address') || null,
      categories,
    });
    if (!checked.ok)
      for (const e of checked.errors)
        errs.push({ field: label((e.field in IMPORT_FIELDS ? e.field : 'name') as Field), message: t(e.key) });
    if (errs.length || !checked.ok || !org) {
      findings.fail(row, errs.length ? errs : [{ field: label('name'), message: t('beneficiary.invalid') }]);
      continue;
    }
    const bi = deps.blindIndex(checked.value.idNumber);
    const first = seen.get(bi);
    if (first !== undefined) {
      result.duplicates++;
      findings.flag(row, 'duplicateInFile', label('idNumber'), t('import.duplicateInFile', { row: first }));
      continue;
    }
    seen.set(bi, row.rowNumber);
    const note = unescapeCell(cell(row, 'note')) || null;
    pending.push({ rowNumber: row.rowNumber, org: { id: org.id, path: org.path }, bi, note, decision });
    people.push(checked.value);
    if (pending.length >= PLAN_BATCH) yield { text: await piece(), progress };
  }
  result.otherDistricts = [...otherDistricts]
    .map(([district, rows]) => ({ district, rows }))
    .sort((a, b) => b.rows - a.rows);
  const end: PlanEnd = {
    end: true,
    headerCells,
    result: { ...result, errors: findings.errors },
    errorRows: findings.errorRows,
  };
  yield { text: `${await piece()}${JSON.stringify(end)}\n`, progress: 1 };
}

/** The checks' worker's input (workerData; import-check.worker.ts). */
export interface CheckRequest {
  data: Uint8Array;
  places: Places;
  /** The key file, for the blind indexes (the worker derives the index key as the server does). */
  keyFile: string;
}

/** What the checks' worker posts: pieces in order, the last one marked, or why it stopped. */
export type CheckReply = ({ type: 'piece'; last?: boolean } & PlanPiece) | ({ type: 'error' } & WorkerFailure);

/**
 * `checkFile` in a worker thread of its own (import-check.worker.ts; decisions/0092): it parses the
 * worksheet, checks the rows, reads the names' pinyin and makes the plan's lines there, so the
 * server's event loop only takes the pieces. The worker is at most two pieces ahead of its reader
 * (one more each time the reader takes one) and ends with the reading. Without the worker's entry
 * (a copy of cli.js alone), the checks run in this thread.
 */
export async function* fileChecks(
  data: Buffer,
  places: Places,
  crypto: CryptoProvider,
  keyFile: string,
): AsyncGenerator<PlanPiece> {
  const entry = workerEntry('import-check', import.meta.url);
  if (!entry) {
    yield* checkFile(data, places, { blindIndex: (id) => idBlindIndex(crypto, id), nameKeys });
    return;
  }
  const copy = new Uint8Array(data); // handed over (the caller keeps its buffer)
  const worker = new Worker(entry.spec, {
    eval: entry.evalCode,
    workerData: { data: copy, places, keyFile } satisfies CheckRequest,
    transferList: [copy.buffer],
    // the worksheet's shared strings and the report rows of a file that fails; a small young
    // generation, as the name-keys worker's (decisions/0090)
    resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 4 },
  });
  const replies = workerReplies<CheckReply>(worker, (message) => ({ type: 'error', message }));
  try {
    for (;;) {
      const m = await replies.next();
      if (m.type === 'error') throw fromWorkerFailure(m, "the import checks' worker failed");
      worker.postMessage('more');
      yield { text: m.text, progress: m.progress };
      if (m.last) return;
    }
  } finally {
    replies.close();
    void worker.terminate();
  }
}
