import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { IMPORT_ERROR_KINDS, type ImportErrorKind, type MessageKey, t } from '@shuangyong/shared';
import { districtOf, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { toFlatRows } from '../../platform/db/bulk.js';
import { refreshStatistics, type Tx } from '../../platform/db/index.js';
import { longWrite } from '../../platform/db/writer.js';
import { openTable, type TableRow, writeErrorReport } from '../../platform/files/index.js';
import { withTightHeap } from '../../platform/heap-growth.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { JobContext, JobHandler, Jobs } from '../../platform/jobs/jobs.js';
import { tick } from '../../platform/tick.js';
import { gradeChangesRepo } from './grade-changes.repo.js';
import { type GradeChangesService, gradeChangeProblem, type RecordedGradeChange } from './grade-changes.service.js';
import {
  type ErrorRow,
  type Findings,
  fileChecks,
  fromLine,
  type GradeChangeBody,
  IMPORT_FIELDS,
  type ImportResult,
  label,
  newFindings,
  type OrgNode,
  PLAN_BATCH,
  PLAN_VERSION,
  type Places,
  type PlanEnd,
  type PlanLine,
  type PlannedRow,
  type RowError,
} from './import-check.js';
import { makesPlaqueEligible } from './normalize.js';
import { open, sealAddress, sealMany, sealPhone } from './personal-data.js';
import { type CountState, countDeltas, importRepo, PeopleLoad, type PreparedPeople } from './registry.repo.js';

export const IMPORT_KIND = 'beneficiary_import';
const MAX_ERRORS_IN_RESULT = 500;
/** The dry run's checked rows, for the commit (decisions/0064): a sealed JSON-lines job file. */
const PLAN_ARTEFACT = 'plan.jsonl';

export { IMPORT_ERROR_KINDS, IMPORT_FIELDS, type ImportErrorKind, type ImportResult, type RowError };

const byKindThenRow = (a: { kind: ImportErrorKind; row: number }, b: { kind: ImportErrorKind; row: number }) =>
  IMPORT_ERROR_KINDS.indexOf(a.kind) - IMPORT_ERROR_KINDS.indexOf(b.kind) || a.row - b.row;

/** A row that passed the file checks (its cells are read again only for the error report). */
interface Candidate {
  row: Pick<TableRow, 'rowNumber' | 'cells'>;
  plannedRow: PlannedRow;
}

/** A line of the plan, and the share of where it comes from read so far (0..1; the progress bar). */
interface PlanText {
  line: string;
  progress: number;
}

/** The lines of a piece of the plan (whole lines, each ending with a line break). */
function* linesIn(text: string, progress: number): Generator<PlanText> {
  let from = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', from)) {
    yield { line: text.slice(from, end), progress };
    from = end + 1;
  }
}

/**
 * The lines of a stream of `size` bytes of UTF-8 text (the plan file). Every line ends with a line
 * break (JSON.stringify writes none inside one).
 */
async function* linesOf(stream: AsyncIterable<Buffer>, size: number): AsyncGenerator<PlanText> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let at = 0;
  for await (const chunk of stream) {
    at += chunk.length;
    const text = carry + decoder.write(chunk);
    const end = text.lastIndexOf('\n') + 1;
    yield* linesIn(text.slice(0, end), at / Math.max(1, size));
    carry = text.slice(end);
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
    const places: Places = { root: { id: root.id, path: root.path }, orgs, allDistricts };
    return { data, places, key };
  }

  /**
   * Checks every row and returns the result. The file checks run in their own worker thread
   * (`fileChecks`, decisions/0092) and hand over the plan a piece at a time; the register's part is
   * checked here per piece (`consume`), and the rows to create or update go to `sink` (the commit
   * writes them meanwhile; nothing holds the whole plan). With `save`, the plan is also written as the
   * job's plan file, which a commit uses instead of checking the file again (`commitPlan`).
   */
  private async plan(
    ctx: JobContext,
    sink?: (rows: PlannedRow[]) => Promise<void>,
    save?: boolean,
  ): Promise<ImportResult> {
    const { data, places, key } = await this.places(ctx);
    // the plan file, written (and sealed) a piece at a time as the pieces come
    let out: PassThrough | undefined;
    let saved: Promise<void> | undefined;
    if (save) {
      out = new PassThrough();
      saved = this.jobs.writeArtefactStream(ctx.job.id, PLAN_ARTEFACT, out);
      saved.catch(() => {}); // awaited below
      out.write(`${JSON.stringify({ version: PLAN_VERSION, key })}\n`);
    }
    const pieces = fileChecks(data, places, this.p.crypto, this.p.config.keyFile);
    async function* lines(): AsyncGenerator<PlanText> {
      for await (const { text, progress } of pieces) {
        if (out && !out.write(text)) await Promise.race([once(out, 'drain'), saved]);
        yield* linesIn(text, progress);
      }
    }
    try {
      const result = await this.consume(ctx, lines(), data, sink);
      out?.end();
      await saved;
      return result;
    } catch (err) {
      out?.destroy(err as Error);
      await saved?.catch(() => {});
      throw err;
    }
  }

  /**
   * The plan's lines checked against the register, a batch at a time (`checkRegister`), as they
   * come — from the file checks or from the dry run's plan file — to the last line, the file's own
   * findings: the result with both, and the error report.
   */
  private async consume(
    ctx: JobContext,
    lines: AsyncIterable<PlanText>,
    data: Buffer,
    sink?: (rows: PlannedRow[]) => Promise<void>,
  ): Promise<ImportResult> {
    const actor = await this.actorOf(ctx.job);
    const findings = newFindings();
    const register = newFindings();
    let pending: Candidate[] = [];
    let n = 0;
    for await (const { line, progress } of lines) {
      const value = JSON.parse(line);
      if (!Array.isArray(value)) {
        // the file's own findings: counts, errors and report rows of the rows that failed
        const end = value as PlanEnd;
        const { errors, ...counts } = end.result;
        Object.assign(findings.result, counts);
        for (const e of errors as RowError[]) findings.errors.push(e);
        for (const e of end.errorRows) findings.errorRows.push(e);
        await this.checkRegister(actor, pending, register, sink);
        await ctx.progress(1000, 1000);
        // rows the register refuses need their cells in the error report: read from the file
        if (register.errorRows.length) await fillCells(data, register.errorRows);
        return this.finish(ctx, withRegister(findings, register), end.headerCells);
      }
      const plannedRow = fromLine(value as PlanLine);
      pending.push({ row: { rowNumber: plannedRow.rowNumber, cells: [] }, plannedRow });
      if (pending.length >= PLAN_BATCH) {
        await this.checkRegister(actor, pending, register, sink);
        pending = [];
        await ctx.progress(Math.round(progress * 1000), 1000);
      }
      if (++n % 200 === 0) await tick();
    }
    throw new Error('import plan ended early');
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
    const lines = linesOf(file.stream, file.size);
    try {
      const first = await lines.next();
      const head = first.done ? undefined : JSON.parse(first.value.line);
      if (!head || head.version !== PLAN_VERSION) return undefined;
      const { key, data } = await this.places(ctx);
      if (head.key !== key) return undefined;
      return await this.consume(ctx, lines, data, sink);
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
        // the chunk's rows are built (encrypted; on PostgreSQL made one statement, decisions/0094)
        // while the previous chunk is still being written (decisions/0076); they are sent once it has
        const built = await load.prepare(await this.build(rows, actor, now));
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
    built: PreparedPeople,
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
