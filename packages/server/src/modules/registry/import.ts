import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import {
  type CategoryAssignment,
  certificateNoSchema,
  createRegionMatcher,
  emptyImportResult,
  IMPORT_ERROR_KINDS,
  type ImportErrorKind,
  type ImportRowError,
  type MessageKey,
  matchCategoryDetailed,
  parseDate,
  parseDisabilityCause,
  parseDisabilityGrade,
  parseSex,
  type ImportResult as SharedImportResult,
  t,
} from '@shuangyong/shared';
import { districtOf, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { toFlatRows } from '../../platform/db/bulk.js';
import { refreshStatistics, type Tx } from '../../platform/db/index.js';
import { longWrite } from '../../platform/db/writer.js';
import { locateHeader, openTable, type TableRow, unescapeCell, writeErrorReport } from '../../platform/files/index.js';
import { withTightHeap } from '../../platform/heap-growth.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import { toSimplified } from '../../platform/text/chinese.js';
import { tick } from '../../platform/tick.js';
import { gradeChangesRepo } from './grade-changes.repo.js';
import { type GradeChangesService, gradeChangeProblem, type RecordedGradeChange } from './grade-changes.service.js';
import {
  type CheckedPerson,
  checkPerson,
  makesPlaqueEligible,
  type NormalizedPerson,
  withNameKeys,
} from './normalize.js';
import { idBlindIndex, open, sealAddress, sealMany, sealPhone } from './personal-data.js';
import { type CountState, countDeltas, importRepo, PeopleLoad } from './registry.repo.js';

export const IMPORT_KIND = 'beneficiary_import';
const MAX_ERRORS_IN_RESULT = 500;
/** The dry run's checked rows, for the commit (decisions/0064): a sealed JSON-lines job file. */
const PLAN_ARTEFACT = 'plan.jsonl';
/** Characters of plan lines written (and sealed) at a time. */
const PLAN_PIECE = 64 * 1024;
/**
 * Version of what the file checks decide for a row (columns, normalisation, region matching, the
 * file's own duplicates, the plan file's lines). Bump it when any of them changes: a plan written
 * under another version is not used and the commit checks the file again.
 */
const PLAN_VERSION = 3;

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
type Field = keyof typeof IMPORT_FIELDS;

export { IMPORT_ERROR_KINDS, type ImportErrorKind };

const byKindThenRow = (a: { kind: ImportErrorKind; row: number }, b: { kind: ImportErrorKind; row: number }) =>
  IMPORT_ERROR_KINDS.indexOf(a.kind) - IMPORT_ERROR_KINDS.indexOf(b.kind) || a.row - b.row;

export type RowError = ImportRowError;
/** The job's result (a record, as every job result is). */
export type ImportResult = SharedImportResult & Record<string, unknown>;

interface PlannedRow {
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

/** A grade change the commit records through `GradeChangesService.recordIn`. */
interface GradeChangeBody {
  code: CategoryAssignment['code'];
  effectiveDate: string;
  disabilityGrade: number;
  disabilityCause?: NonNullable<CategoryAssignment['disabilityCause']>;
  documentNo: string;
}

/** A row that passed the file checks, with its cells (for the error report). */
interface Candidate {
  row: Pick<TableRow, 'rowNumber' | 'cells'>;
  plannedRow: PlannedRow;
}

/** A row that passed the file checks, before its name's search keys are made. */
interface Unkeyed {
  row: Pick<TableRow, 'rowNumber' | 'cells'>;
  plannedRow: Omit<PlannedRow, 'person'> & { person: CheckedPerson };
}

/** The rows with their names' search keys (one batch to the name-keys worker). */
async function withKeys(rows: readonly Unkeyed[]): Promise<Candidate[]> {
  const people = await withNameKeys(rows.map((r) => r.plannedRow.person));
  return rows.map((r, i) => ({ row: r.row, plannedRow: { ...r.plannedRow, person: people[i]! } }));
}

/** A row of the error report: its cells and why it was not imported. */
interface ErrorRow {
  row: number;
  kind: ImportErrorKind;
  cells: string[];
  reasons: string[];
}

const label = (f: Field) => IMPORT_FIELDS[f][0];

/** The counts, errors and error-report rows of a check, and the two ways a row fails. */
function newFindings() {
  const result: ImportResult = emptyImportResult();
  const errors: RowError[] = [];
  const errorRows: ErrorRow[] = [];
  return {
    result,
    /** Every error (the result lists the first 500 in order, `finish`). */
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
type Findings = ReturnType<typeof newFindings>;

/** A checked row as a line of the plan file: its fields in this order (PLAN_VERSION names it). */
type PlanLine = [
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

function fromLine(l: PlanLine): PlannedRow {
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

/**
 * The lines of a stream of UTF-8 text (the plan file), each with the bytes read so far (progress).
 * Every line ends with a line break (JSON.stringify writes none inside one).
 */
async function* linesOf(stream: AsyncIterable<Buffer>): AsyncGenerator<{ line: string; at: number }> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let at = 0;
  for await (const chunk of stream) {
    at += chunk.length;
    const text = carry + decoder.write(chunk);
    let from = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
      yield { line: text.slice(from, end), at };
      from = end + 1;
    }
    carry = text.slice(from);
  }
  // a last piece without its line break is a line cut short: not handed out (the reader stops early)
}

/** The cells of some rows of the file (the plan file does not keep them), for the error report. */
async function fillCells(data: Buffer, rows: ErrorRow[]) {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const table = await openTable(data);
  let n = 0;
  for await (const row of table.rows) {
    const r = byRow.get(row.rowNumber);
    if (r) r.cells = row.cells;
    if (++n % 200 === 0) await tick();
  }
}

/** The file's findings with the register's added (counts, errors, report rows). */
function withRegister(file: Findings, reg: Findings): Findings {
  const r = file.result;
  r.created += reg.result.created;
  r.updated += reg.result.updated;
  r.unchanged += reg.result.unchanged;
  r.gradeChanges = (r.gradeChanges ?? 0) + (reg.result.gradeChanges ?? 0);
  r.duplicates += reg.result.duplicates;
  r.invalid += reg.result.invalid;
  for (const e of reg.errors) file.errors.push(e);
  for (const e of reg.errorRows) file.errorRows.push(e);
  return file;
}

interface OrgNode {
  id: string;
  path: string;
  name: string;
  depth: number;
  code: string;
  region_code: string | null;
}

/**
 * Beneficiary import as a two-phase job: `validate` reads the whole file and reports what a commit
 * would do (created / updated / duplicates / invalid, per-row errors with the row numbers the user
 * sees); `commit` does it in one transaction. The importer's scope applies to every row.
 */
export class BeneficiaryImport implements JobHandler {
  readonly permission = 'beneficiary:import' as const;
  constructor(
    private readonly p: Platform,
    private readonly actorOf: (job: JobContext['job']) => Promise<Actor>,
    private readonly jobs: Jobs,
    /**
     * Records the file's grade changes with their consequences (the benefits listeners' back pay);
     * without it (the command line, which runs no module) a row with a grade change is refused.
     */
    private readonly gradeChanges?: GradeChangesService,
  ) {}

  /**
   * What the file checks depend on besides the file: the importer's places and the districts. With
   * the upload's digest and PLAN_VERSION it keys the dry run's plan (decisions/0064).
   */
  private async places(ctx: JobContext) {
    const db = this.p.handle.db;
    const root = await importRepo.org(db, ctx.job.org_id);
    const orgs = ((await importRepo.placesUnder(db, root.path)) as OrgNode[]).sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
    const allDistricts = (await importRepo.districts(db)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const data = await ctx.readUpload();
    const key = this.p.crypto.hash(
      JSON.stringify([PLAN_VERSION, this.p.crypto.hash(data), root.id, root.path, orgs, allDistricts]),
    );
    return { data, root, orgs, allDistricts, key };
  }

  /**
   * Reads and checks every row and returns the result. The rows to create or update are handed to
   * `sink` as they are checked, a few hundred at a time (the commit writes them meanwhile; nothing
   * holds the whole plan). The file checks come first; what the register decides (new, update,
   * unchanged, registered elsewhere) is checked per batch of 500 by blind index (`checkRegister`).
   * With `save`, the rows that passed the file checks and the file's own findings are written as
   * the job's plan file, which a commit uses instead of checking the file again (`commitPlan`).
   */
  private async plan(
    ctx: JobContext,
    sink?: (rows: PlannedRow[]) => Promise<void>,
    save?: boolean,
  ): Promise<ImportResult> {
    const actor = await this.actorOf(ctx.job);
    const { data, root, orgs, allDistricts, key } = await this.places(ctx);
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

    // the plan file, written as the rows are checked (sealed as it is written)
    let out: PassThrough | undefined;
    let saved: Promise<void> | undefined;
    // lines are gathered into pieces of PLAN_PIECE characters: one seal and one write a piece, not a line
    let piece = '';
    const flushPiece = async () => {
      const text = piece;
      piece = '';
      if (out && text && !out.write(text)) await Promise.race([once(out, 'drain'), saved]);
    };
    const put = async (value: unknown) => {
      if (!out) return;
      piece += `${JSON.stringify(value)}\n`;
      if (piece.length >= PLAN_PIECE) await flushPiece();
    };
    if (save) {
      out = new PassThrough();
      saved = this.jobs.writeArtefactStream(ctx.job.id, PLAN_ARTEFACT, out);
      saved.catch(() => {}); // awaited below
      await put({ version: PLAN_VERSION, key });
    }
    // the batch of rows in the name-keys worker and the register check (see flush below)
    let previous: Promise<void> = Promise.resolve();
    try {
      // validation progress is the share of the file read, in permille
      const table = await openTable(data, {
        onProgress: (p) => void ctx.progress(Math.round(p.fraction * 1000), 1000),
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

      // what the file decides, and what the register does (kept apart: the plan file holds the first)
      const findings = newFindings();
      const register = newFindings();
      const { result } = findings;
      const otherDistricts = new Map<string, number>();
      const seen = new Map<string, number>();
      let pending: Unkeyed[] = [];
      const importer = orgs.find((o) => o.id === root.id);
      const putLines = async (batch: readonly Candidate[]) => {
        for (const c of batch) await put(toLine(c.plannedRow));
      };
      // a batch of 500 goes on (its names' keys made in the worker, its lines written, the register
      // checked on the readers) while the next batch's rows are checked; one batch at a time
      const flush = async () => {
        const keyed = withKeys(pending);
        keyed.catch(() => {}); // awaited below, once the batch before is through
        pending = [];
        await previous;
        previous = (async () => {
          const batch = await keyed;
          await putLines(batch);
          await this.checkRegister(actor, batch, register, sink);
        })();
        previous.catch(() => {}); // awaited by the next flush or after the last row
      };

      let n = 0;
      for await (const row of dataRows) {
        // a turn of the loop every 100 rows (~5 ms of checks; decisions/0076)
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
        let org: OrgNode | null = orgs.find((o) => o.id === root.id) ?? null;
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
        const n2 = checkPerson({
          name: cell(row, 'name'),
          idNumber: cell(row, 'idNumber'),
          birthDate,
          sex,
          phone: cell(row, 'phone') || null,
          address: cell(row, 'address') || null,
          categories,
        });
        if (!n2.ok)
          for (const e of n2.errors)
            errs.push({ field: label((e.field in IMPORT_FIELDS ? e.field : 'name') as Field), message: t(e.key) });
        if (errs.length || !n2.ok || !org) {
          findings.fail(row, errs.length ? errs : [{ field: label('name'), message: t('beneficiary.invalid') }]);
          continue;
        }
        const bi = idBlindIndex(this.p.crypto, n2.value.idNumber);
        const first = seen.get(bi);
        if (first !== undefined) {
          result.duplicates++;
          findings.flag(row, 'duplicateInFile', label('idNumber'), t('import.duplicateInFile', { row: first }));
          continue;
        }
        seen.set(bi, row.rowNumber);
        const note = unescapeCell(cell(row, 'note')) || null;
        pending.push({
          row,
          plannedRow: {
            rowNumber: row.rowNumber,
            person: n2.value,
            org: { id: org.id, path: org.path },
            bi,
            note,
            decision,
          },
        });
        if (pending.length >= 500) await flush();
      }
      result.otherDistricts = [...otherDistricts]
        .map(([district, rows]) => ({ district, rows }))
        .sort((a, b) => b.rows - a.rows);
      // the file's own findings close the plan file (before the last batch adds the register's)
      const last = await withKeys(pending);
      pending = [];
      await previous;
      await putLines(last);
      await put({
        end: true,
        headerCells,
        result: { ...result, errors: findings.errors },
        errorRows: findings.errorRows,
      });
      await flushPiece();
      out?.end();
      await this.checkRegister(actor, last, register, sink);
      await saved;
      await ctx.progress(1000, 1000);
      return this.finish(ctx, withRegister(findings, register), headerCells);
    } catch (err) {
      await previous.catch(() => {}); // no batch goes on to the sink after the failure
      out?.destroy(err as Error);
      await saved?.catch(() => {});
      throw err;
    }
  }

  /**
   * The register's part of the checks for a batch of rows that passed the file checks: who is there
   * already (by blind index, one query per batch) and what differs. The rows to write go to `sink`.
   */
  private async checkRegister(
    actor: Actor,
    pending: readonly Candidate[],
    findings: Findings,
    sink?: (rows: PlannedRow[]) => Promise<void>,
  ) {
    if (!pending.length) return;
    const { result } = findings;
    // on the SQLite readers (off the event loop); a commit's own rows are not visible there
    // until it commits, and the file's duplicates are caught by the file checks
    const existing = await importRepo.byBlindIndexes(
      this.p.handle.reader,
      SYSTEM_SCOPE,
      pending.map((x) => x.plannedRow.bi),
    );
    const byBi = new Map(existing.map((e) => [e.id_bi, e]));
    // the graded categories of the people here, with their last decision (one query per batch)
    const held = await gradeChangesRepo.heldGrades(
      this.p.handle.reader,
      actor.scope,
      existing.filter((e) => e.status !== 'merged').map((e) => e.id),
    );
    const today = localToday(this.p.config.tzDisplay);
    const planned: PlannedRow[] = [];
    for (const { row, plannedRow } of pending) {
      const e = byBi.get(plannedRow.bi);
      if (!e) {
        result.created++;
        planned.push(plannedRow);
      } else if (e.status === 'merged' || !scopeCovers(actor.scope, { orgId: e.org_id, orgPath: e.org_path })) {
        result.duplicates++;
        findings.flag(row, 'registeredElsewhere', label('idNumber'), t('import.registeredElsewhere'));
      } else {
        // only what differs from the stored person is written; the same row again writes nothing
        const { phone, address } = plannedRow.person;
        const changes: NonNullable<PlannedRow['changes']> = {};
        if (phone && phone !== open(this.p.crypto, e.phone_enc)) changes.phone = phone;
        if (address && address !== open(this.p.crypto, e.address_enc)) changes.address = address;
        if (plannedRow.note && plannedRow.note !== e.note) changes.note = plannedRow.note;
        const grades = this.gradeChangesOf(
          plannedRow,
          held.filter((h) => h.beneficiary_id === e.id),
          today,
        );
        if ('error' in grades) {
          findings.fail(row, [grades.error]);
          continue;
        }
        result.gradeChanges = (result.gradeChanges ?? 0) + grades.changes.length;
        if (Object.keys(changes).length || grades.changes.length) {
          result.updated++;
          planned.push({ ...plannedRow, existingId: e.id, changes, gradeChanges: grades.changes });
        } else result.unchanged++;
      }
    }
    if (sink && planned.length) await sink(planned);
  }

  /**
   * A registered person's row against the grades in force (decisions/0065): a graded category of
   * the row the person holds with another 伤残等级 or 性质 is a grade change, recorded only with
   * the decision's date and number and only if the person's form would record it
   * (`gradeChangeProblem`); otherwise the row is refused with the reason. A category the person
   * does not hold is not added by the import (as before).
   */
  private gradeChangesOf(
    r: PlannedRow,
    held: Awaited<ReturnType<typeof gradeChangesRepo.heldGrades>>,
    today: string,
  ): { changes: GradeChangeBody[] } | { error: { field: string; message: string } } {
    const changes: GradeChangeBody[] = [];
    for (const c of r.person.categories) {
      if (!c.disabilityGrade) continue;
      const h = held.find((x) => x.code === c.code);
      if (!h) continue;
      const causeDiffers = !!c.disabilityCause && c.disabilityCause !== (h.disability_cause ?? null);
      if (c.disabilityGrade === h.disability_grade && !causeDiffers) continue;
      const { date, documentNo } = r.decision;
      if (!this.gradeChanges)
        return { error: { field: label('disabilityGrade'), message: t('import.gradeChangeNotHere') } };
      if (!date || !documentNo)
        return { error: { field: label('disabilityGrade'), message: t('import.gradeNeedsDecision') } };
      const body: GradeChangeBody = {
        code: c.code,
        effectiveDate: date,
        disabilityGrade: c.disabilityGrade,
        ...(c.disabilityCause ? { disabilityCause: c.disabilityCause } : {}),
        documentNo,
      };
      const problem = gradeChangeProblem(h, (h.last_effective_date as string | null) ?? null, body, today);
      if (problem)
        return { error: { field: label('gradeDate'), message: t(problem.key as MessageKey, problem.params) } };
      changes.push(body);
    }
    return { changes };
  }

  /** The result with its errors in order (the first 500), and the error report when a row failed. */
  private async finish(ctx: JobContext, findings: Findings, headerCells: string[]): Promise<ImportResult> {
    const { result, errors, errorRows } = findings;
    errors.sort(byKindThenRow);
    result.errorCount = errors.length;
    result.errors = errors.slice(0, MAX_ERRORS_IN_RESULT);
    result.errorsTruncated = errors.length > MAX_ERRORS_IN_RESULT;
    errorRows.sort(byKindThenRow);
    // the error report: original cells plus the reasons, as an xlsx the user can fix and re-import
    if (errorRows.length) {
      const chunks: Buffer[] = [];
      const out = new PassThrough();
      out.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve, reject) => out.on('end', () => resolve()).on('error', reject));
      await writeErrorReport(out, {
        header: headerCells,
        rows: errorRows.map((r) => ({ rowNumber: r.row, cells: r.cells, reasons: r.reasons })),
      });
      await ended;
      this.jobs.writeArtefact(ctx.job.id, 'errors.xlsx', Buffer.concat(chunks));
    }
    return result;
  }

  /**
   * The commit's checks from the dry run's plan file, when it is there and still describes this
   * file and these places (its key): the file is not read again; the register's part is checked
   * again for every row, as the dry run did it, batch by batch in the commit's transaction. Returns
   * undefined when there is no usable plan (the caller checks the file again).
   */
  private async commitPlan(
    ctx: JobContext,
    sink: (rows: PlannedRow[]) => Promise<void>,
  ): Promise<ImportResult | undefined> {
    const file = await this.jobs.readArtefactStream(ctx.job.id, PLAN_ARTEFACT);
    if (!file) return undefined;
    // the plan file is read a chunk at a time (never whole: decisions/0071), a line at a time
    const lines = linesOf(file.stream);
    try {
      const first = await lines.next();
      const head = first.done ? undefined : JSON.parse(first.value.line);
      if (!head || head.version !== PLAN_VERSION) return undefined;
      const { key, data } = await this.places(ctx);
      if (head.key !== key) return undefined;
      const actor = await this.actorOf(ctx.job);
      const findings = newFindings();
      const register = newFindings();
      let pending: Candidate[] = [];
      let n = 0;
      for await (const { line, at } of lines) {
        const value = JSON.parse(line);
        if (!Array.isArray(value)) {
          // the file's own findings: counts, errors and report rows of the rows that failed
          const end = value as { headerCells: string[]; result: ImportResult; errorRows: ErrorRow[] };
          const { errors, ...counts } = end.result;
          Object.assign(findings.result, counts);
          for (const e of errors as RowError[]) findings.errors.push(e);
          for (const e of end.errorRows) findings.errorRows.push(e);
          await this.checkRegister(actor, pending, register, sink);
          await ctx.progress(1000, 1000);
          // rows the register refuses now need their cells in the error report: read from the file
          if (register.errorRows.length) await fillCells(data, register.errorRows);
          return this.finish(ctx, withRegister(findings, register), end.headerCells);
        }
        const plannedRow = fromLine(value as PlanLine);
        pending.push({ row: { rowNumber: plannedRow.rowNumber, cells: [] }, plannedRow });
        if (pending.length >= 500) {
          await this.checkRegister(actor, pending, register, sink);
          pending = [];
          await ctx.progress(Math.round((at / Math.max(1, file.size)) * 1000), 1000);
        }
        if (++n % 200 === 0) await tick();
      }
      throw new Error('import plan file ended early');
    } finally {
      await lines.return(undefined);
      file.stream.destroy();
    }
  }

  async validate(ctx: JobContext) {
    return withTightHeap(() => this.plan(ctx, undefined, true));
  }

  /**
   * Writes what the dry run planned, in one transaction: on SQLite in the writer worker (decisions/0058),
   * so the event loop only reads the plan and builds rows; the next chunk is checked while the
   * worker writes the previous one. The file's checks come from the dry run's plan file when it
   * still applies, the register's are made again (decisions/0064); without a plan file the file is
   * checked again. One audit entry for the whole commit, in the same transaction.
   */
  async commit(ctx: JobContext) {
    return withTightHeap(() => this.commitInTransaction(ctx));
  }

  private async commitInTransaction(ctx: JobContext) {
    const actor = await this.actorOf(ctx.job);
    const now = nowIso();
    // the grade changes, whose back pay is one job queued in the commit's transaction and started
    // once it is committed (decisions/0057, 0073)
    const recorded: RecordedGradeChange[] = [];
    const queued: { backpay: { start(): void } | null } = { backpay: null };
    const requestCtx: RequestCtx = { actor, requestId: ctx.job.id, ip: 'job' };
    const result = await longWrite(this.p.handle, async (trx) => {
      // the new people, written chunk by chunk and finished at the end (decisions/0088)
      const load = await PeopleLoad.open(this.p.handle, trx);
      let inFlight: Promise<void> = Promise.resolve();
      const sink = async (rows: PlannedRow[]) => {
        // the chunk's rows are built (encrypted) while the worker still writes the previous chunk
        // (decisions/0076); they are sent once it has
        const built = await this.build(rows, actor, now);
        await inFlight;
        const write = this.write(trx, load, rows, built, now, requestCtx, recorded);
        write.catch(() => {}); // awaited by the next chunk or below
        inFlight = write;
      };
      const result = (await this.commitPlan(ctx, sink)) ?? (await this.plan(ctx, sink));
      await inFlight;
      await load.finish(SYSTEM_SCOPE);
      if (recorded.length) queued.backpay = await this.gradeChanges!.recordedIn(trx, requestCtx, recorded);
      await this.p.audit.append(trx, auditActorOf({ actor, requestId: ctx.job.id, ip: 'job' }), {
        action: 'beneficiary.import',
        entityType: 'job',
        entityId: ctx.job.id,
        changes: {
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          gradeChanges: result.gradeChanges,
          duplicates: result.duplicates,
          invalid: result.invalid,
          file: ctx.job.file_name,
        },
      });
      return result;
    });
    queued.backpay?.start();
    // a bulk load changes the tables' shape: refresh the planner's statistics (SQLite, off the event
    // loop in the checkpoint worker; PostgreSQL's autovacuum does it)
    void refreshStatistics(this.p.handle);
    return result;
  }
  /**
   * The rows of a chunk's new people (their personal data sealed), flat, with their ids and count
   * deltas, to be written by `write` — a turn of the event loop every 100 people, whose personal
   * data is encrypted in one batch (`sealMany`; sealing 500 one by one took one turn of ~20 ms;
   * decisions/0076).
   */
  private async build(rows: PlannedRow[], actor: Actor, now: string) {
    const crypto = this.p.crypto;
    const households: Record<string, unknown>[] = [];
    const people: (Record<string, unknown> & { id: string; name_simplified: string; org_path: string })[] = [];
    const categories: Record<string, unknown>[] = [];
    const fresh = rows.filter((r) => !r.existingId);
    for (let at = 0; at < fresh.length; at += 100) {
      if (at > 0) await tick();
      const group = fresh.slice(at, at + 100);
      const sealed = sealMany(
        crypto,
        group.map((r) => ({ idNumber: r.person.idNumber, bi: r.bi, phone: r.person.phone, address: r.person.address })),
      );
      for (const [i, r] of group.entries())
        this.buildOne(r, sealed[i]!, actor, now, { households, people, categories });
    }
    return {
      households: toFlatRows(households),
      people: toFlatRows(people),
      categories: toFlatRows(categories),
      ids: people.map((x) => x.id),
      // the maintained totals, set-wise for the chunk (decisions/0029)
      deltas: people.flatMap((x) => countDeltas(x as unknown as CountState, 1)),
    };
  }

  /** The household, person and category rows of one new person (`build`). */
  private buildOne(
    r: PlannedRow,
    sealed: ReturnType<typeof sealMany>[number],
    actor: Actor,
    now: string,
    out: {
      households: Record<string, unknown>[];
      people: Record<string, unknown>[];
      categories: Record<string, unknown>[];
    },
  ) {
    const { households, people, categories } = out;
    const hid = uuidv7();
    const id = uuidv7();
    const addr = { address_enc: sealed.address_enc, address_masked: sealed.address_masked };
    const codes = r.person.categories.map((c) => c.code);
    households.push({
      id: hid,
      org_id: r.org.id,
      org_path: r.org.path,
      ...addr,
      plaque_status: 'none',
      plaque_eligible: makesPlaqueEligible(codes) ? 1 : 0,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    people.push({
      id,
      org_id: r.org.id,
      org_path: r.org.path,
      district_path: districtOf(r.org.path),
      household_id: hid,
      service_member_id: null,
      relation: null,
      name: r.person.name,
      name_as_written: r.person.nameAsWritten,
      name_simplified: r.person.nameKeys.simplified,
      name_pinyin: r.person.nameKeys.pinyin,
      name_initials: r.person.nameKeys.initials,
      ...sealed,
      birth_date: r.person.birthDate,
      sex: r.person.sex,
      categories: codes.join(','),
      status: 'active',
      status_date: null,
      note: r.note,
      merged_into: null,
      created_by: actor.userId === 'system' ? null : actor.userId,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    for (const c of r.person.categories)
      categories.push({
        id: uuidv7(),
        beneficiary_id: id,
        code: c.code,
        start_date: c.startDate || null,
        end_date: null,
        disability_grade: c.disabilityGrade ?? null,
        disability_cause: c.disabilityCause ?? null,
        relation: null,
        certificate_no: null,
        status: 'active',
        org_path: r.org.path,
        district_path: districtOf(r.org.path),
        sort_name: r.person.nameKeys.pinyin,
        created_at: now,
      });
  }

  /** One chunk of the plan: new people in bulk (`PeopleLoad`), changed ones set-wise. */
  private async write(
    trx: Tx,
    load: PeopleLoad,
    rows: PlannedRow[],
    built: Awaited<ReturnType<BeneficiaryImport['build']>>,
    now: string,
    ctx: RequestCtx,
    recorded: RecordedGradeChange[],
  ) {
    const crypto = this.p.crypto;
    await load.add(built);
    const changes = rows
      .filter((x) => x.existingId && Object.keys(x.changes ?? {}).length)
      .map((r) => {
        const c = r.changes ?? {};
        const phone = c.phone ? sealPhone(crypto, c.phone) : { phone_enc: null, phone_masked: null };
        const address = c.address ? sealAddress(crypto, c.address) : { address_enc: null, address_masked: null };
        return { id: r.existingId!, ...phone, ...address, note: c.note ?? null };
      });
    await importRepo.applyChanges(trx, changes, now);
    // each grade change as the person's form records it: checked again, versioned, audited; their
    // back pay is queued once for the whole commit (`commit`, decisions/0073)
    for (const r of rows)
      for (const body of r.gradeChanges ?? [])
        await this.gradeChanges!.recordIn(trx, ctx, r.existingId!, body, recorded);
  }
}
