import { PassThrough } from 'node:stream';
import {
  type CategoryAssignment,
  createRegionMatcher,
  IMPORT_ERROR_KINDS,
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
import { districtOf, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { refreshStatistics, type Tx } from '../../platform/db/index.js';
import { longWrite } from '../../platform/db/writer.js';
import { locateHeader, openTable, type TableRow, unescapeCell, writeErrorReport } from '../../platform/files/index.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import { toSimplified } from '../../platform/text/chinese.js';
import { tick } from '../../platform/tick.js';
import { makesPlaqueEligible, type NormalizedPerson, normalizePerson } from './normalize.js';
import { idBlindIndex, open, sealAddress, sealId, sealPhone } from './personal-data.js';
import { importRepo } from './registry.repo.js';

export const IMPORT_KIND = 'beneficiary_import';
const MAX_ERRORS_IN_RESULT = 500;

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
  /** For an update: only what differs from the stored person. */
  changes?: { phone?: string; address?: string; note?: string };
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
  ) {}

  /**
   * Reads and checks every row and returns the result. The rows to create or update are handed to
   * `sink` as they are checked, a few hundred at a time (the commit writes them meanwhile; nothing
   * holds the whole plan).
   */
  private async plan(ctx: JobContext, sink?: (rows: PlannedRow[]) => Promise<void>): Promise<ImportResult> {
    const actor = await this.actorOf(ctx.job);
    const data = ctx.readUpload();
    const db = this.p.handle.db;
    const root = await importRepo.org(db, ctx.job.org_id);
    const orgs = (await importRepo.placesUnder(db, root.path)) as OrgNode[];
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
    const allDistricts = await importRepo.districts(db);
    const matchDistrictCode = createRegionMatcher(
      allDistricts.map((d) => ({ code: d.region_code ?? d.id, name: d.name })),
      toSimplified,
    );
    const districtMatcher = (text: string) => {
      const code = matchDistrictCode(text);
      return code ? allDistricts.find((d) => (d.region_code ?? d.id) === code) : undefined;
    };

    // validation progress is the share of the file read, in permille
    const table = await openTable(data, { onProgress: (p) => void ctx.progress(Math.round(p.fraction * 1000), 1000) });
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
    const label = (f: Field) => IMPORT_FIELDS[f][0];
    const cell = (row: TableRow, f: Field) => {
      const i = col[f];
      return i === undefined ? '' : (row.cells[i] ?? '').trim();
    };
    for (const f of ['name', 'idNumber'] as const)
      if (col[f] === undefined) throw new Error(t('import.missingColumn', { column: label(f) }));

    const result: ImportResult = {
      total: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      invalid: 0,
      otherDistrict: 0,
      otherDistricts: [],
      errors: [],
      errorCount: 0,
      errorsTruncated: false,
    };
    const addError = (e: RowError) => {
      result.errorCount++;
      if (result.errors.length < MAX_ERRORS_IN_RESULT) result.errors.push(e);
      else result.errorsTruncated = true;
    };
    const errorRows: { row: number; kind: ImportErrorKind; cells: string[]; reasons: string[] }[] = [];
    const otherDistricts = new Map<string, number>();
    const seen = new Map<string, number>();
    let pending: { row: TableRow; plannedRow: PlannedRow }[] = [];

    const fail = (row: TableRow, errs: { field: string; message: string }[]) => {
      result.invalid++;
      for (const e of errs) addError({ row: row.rowNumber, kind: 'invalid', ...e });
      errorRows.push({
        row: row.rowNumber,
        kind: 'invalid',
        cells: row.cells,
        reasons: errs.map((e) => `${e.field}：${e.message}`),
      });
    };
    /** A row of one kind with one message: listed (while the list has room) and in the report. */
    const flag = (row: TableRow, kind: ImportErrorKind, field: string, message: string) => {
      addError({ row: row.rowNumber, field, message, kind });
      errorRows.push({ row: row.rowNumber, kind, cells: row.cells, reasons: [message] });
    };
    const importer = orgs.find((o) => o.id === root.id);

    /** Checks a batch against the database by blind index (one query per batch). */
    const flush = async () => {
      if (!pending.length) return;
      // on the SQLite readers (off the event loop); a commit's own rows are not visible there
      // until it commits, and the file's duplicates are caught by `seen` above
      const existing = await importRepo.byBlindIndexes(
        this.p.handle.reader,
        SYSTEM_SCOPE,
        pending.map((x) => x.plannedRow.bi),
      );
      const byBi = new Map(existing.map((e) => [e.id_bi, e]));
      const planned: PlannedRow[] = [];
      for (const { row, plannedRow } of pending) {
        const e = byBi.get(plannedRow.bi);
        if (!e) {
          result.created++;
          planned.push(plannedRow);
        } else if (e.status === 'merged' || !scopeCovers(actor.scope, { orgId: e.org_id, orgPath: e.org_path })) {
          result.duplicates++;
          flag(row, 'registeredElsewhere', label('idNumber'), t('import.registeredElsewhere'));
        } else {
          // only what differs from the stored person is written; the same row again writes nothing
          const { phone, address } = plannedRow.person;
          const changes: NonNullable<PlannedRow['changes']> = {};
          if (phone && phone !== open(this.p.crypto, e.phone_enc)) changes.phone = phone;
          if (address && address !== open(this.p.crypto, e.address_enc)) changes.address = address;
          if (plannedRow.note && plannedRow.note !== e.note) changes.note = plannedRow.note;
          if (Object.keys(changes).length) {
            result.updated++;
            planned.push({ ...plannedRow, existingId: e.id, changes });
          } else result.unchanged++;
        }
      }
      pending = [];
      if (sink && planned.length) await sink(planned);
    };

    let n = 0;
    for await (const row of dataRows) {
      if (++n % 200 === 0) {
        await tick();
      }
      if (row.cells.every((c) => c.trim() === '')) continue;
      if (/^(合计|总计|小计)/.test((row.cells.find((c) => c.trim() !== '') ?? '').replace(/\s/g, ''))) continue;
      result.total++;
      // a row of another district (a city-wide roster) is skipped whole, with one message
      const districtText = cell(row, 'district');
      const named = districtText && importer && importer.depth >= 1 ? districtMatcher(districtText) : undefined;
      if (named && importer && !importer.path.startsWith(named.path)) {
        result.otherDistrict++;
        otherDistricts.set(named.name, (otherDistricts.get(named.name) ?? 0) + 1);
        errorRows.push({
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
      const n2 = normalizePerson({
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
        fail(row, errs.length ? errs : [{ field: label('name'), message: t('beneficiary.invalid') }]);
        continue;
      }
      const bi = idBlindIndex(this.p.crypto, n2.value.idNumber);
      const first = seen.get(bi);
      if (first !== undefined) {
        result.duplicates++;
        flag(row, 'duplicateInFile', label('idNumber'), t('import.duplicateInFile', { row: first }));
        continue;
      }
      seen.set(bi, row.rowNumber);
      const note = unescapeCell(cell(row, 'note')) || null;
      pending.push({ row, plannedRow: { rowNumber: row.rowNumber, person: n2.value, org, bi, note } });
      if (pending.length >= 500) await flush();
    }
    await flush();
    await ctx.progress(1000, 1000);
    result.errors.sort(byKindThenRow);
    errorRows.sort(byKindThenRow);
    result.otherDistricts = [...otherDistricts]
      .map(([district, rows]) => ({ district, rows }))
      .sort((a, b) => b.rows - a.rows);
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

  async validate(ctx: JobContext) {
    return this.plan(ctx);
  }

  /**
   * Checks the file again (the database may have changed since the validation) and writes what it
   * plans as it goes, in one transaction: on SQLite in the writer worker (decisions/0058), so the
   * event loop only reads the file and builds rows; the next chunk is checked while the worker
   * writes the previous one. One audit entry for the whole commit, in the same transaction.
   */
  async commit(ctx: JobContext) {
    const actor = await this.actorOf(ctx.job);
    const now = nowIso();
    const result = await longWrite(this.p.handle, async (trx) => {
      let inFlight: Promise<void> = Promise.resolve();
      const result = await this.plan(ctx, async (rows) => {
        await inFlight;
        const write = this.write(trx, rows, actor, now);
        write.catch(() => {}); // awaited by the next chunk or below
        inFlight = write;
      });
      await inFlight;
      await this.p.audit.append(trx, auditActorOf({ actor, requestId: ctx.job.id, ip: 'job' }), {
        action: 'beneficiary.import',
        entityType: 'job',
        entityId: ctx.job.id,
        changes: {
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          duplicates: result.duplicates,
          invalid: result.invalid,
          file: ctx.job.file_name,
        },
      });
      return result;
    });
    // a bulk load changes the tables' shape: refresh the planner's statistics (SQLite, off the event
    // loop in the checkpoint worker; PostgreSQL's autovacuum does it)
    void refreshStatistics(this.p.handle);
    return result;
  }

  /** One chunk of the plan: new people in bulk (registry.repo.ts `insertPeople`), changed ones set-wise. */
  private async write(trx: Tx, rows: PlannedRow[], actor: Actor, now: string) {
    const crypto = this.p.crypto;
    const households: Record<string, unknown>[] = [];
    const people: (Record<string, unknown> & { id: string; name_simplified: string; org_path: string })[] = [];
    const categories: Record<string, unknown>[] = [];
    for (const r of rows) {
      if (r.existingId) continue;
      const hid = uuidv7();
      const id = uuidv7();
      const addr = sealAddress(crypto, r.person.address);
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
        ...sealId(crypto, r.person.idNumber),
        birth_date: r.person.birthDate,
        sex: r.person.sex,
        ...sealPhone(crypto, r.person.phone),
        ...addr,
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
    if (people.length) await importRepo.insertPeople(this.p.handle, trx, { households, people, categories });
    const changes = rows
      .filter((x) => x.existingId)
      .map((r) => {
        const c = r.changes ?? {};
        const phone = c.phone ? sealPhone(crypto, c.phone) : { phone_enc: null, phone_masked: null };
        const address = c.address ? sealAddress(crypto, c.address) : { address_enc: null, address_masked: null };
        return { id: r.existingId!, ...phone, ...address, note: c.note ?? null };
      });
    await importRepo.applyChanges(trx, changes, now);
  }
}
