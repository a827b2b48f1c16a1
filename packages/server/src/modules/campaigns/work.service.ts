import type {
  AssignmentAction,
  AssignmentDetail,
  AssignmentStatus,
  assignmentListQuery,
  FigureDef,
  reviewBody,
  reviewManyBody,
  saveDraftBody,
  submitReportBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { mayDecide } from '../../platform/access/approval-policy.js';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { bool, type Queryable, type Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import {
  ASSIGNMENT_FLOW,
  assigneeSide,
  campaignsRepo,
  displayStatus,
  issuerSide,
  json,
  OPEN_STATUSES,
} from './campaigns.repo.js';
import { type CampaignsContext, illegal, today } from './context.js';
import { cleanFileName, inspectUpload } from './files.js';
import { reminderDto } from './reminders.js';
import { workRepo } from './work.repo.js';

type AssignmentRow = NonNullable<Awaited<ReturnType<typeof campaignsRepo.assignment>>>;

/** The assignee's side of a task (save a draft, submit a report) and the issuer's review. */
export class WorkService {
  constructor(private readonly cx: CampaignsContext) {}

  private get db() {
    return this.cx.p.handle.db;
  }

  private async load(db: Queryable, ctx: RequestCtx, id: string): Promise<AssignmentRow> {
    const a = await campaignsRepo.assignment(db, ctx.actor.scope, id);
    if (!a) throw notFound();
    return a;
  }

  /** Accepting or returning a report: the issuing side, never the organisation that reported (decisions/0012). */
  private decides(ctx: RequestCtx, a: AssignmentRow): boolean {
    return mayDecide('campaign.report', ctx.actor, {
      requester: { orgId: a.org_id, orgPath: a.org_path },
      holder: { orgId: a.campaign_org_id, orgPath: a.campaign_org_path },
    });
  }

  /** What the caller may do with the assignment now (the web app shows exactly these buttons). */
  allowed(ctx: RequestCtx, a: AssignmentRow): string[] {
    const out: string[] = [];
    if (a.campaign_status !== 'issued') return out;
    const scope = ctx.actor.scope;
    const perms = ctx.actor.permissions;
    const issuer = issuerSide(scope, { org_id: a.campaign_org_id, org_path: a.campaign_org_path });
    for (const [action, flow] of Object.entries(ASSIGNMENT_FLOW) as [
      AssignmentAction,
      (typeof ASSIGNMENT_FLOW)['save'],
    ][]) {
      if (!flow.from.includes(a.status as 'submitted')) continue;
      const reviewing = action === 'accept' || action === 'return';
      if (
        reviewing
          ? this.decides(ctx, a) && perms.has('campaign:manage')
          : assigneeSide(scope, a) && perms.has('campaign:report')
      )
        out.push(action);
    }
    if (issuer && perms.has('campaign:manage') && OPEN_STATUSES.includes(a.status as 'returned')) out.push('nudge');
    return out;
  }

  private refuse(a: AssignmentRow, action: AssignmentAction) {
    return illegal(
      'campaigns.illegalAssignmentAction',
      a.status,
      action,
      Object.entries(ASSIGNMENT_FLOW)
        .filter(([, f]) => f.from.includes(a.status as 'submitted'))
        .map(([k]) => k),
    );
  }

  async list(ctx: RequestCtx, q: z.infer<typeof assignmentListQuery>) {
    const day = today(this.cx);
    const { rows, total } = await workRepo.page(this.db, ctx.actor.scope, q, day);
    return {
      items: rows.map((r) => ({
        id: r.id,
        campaignId: r.campaign_id,
        campaignTitle: r.campaign_title,
        taskId: r.task_id,
        taskTitle: r.task_title,
        deadline: r.deadline,
        orgId: r.org_id,
        orgName: r.org_name,
        status: r.status as 'submitted',
        displayStatus: displayStatus(r.status, r.deadline, day),
        submittedAt: r.submitted_at,
        version: r.version,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<AssignmentDetail> {
    const a = await this.load(db, ctx, id);
    const day = today(this.cx);
    const { task, reports, files, reminders } = await workRepo.detailRows(db, SYSTEM_SCOPE, a.task_id, id);
    const fileMap = new Map(files.map((f) => [f.id, f]));
    const provider = task.metric_key ? this.cx.metrics.get(task.metric_key) : undefined;
    const metric = provider
      ? { key: provider.key, label: provider.label, value: await provider.compute(db, a.org_path, a.campaign_id) }
      : null;
    const status = a.status as AssignmentDetail['status'];
    return {
      id: a.id,
      campaign: {
        id: a.campaign_id,
        title: a.campaign_title,
        status: a.campaign_status,
        docNumber: a.campaign_doc_number,
      },
      task: {
        id: task.id,
        itemTitle: task.item_title,
        title: task.title,
        description: task.description,
        deadline: a.deadline,
        figures: json<FigureDef[]>(task.figures, []),
        requireNarrative: bool(task.require_narrative),
        requireAttachment: bool(task.require_attachment),
      },
      orgId: a.org_id,
      orgName: a.org_name,
      status,
      displayStatus: displayStatus(a.status, a.deadline, day),
      overdue: displayStatus(a.status, a.deadline, day) === 'overdue',
      draft: json<AssignmentDetail['draft']>(a.draft, null),
      returnReason: a.return_reason,
      reports: reports.map((r) => ({
        id: r.id,
        narrative: r.narrative,
        figures: json<Record<string, number>>(r.figures, {}),
        files: json<string[]>(r.file_ids, [])
          .map((fid) => fileMap.get(fid))
          .filter((f) => !!f)
          .map((f) => ({ id: f.id, name: f.file_name, mime: f.mime, size: f.size })),
        submittedBy: r.submitted_by_name,
        submittedAt: r.submitted_at,
        late: bool(r.late),
        review: r.review as 'accepted' | null,
        reviewReason: r.review_reason,
        reviewedBy: r.reviewed_by,
        reviewedAt: r.reviewed_at,
      })),
      files: files.map((f) => ({ id: f.id, name: f.file_name, mime: f.mime, size: f.size, createdAt: f.created_at })),
      metric,
      reminders: reminders.map(reminderDto),
      allowed: this.allowed(ctx, a),
      version: a.version,
    };
  }

  /** Loads for a change on the assignee's side: visible, in scope, campaign issued, right version. */
  private async forAssignee(trx: Tx, ctx: RequestCtx, id: string, version: number, action: AssignmentAction) {
    const a = await this.load(trx, ctx, id);
    if (!assigneeSide(ctx.actor.scope, a)) throw notFound();
    if (a.campaign_status !== 'issued') throw conflict('campaign_not_open', 'campaigns.notOpen');
    if (a.version !== version) throw versionConflict();
    if (!ASSIGNMENT_FLOW[action].from.includes(a.status as 'submitted')) throw this.refuse(a, action);
    return a;
  }

  private async figuresOf(trx: Tx, taskId: string) {
    const tk = await workRepo.task(trx, SYSTEM_SCOPE, taskId);
    return { task: tk, figures: json<FigureDef[]>(tk.figures, []) };
  }

  async saveDraft(ctx: RequestCtx, id: string, body: z.infer<typeof saveDraftBody>) {
    return this.db.transaction().execute(async (trx) => {
      const a = await this.forAssignee(trx, ctx, id, body.version, 'save');
      const { figures } = await this.figuresOf(trx, a.task_id);
      const known = new Set(figures.map((f) => f.key));
      const values = Object.fromEntries(Object.entries(body.figures ?? {}).filter(([k]) => known.has(k)));
      const draft = { narrative: body.narrative ?? '', figures: values };
      await workRepo.updateAssignment(trx, id, {
        status: 'in_progress',
        draft: JSON.stringify(draft),
        version: a.version + 1,
        updated_at: nowIso(),
      });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.report.save',
        entityType: 'campaign_assignment',
        entityId: id,
        changes: { status: [a.status, 'in_progress'] },
      });
      return this.detail(ctx, id, trx);
    });
  }

  /** 填报: every figure asked for, the narrative and attachments as the task requires; late is recorded. */
  async submit(ctx: RequestCtx, id: string, body: z.infer<typeof submitReportBody>) {
    return this.db.transaction().execute(async (trx) => {
      const a = await this.forAssignee(trx, ctx, id, body.version, 'submit');
      const { task, figures } = await this.figuresOf(trx, a.task_id);
      const errors: { path: string; message: string }[] = [];
      for (const f of figures)
        if (body.figures[f.key] === undefined)
          errors.push({ path: `body.figures.${f.key}`, message: t('campaigns.figureMissing', { label: f.label }) });
      for (const k of Object.keys(body.figures))
        if (!figures.some((f) => f.key === k))
          errors.push({ path: `body.figures.${k}`, message: t('campaigns.figureUnknown', { key: k }) });
      if (bool(task.require_narrative) && !body.narrative)
        errors.push({ path: 'body.narrative', message: t('campaigns.narrativeRequired') });
      const own = await workRepo.ownFiles(trx, SYSTEM_SCOPE, id, body.fileIds);
      if (own.length !== new Set(body.fileIds).size)
        errors.push({ path: 'body.fileIds', message: t('campaigns.fileNotOwn') });
      if (bool(task.require_attachment) && body.fileIds.length === 0)
        errors.push({ path: 'body.fileIds', message: t('campaigns.attachmentRequired') });
      if (errors.length) throw new AppError(400, 'validation_failed', 'campaigns.reportInvalid', undefined, { errors });
      const now = nowIso();
      const late = a.deadline < today(this.cx);
      const reportId = uuidv7();
      await workRepo.insertReport(trx, {
        id: reportId,
        assignment_id: id,
        campaign_id: a.campaign_id,
        org_path: a.org_path,
        narrative: body.narrative,
        figures: JSON.stringify(body.figures),
        file_ids: JSON.stringify([...new Set(body.fileIds)]),
        submitted_by: ctx.actor.userId,
        submitted_by_name: ctx.actor.displayName,
        submitted_at: now,
        late: late ? 1 : 0,
        review: null,
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
      });
      await workRepo.updateAssignment(trx, id, {
        status: 'submitted',
        draft: null,
        submitted_at: now,
        version: a.version + 1,
        updated_at: now,
      });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.report.submit',
        entityType: 'campaign_assignment',
        entityId: id,
        changes: { status: [a.status, 'submitted'], report: [null, reportId], late },
      });
      await this.cx.notifications.notify(trx, {
        orgIds: [a.campaign_org_id],
        excludeUserIds: [ctx.actor.userId],
        kind: 'campaign.submitted',
        title: t('campaignNotify.submitted.title'),
        body: t('campaignNotify.submitted.body', { org: a.org_name, task: task.title, campaign: a.campaign_title }),
        entityType: 'campaign_assignment',
        entityId: id,
      });
      return this.detail(ctx, id, trx);
    });
  }

  /** 审核: accept, or return for revision with a reason the assignee sees. */
  async review(ctx: RequestCtx, id: string, body: z.infer<typeof reviewBody>) {
    return this.db.transaction().execute(async (trx) => {
      const a = await this.load(trx, ctx, id);
      if (!issuerSide(ctx.actor.scope, { org_id: a.campaign_org_id, org_path: a.campaign_org_path })) throw notFound();
      if (!this.decides(ctx, a)) throw forbidden('campaigns.ownReport');
      if (a.campaign_status !== 'issued') throw conflict('campaign_not_open', 'campaigns.notOpen');
      if (a.version !== body.version) throw versionConflict();
      const flow = ASSIGNMENT_FLOW[body.decision];
      if (!flow.from.includes(a.status as 'submitted')) throw this.refuse(a, body.decision);
      const now = nowIso();
      const reason = body.decision === 'return' ? (body.reason ?? null) : null;
      const last = await workRepo.lastReport(trx, SYSTEM_SCOPE, id);
      await workRepo.updateReport(trx, last.id, {
        review: flow.to,
        review_reason: reason,
        reviewed_by: ctx.actor.displayName,
        reviewed_at: now,
      });
      await workRepo.updateAssignment(trx, id, {
        status: flow.to,
        return_reason: reason,
        accepted_at: flow.to === 'accepted' ? now : null,
        version: a.version + 1,
        updated_at: now,
      });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: `campaign.report.${body.decision}`,
        entityType: 'campaign_assignment',
        entityId: id,
        changes: { status: [a.status, flow.to], ...(reason ? { reason } : {}) },
      });
      await this.cx.notifications.notify(trx, {
        orgIds: [a.org_id],
        excludeUserIds: [ctx.actor.userId],
        kind: `campaign.${flow.to}`,
        title: t(`campaignNotify.${flow.to}.title`),
        body: t(`campaignNotify.${flow.to}.body`, { campaign: a.campaign_title, reason: reason ?? '' }),
        entityType: 'campaign_assignment',
        entityId: id,
      });
      return this.detail(ctx, id, trx);
    });
  }

  /**
   * Several reports reviewed at once: each in its own transaction, so one refused row (another
   * reviewer was faster, a stale version, not yours) leaves the others done and says why.
   */
  async reviewMany(ctx: RequestCtx, body: z.infer<typeof reviewManyBody>) {
    const results: { id: string; ok: boolean; status?: AssignmentStatus; code?: string; message?: string }[] = [];
    for (const item of body.items) {
      try {
        const done = await this.review(ctx, item.id, {
          version: item.version,
          decision: body.decision,
          reason: body.reason,
        });
        results.push({ id: item.id, ok: true, status: done.status });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        results.push({ id: item.id, ok: false, code: e.code, message: e.message });
      }
    }
    return { results };
  }

  /** A photo or document for the report (before it is handed in). */
  async upload(ctx: RequestCtx, id: string, fileName: string | undefined, data: Buffer) {
    const name = cleanFileName(fileName);
    const upload = inspectUpload(data);
    return this.db.transaction().execute(async (trx) => {
      const a = await this.load(trx, ctx, id);
      if (!assigneeSide(ctx.actor.scope, a)) throw notFound();
      if (a.campaign_status !== 'issued') throw conflict('campaign_not_open', 'campaigns.notOpen');
      if (!OPEN_STATUSES.includes(a.status as 'returned')) throw badRequest('report_locked', 'campaigns.reportLocked');
      return this.cx.files.store(
        trx,
        ctx,
        { campaignId: a.campaign_id, type: 'assignment', id, orgPath: a.org_path },
        name,
        upload,
      );
    });
  }
}
