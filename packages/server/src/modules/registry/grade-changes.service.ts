import {
  type BeneficiaryDetail,
  CATEGORY_BY_CODE,
  type GradeChange,
  type gradeChangeBody,
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
 * A listener run in the change's transaction (after its audit entry); it may queue a job there and
 * answer with it — the job is started once the change is committed.
 */
export type GradeChangeListener = (
  trx: Tx,
  ctx: RequestCtx,
  change: RecordedGradeChange,
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
    return { items: (await gradeChangesRepo.list(db, beneficiaryId)).map(gradeChangeOut) };
  }

  async record(
    ctx: RequestCtx,
    beneficiaryId: string,
    body: Body,
  ): Promise<{ change: GradeChange; beneficiary: BeneficiaryDetail; backPayJobId: string | null }> {
    const today = localToday(this.p.config.tzDisplay);
    const { row, detail, job } = await this.p.handle.db.transaction().execute(async (trx) => {
      const person = await registryRepo.get(trx, ctx.actor.scope, beneficiaryId);
      if (!person || person.status === 'merged') throw notFound();
      if (person.version !== body.version) throw versionConflict();
      if (!CATEGORY_BY_CODE[body.code].requiresDisabilityGrade)
        throw badRequest('grade_not_applicable', 'beneficiary.gradeChange.notGraded');
      const category = (await registryRepo.assignments(trx, SYSTEM_SCOPE, beneficiaryId)).find(
        (a) => a.code === body.code,
      );
      if (!category || category.disability_grade == null)
        throw badRequest('category_not_held', 'beneficiary.gradeChange.noCategory');
      if (category.start_date && body.effectiveDate < category.start_date)
        throw badRequest('before_category_start', 'beneficiary.gradeChange.beforeStart', { date: category.start_date });
      if (category.end_date && body.effectiveDate > category.end_date)
        throw badRequest('after_category_end', 'beneficiary.gradeChange.afterEnd', { date: category.end_date });
      if (body.effectiveDate > today) throw badRequest('future_date', 'beneficiary.gradeChange.future');
      const last = await gradeChangesRepo.latest(trx, beneficiaryId, body.code);
      if (last && body.effectiveDate <= last.effective_date)
        throw conflict('grade_change_order', 'beneficiary.gradeChange.order', { date: last.effective_date });
      const causeFrom = category.disability_cause ?? null;
      const causeTo = body.disabilityCause === undefined ? causeFrom : body.disabilityCause;
      if (body.disabilityGrade === category.disability_grade && causeTo === causeFrom)
        throw badRequest('grade_unchanged', 'beneficiary.gradeChange.same');
      const row: GradeChangeRow = {
        id: uuidv7(),
        beneficiary_id: beneficiaryId,
        code: body.code,
        effective_date: body.effectiveDate,
        from_month: nextMonth(body.effectiveDate.slice(0, 7)),
        grade_from: category.disability_grade,
        grade_to: body.disabilityGrade,
        cause_from: causeFrom,
        cause_to: causeTo,
        document_no: body.documentNo,
        note: body.note ?? null,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      };
      await gradeChangesRepo.insert(trx, row);
      await gradeChangesRepo.setCurrentGrade(trx, beneficiaryId, body.code, body.disabilityGrade, causeTo);
      if (!(await registryRepo.update(trx, beneficiaryId, body.version, {}))) throw versionConflict();
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
      let job: { id: string; start(): void } | null = null;
      const recorded = { id: row.id, beneficiaryId, code: row.code, fromMonth: row.from_month };
      for (const l of this.listeners) job = (await l(trx, ctx, recorded)) ?? job;
      return { row, detail: await this.registry.detail(ctx, beneficiaryId, trx), job };
    });
    job?.start();
    return { change: gradeChangeOut(row), beneficiary: detail, backPayJobId: job?.id ?? null };
  }
}
