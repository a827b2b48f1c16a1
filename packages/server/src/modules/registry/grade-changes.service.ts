import {
  type BeneficiaryDetail,
  CATEGORY_BY_CODE,
  type GradeChange,
  type gradeChangeBody,
  type MessageKey,
  nextMonth,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { Tx } from '../../platform/db/index.js';
import { badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { type GradeChangeRow, gradeChangesRepo } from './grade-changes.repo.js';
import { registryRepo } from './registry.repo.js';
import type { RegistryService } from './registry.service.js';

type Body = z.infer<typeof gradeChangeBody>;

/** What a listener learns of a recorded change (benefits queues its back pay). */
export interface RecordedGradeChange {
  id: string;
  beneficiaryId: string;
  code: string;
  fromMonth: string;
}

/**
 * A listener run in the changes' transaction (after their audit entries), once for the changes
 * recorded together — one from the person's form, all of an import (decisions/0073); it may queue
 * a job there and answer with it — the job is started once the changes are committed.
 */
export type GradeChangeListener = (
  trx: Tx,
  ctx: RequestCtx,
  changes: readonly RecordedGradeChange[],
) => Promise<{ id: string; start(): void } | null>;

export function gradeChangeOut(r: GradeChangeRow): GradeChange {
  return {
    id: r.id,
    code: r.code as GradeChange['code'],
    effectiveDate: r.effective_date,
    fromMonth: r.from_month,
    gradeFrom: r.grade_from,
    gradeTo: r.grade_to,
    causeFrom: r.cause_from as GradeChange['causeFrom'],
    causeTo: r.cause_to as GradeChange['causeTo'],
    documentNo: r.document_no,
    note: r.note,
    createdAt: r.created_at,
  };
}

/**
 * 残疾等级 changes with their date (评残/调残, decisions/0056): the history of a person's grade and
 * 性质 per disabled category. The category row keeps the grade in force now; the entitlement of a
 * month reads the grade in force then (the new grade from the month after the decision). A change
 * is versioned on the person and audited in its transaction, where the listeners (benefits: the
 * back pay of months already paid, as a job) run too.
 */
export class GradeChangesService {
  private readonly listeners: GradeChangeListener[] = [];

  constructor(
    private readonly p: Platform,
    private readonly registry: RegistryService,
  ) {}

  /** Benefits registers here (the registry never names its tables, decisions/0024). */
  onRecorded(listener: GradeChangeListener) {
    this.listeners.push(listener);
  }

  async list(ctx: RequestCtx, beneficiaryId: string) {
    const db = this.p.handle.db;
    if (!(await registryRepo.get(db, ctx.actor.scope, beneficiaryId))) throw notFound();
    const own = await gradeChangesRepo.list(db, beneficiaryId);
    // a merge keeps both histories: the merged records' changes not copied with a category (decisions/0065)
    const same = (a: GradeChangeRow, b: GradeChangeRow) =>
      a.code === b.code &&
      a.effective_date === b.effective_date &&
      a.document_no === b.document_no &&
      a.grade_from === b.grade_from &&
      a.grade_to === b.grade_to;
    const merged = (await gradeChangesRepo.ofMergedInto(db, ctx.actor.scope, beneficiaryId)).filter(
      (m) => !own.some((o) => same(o, m)),
    );
    const items = [
      ...own.map((r) => ({ ...gradeChangeOut(r), mergedFromId: null })),
      ...merged.map((r) => ({ ...gradeChangeOut(r), mergedFromId: r.beneficiary_id })),
    ].sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate) || b.createdAt.localeCompare(a.createdAt));
    return { items };
  }

  async record(
    ctx: RequestCtx,
    beneficiaryId: string,
    body: Body,
  ): Promise<{ change: GradeChange; beneficiary: BeneficiaryDetail; backPayJobId: string | null }> {
    const { row, detail, job } = await this.p.handle.db.transaction().execute(async (trx) => {
      const person = await registryRepo.get(trx, ctx.actor.scope, beneficiaryId);
      if (!person || person.status === 'merged') throw notFound();
      if (person.version !== body.version) throw versionConflict();
      const { row, job } = await this.recordIn(trx, ctx, beneficiaryId, body);
      return { row, detail: await this.registry.detail(ctx, beneficiaryId, trx), job };
    });
    job?.start();
    return { change: gradeChangeOut(row), beneficiary: detail, backPayJobId: job?.id ?? null };
  }

  /**
   * Records a change of a person the caller has read in scope, inside the caller's transaction
   * (the person's form, the xlsx import): checked (`gradeChangeProblem`), inserted, the category's
   * grade in force set, the person's version bumped, audited, the listeners run. The caller starts
   * the returned job after its commit. With `batch` the listeners do not run: the change is pushed
   * there, and the caller runs them once for the batch (`recordedIn`) before its commit.
   */
  async recordIn(
    trx: Tx,
    ctx: RequestCtx,
    beneficiaryId: string,
    body: Omit<Body, 'version'> & { version?: number },
    batch?: RecordedGradeChange[],
  ) {
    const category = (await registryRepo.assignments(trx, SYSTEM_SCOPE, beneficiaryId)).find(
      (a) => a.code === body.code,
    );
    const last = await gradeChangesRepo.latest(trx, beneficiaryId, body.code);
    const problem = gradeChangeProblem(
      category,
      last?.effective_date ?? null,
      body,
      localToday(this.p.config.tzDisplay),
    );
    if (problem) {
      const make = problem.code === 'grade_change_order' ? conflict : badRequest;
      throw make(problem.code, problem.key, problem.params);
    }
    const causeFrom = category!.disability_cause ?? null;
    const causeTo = body.disabilityCause === undefined ? causeFrom : body.disabilityCause;
    const row: GradeChangeRow = {
      id: uuidv7(),
      beneficiary_id: beneficiaryId,
      code: body.code,
      effective_date: body.effectiveDate,
      from_month: nextMonth(body.effectiveDate.slice(0, 7)),
      grade_from: category!.disability_grade!,
      grade_to: body.disabilityGrade,
      cause_from: causeFrom,
      cause_to: causeTo,
      document_no: body.documentNo,
      note: body.note ?? null,
      created_by: ctx.actor.userId === 'system' ? null : ctx.actor.userId,
      created_at: nowIso(),
    };
    await gradeChangesRepo.insert(trx, row);
    await gradeChangesRepo.setCurrentGrade(trx, beneficiaryId, body.code, body.disabilityGrade, causeTo);
    const version = body.version ?? (await registryRepo.get(trx, SYSTEM_SCOPE, beneficiaryId))?.version;
    if (version === undefined || !(await registryRepo.update(trx, beneficiaryId, version, {}))) throw versionConflict();
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action: 'beneficiary.gradeChange',
      entityType: 'beneficiary',
      entityId: beneficiaryId,
      changes: {
        category: body.code,
        disability_grade: [row.grade_from, row.grade_to],
        disability_cause: [row.cause_from, row.cause_to],
        effective_date: row.effective_date,
        from_month: row.from_month,
        document_no: row.document_no,
      },
    });
    const recorded = { id: row.id, beneficiaryId, code: row.code, fromMonth: row.from_month };
    if (batch) {
      batch.push(recorded);
      return { row, job: null };
    }
    return { row, job: await this.recordedIn(trx, ctx, [recorded]) };
  }

  /**
   * Runs the listeners once for changes recorded in `trx` (`recordIn` with a batch): the import's
   * changes queue one back-pay job (decisions/0073). The caller starts the job after its commit.
   */
  async recordedIn(trx: Tx, ctx: RequestCtx, changes: readonly RecordedGradeChange[]) {
    let job: { id: string; start(): void } | null = null;
    if (!changes.length) return job;
    for (const l of this.listeners) job = (await l(trx, ctx, changes)) ?? job;
    return job;
  }
}

/** Why a change cannot be recorded (an i18n key and its error code), or null: shared by the form and the import. */
export function gradeChangeProblem(
  category:
    | {
        disability_grade: number | null;
        disability_cause?: string | null;
        start_date: string | null;
        end_date: string | null;
      }
    | undefined,
  lastEffectiveDate: string | null,
  body: { code: string; effectiveDate: string; disabilityGrade: number; disabilityCause?: string | null },
  today: string,
): { code: string; key: MessageKey; params?: Record<string, string> } | null {
  if (!CATEGORY_BY_CODE[body.code as keyof typeof CATEGORY_BY_CODE]?.requiresDisabilityGrade)
    return { code: 'grade_not_applicable', key: 'beneficiary.gradeChange.notGraded' };
  if (!category || category.disability_grade == null)
    return { code: 'category_not_held', key: 'beneficiary.gradeChange.noCategory' };
  if (category.start_date && body.effectiveDate < category.start_date)
    return {
      code: 'before_category_start',
      key: 'beneficiary.gradeChange.beforeStart',
      params: { date: category.start_date },
    };
  if (category.end_date && body.effectiveDate > category.end_date)
    return { code: 'after_category_end', key: 'beneficiary.gradeChange.afterEnd', params: { date: category.end_date } };
  if (body.effectiveDate > today) return { code: 'future_date', key: 'beneficiary.gradeChange.future' };
  if (lastEffectiveDate && body.effectiveDate <= lastEffectiveDate)
    return { code: 'grade_change_order', key: 'beneficiary.gradeChange.order', params: { date: lastEffectiveDate } };
  const causeFrom = category.disability_cause ?? null;
  const causeTo = body.disabilityCause === undefined ? causeFrom : body.disabilityCause;
  if (body.disabilityGrade === category.disability_grade && causeTo === causeFrom)
    return { code: 'grade_unchanged', key: 'beneficiary.gradeChange.same' };
  return null;
}
