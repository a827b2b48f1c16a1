import type {
  CampaignAction,
  CampaignDetail,
  CampaignKind,
  CampaignListItem,
  campaignListQuery,
  copyCampaignBody,
  createCampaignBody,
  updateCampaignBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import {
  addDays,
  assigneeSide,
  CAMPAIGN_FLOW,
  campaignsRepo,
  completion,
  issuerSide,
  json,
  OPEN_STATUSES,
} from './campaigns.repo.js';
import type { CampaignsTable } from './campaigns.schema.js';
import { type CampaignsContext, illegal, today } from './context.js';
import { type TaskInput, TasksService } from './tasks.service.js';

/** A campaign as other modules see it: what it is for and when. */
export interface CampaignFacts {
  kind: CampaignKind;
  title: string;
  periodStart: string | null;
  periodEnd: string | null;
  issueDate: string | null;
  createdAt: string;
}

type CampaignRow = Selectable<CampaignsTable> & { org_name: string };
type Counts = CampaignListItem['counts'];

/** Campaigns: create from a checked proposal, edit, issue / close / reopen, copy as a template, read. */
export class CampaignsService {
  readonly tasks: TasksService;

  constructor(private readonly cx: CampaignsContext) {
    this.tasks = new TasksService(cx);
  }

  private get db() {
    return this.cx.p.handle.db;
  }

  async load(db: Queryable, ctx: RequestCtx, id: string, manage = false): Promise<CampaignRow> {
    const c = await campaignsRepo.campaign(db, ctx.actor.scope, id);
    if (!c) throw notFound();
    if (manage && !issuerSide(ctx.actor.scope, c)) throw notFound();
    return c;
  }

  /** The festival facts of a campaign another module's record references (visit letters). */
  async facts(id: string): Promise<CampaignFacts | undefined> {
    const c = await campaignsRepo.facts(this.db, SYSTEM_SCOPE, id);
    if (!c) return undefined;
    return {
      kind: c.kind as CampaignKind,
      title: c.title,
      periodStart: c.period_start,
      periodEnd: c.period_end,
      issueDate: c.issue_date,
      createdAt: c.created_at,
    };
  }

  /** Assignment counts per campaign, over the assignments the caller sees (all of them on the issuer side). */
  private async counts(db: Queryable, scope: Scope, rows: CampaignRow[]): Promise<Map<string, Counts>> {
    const out = new Map<string, Counts>();
    if (!rows.length) return out;
    const day = today(this.cx);
    const own = rows.filter((c) => issuerSide(scope, c)).map((c) => c.id);
    const others = rows.filter((c) => !issuerSide(scope, c)).map((c) => c.id);
    const query = (ids: string[], scoped: boolean) => campaignsRepo.assignmentCounts(db, scope, ids, scoped, day);
    const groups = [
      ...(own.length ? await query(own, false) : []),
      ...(others.length ? await query(others, true) : []),
    ];
    for (const g of groups) {
      const c = out.get(g.campaign_id) ?? { assigned: 0, accepted: 0, submitted: 0, overdue: 0, completion: 0 };
      const n = toNumber(g.n);
      c.assigned += n;
      if (g.status === 'accepted') c.accepted += n;
      if (g.status === 'submitted') c.submitted += n;
      if (OPEN_STATUSES.includes(g.status as 'not_started')) c.overdue += toNumber(g.late);
      out.set(g.campaign_id, c);
    }
    for (const c of out.values()) c.completion = completion(c.accepted, c.assigned);
    return out;
  }

  private async firstDeadlines(db: Queryable, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await campaignsRepo.firstDeadlines(db, SYSTEM_SCOPE, ids);
    return new Map(rows.map((r) => [r.campaign_id, String(r.first)]));
  }

  private header(c: CampaignRow, counts: Counts | undefined, first: string | undefined): CampaignListItem {
    return {
      id: c.id,
      title: c.title,
      docNumber: c.doc_number,
      kind: c.kind as CampaignListItem['kind'],
      status: c.status as CampaignListItem['status'],
      issuers: json<string[]>(c.issuers, []),
      issueDate: c.issue_date,
      orgName: c.org_name,
      firstDeadline: first ?? null,
      counts: counts ?? { assigned: 0, accepted: 0, submitted: 0, overdue: 0, completion: 0 },
      createdAt: c.created_at,
      version: c.version,
    };
  }

  async list(ctx: RequestCtx, q: z.infer<typeof campaignListQuery>) {
    const scope = ctx.actor.scope;
    const { rows, total } = await campaignsRepo.page(this.db, scope, q);
    const [counts, firsts] = await Promise.all([
      this.counts(this.db, scope, rows),
      this.firstDeadlines(
        this.db,
        rows.map((r) => r.id),
      ),
    ]);
    return {
      items: rows.map((c) => this.header(c, counts.get(c.id), firsts.get(c.id))),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<CampaignDetail> {
    const c = await this.load(db, ctx, id);
    const scope = ctx.actor.scope;
    const issuer = issuerSide(scope, c);
    const day = today(this.cx);
    const [items, tasks, assignments, files, counts, firsts] = await Promise.all([
      campaignsRepo.items(db, SYSTEM_SCOPE, id),
      campaignsRepo.tasks(db, SYSTEM_SCOPE, id),
      campaignsRepo.assignmentsWithOrg(db, SYSTEM_SCOPE, id),
      campaignsRepo.filesOf(db, SYSTEM_SCOPE, id),
      this.counts(db, scope, [c]),
      this.firstDeadlines(db, [id]),
    ]);
    const mine = assignments.filter((a) => issuer || assigneeSide(scope, a));
    const taskDtos = tasks
      .map((tk) =>
        this.tasks.toDto(
          tk,
          mine.filter((a) => a.task_id === tk.id),
          day,
        ),
      )
      .filter((tk) => issuer || tk.assignments.length > 0);
    return {
      ...this.header(c, counts.get(id), firsts.get(id)),
      recipients: json<string[]>(c.recipients, []),
      periodStart: c.period_start,
      periodEnd: c.period_end,
      fullText: c.full_text,
      requirements: json<string[]>(c.requirements, []),
      remindDaysBefore: c.remind_days_before,
      sourceId: c.source_id,
      issuerView: issuer,
      items: items.map((it) => ({
        id: it.id,
        ordinal: it.ordinal,
        title: it.title,
        body: it.body,
        tasks: taskDtos.filter((tk) => tk.itemId === it.id),
      })),
      files: files.map((f) => ({ id: f.id, name: f.file_name, mime: f.mime, size: f.size, createdAt: f.created_at })),
    };
  }

  /** Creates a draft campaign with its items, tasks and one assignment per task and recipient org. */
  async create(ctx: RequestCtx, body: z.infer<typeof createCampaignBody>, sourceId: string | null = null) {
    return this.db.transaction().execute(async (trx) => {
      const id = uuidv7();
      const now = nowIso();
      await campaignsRepo.insert(trx, {
        id,
        org_id: ctx.actor.orgId,
        org_path: ctx.actor.orgPath,
        title: body.title,
        doc_number: body.docNumber || null,
        kind: body.kind,
        status: 'draft',
        issuers: JSON.stringify(body.issuers),
        recipients: JSON.stringify(body.recipients),
        issue_date: body.issueDate ?? null,
        period_start: body.periodStart ?? null,
        period_end: body.periodEnd ?? null,
        full_text: body.fullText?.trim() || null,
        requirements: JSON.stringify(body.requirements),
        remind_days_before: body.remindDaysBefore,
        source_id: sourceId,
        created_by: ctx.actor.userId,
        issued_at: null,
        closed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      let taskCount = 0;
      let assignmentCount = 0;
      const ordinals = new Set<number>();
      for (const item of [...body.items].sort((a, b) => a.ordinal - b.ordinal)) {
        if (ordinals.has(item.ordinal)) throw badRequest('duplicate_ordinal', 'campaigns.duplicateOrdinal');
        ordinals.add(item.ordinal);
        const itemId = uuidv7();
        await campaignsRepo.insertItem(trx, {
          id: itemId,
          campaign_id: id,
          org_path: ctx.actor.orgPath,
          ordinal: item.ordinal,
          title: item.title,
          body: item.body,
          created_at: now,
        });
        for (const task of item.tasks) {
          const added = await this.tasks.insert(trx, { id, org_path: ctx.actor.orgPath }, itemId, ++taskCount, task);
          assignmentCount += added;
        }
      }
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: sourceId ? 'campaign.copy' : 'campaign.create',
        entityType: 'campaign',
        entityId: id,
        changes: {
          title: [null, body.title],
          items: body.items.length,
          tasks: taskCount,
          assignments: assignmentCount,
          ...(sourceId ? { source: sourceId } : {}),
        },
      });
      return this.detail(ctx, id, trx);
    });
  }

  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updateCampaignBody>) {
    return this.db.transaction().execute(async (trx) => {
      const c = await this.load(trx, ctx, id, true);
      if (c.version !== body.version) throw versionConflict();
      if (c.status === 'closed') throw conflict('campaign_closed', 'campaigns.closed');
      const patch: Partial<CampaignsTable> = {};
      if (body.title !== undefined) patch.title = body.title;
      if (body.docNumber !== undefined) patch.doc_number = body.docNumber || null;
      if (body.issuers !== undefined) patch.issuers = JSON.stringify(body.issuers);
      if (body.recipients !== undefined) patch.recipients = JSON.stringify(body.recipients);
      if (body.issueDate !== undefined) patch.issue_date = body.issueDate;
      if (body.periodStart !== undefined) patch.period_start = body.periodStart;
      if (body.periodEnd !== undefined) patch.period_end = body.periodEnd;
      if (body.requirements !== undefined) patch.requirements = JSON.stringify(body.requirements);
      if (body.kind !== undefined) patch.kind = body.kind;
      if (body.remindDaysBefore !== undefined) patch.remind_days_before = body.remindDaysBefore;
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [k, v] of Object.entries(patch)) changes[k] = [c[k as keyof CampaignsTable], v];
      await campaignsRepo.update(trx, id, { ...patch, version: c.version + 1, updated_at: nowIso() });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: 'campaign.update',
        entityType: 'campaign',
        entityId: id,
        changes,
      });
      return this.detail(ctx, id, trx);
    });
  }

  /** 下发 / 结束 / 重新开启; an action the status does not allow is refused with the allowed ones. */
  async act(ctx: RequestCtx, id: string, body: { version: number; action: CampaignAction }) {
    return this.db.transaction().execute(async (trx) => {
      const c = await this.load(trx, ctx, id, true);
      if (c.version !== body.version) throw versionConflict();
      const flow = CAMPAIGN_FLOW[body.action];
      if (c.status !== flow.from) {
        const allowed = Object.entries(CAMPAIGN_FLOW)
          .filter(([, f]) => f.from === c.status)
          .map(([a]) => a);
        throw illegal('campaigns.illegalCampaignAction', c.status, body.action, allowed);
      }
      if (body.action === 'issue') {
        const n = await campaignsRepo.assignmentCount(trx, SYSTEM_SCOPE, id);
        if (n === 0) throw conflict('no_tasks', 'campaigns.noTasks');
      }
      const now = nowIso();
      await campaignsRepo.update(trx, id, {
        status: flow.to,
        version: c.version + 1,
        updated_at: now,
        ...(body.action === 'issue' ? { issued_at: now, issue_date: c.issue_date ?? today(this.cx) } : {}),
        ...(body.action === 'close' ? { closed_at: now } : {}),
      });
      await this.cx.p.audit.append(trx, auditActorOf(ctx), {
        action: `campaign.${body.action}`,
        entityType: 'campaign',
        entityId: id,
        changes: { status: [c.status, flow.to] },
      });
      if (body.action === 'issue') await this.notifyIssued(trx, ctx, c);
      return this.detail(ctx, id, trx);
    });
  }

  private async notifyIssued(trx: Tx, ctx: RequestCtx, c: CampaignRow) {
    const orgs = await campaignsRepo.assigneeOrgIds(trx, SYSTEM_SCOPE, c.id);
    await this.cx.notifications.notify(trx, {
      orgIds: orgs.map((o) => o.org_id),
      excludeUserIds: [ctx.actor.userId],
      kind: 'campaign.issued',
      title: t('campaignNotify.issued.title', { title: c.title }),
      body: t('campaignNotify.issued.body', { issuers: json<string[]>(c.issuers, []).join('、'), title: c.title }),
      entityType: 'campaign',
      entityId: c.id,
    });
  }

  /** A new draft from an earlier campaign (元旦春节, 八一, 清明, 烈士纪念日 …): items, tasks, recipients re-resolved. */
  async copy(ctx: RequestCtx, id: string, body: z.infer<typeof copyCampaignBody>) {
    const src = await this.load(this.db, ctx, id, true);
    const [items, tasks] = await Promise.all([
      campaignsRepo.items(this.db, SYSTEM_SCOPE, id),
      campaignsRepo.tasks(this.db, SYSTEM_SCOPE, id),
    ]);
    const shift = (d: string | null) => (d ? addDays(d, body.shiftDays) : undefined);
    return this.create(
      ctx,
      {
        title: body.title,
        docNumber: undefined,
        issuers: json<string[]>(src.issuers, []),
        recipients: json<string[]>(src.recipients, []),
        issueDate: undefined,
        periodStart: shift(src.period_start),
        periodEnd: shift(src.period_end),
        fullText: undefined,
        requirements: json<string[]>(src.requirements, []),
        kind: body.kind ?? (src.kind as 'other'),
        remindDaysBefore: src.remind_days_before,
        items: items.map((it) => ({
          ordinal: it.ordinal,
          title: it.title,
          body: it.body,
          tasks: tasks
            .filter((tk) => tk.item_id === it.id)
            .map((tk): TaskInput => ({ ...this.tasks.inputOf(tk), deadline: addDays(tk.deadline, body.shiftDays) })),
        })),
      },
      id,
    );
  }
}
