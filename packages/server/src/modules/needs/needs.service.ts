import type { createNeedBody, NeedDetail, needListQuery } from '@shuangyong/shared';
import { ROLE_DEFINITIONS, ROLES, t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import type { UsersService } from '../users/users.module.js';
import { needCountsRepo } from './counts.repo.js';
import { NeedsReadModel, slaBounds } from './needs.cockpit.js';
import { NeedEscalation, type SweepResult } from './needs.escalation.js';
import { type NeedFilter, needsRepo, newNeedRow } from './needs.repo.js';
import { actionsFor, seesMilitary, toDetail, toListItem } from './needs.view.js';
import { eventActor, NeedWorkflow } from './needs.workflow.js';

type ListQuery = z.infer<typeof needListQuery>;

const TRIAGE_ROLES = ROLES.filter((r) => r !== 'sys_admin' && ROLE_DEFINITIONS[r].permissions.includes('need:triage'));

/**
 * 急难愁盼 cases: intake, lists and details in the two views (military / civilian), the deadline
 * sweep; the life-cycle actions live in `workflow`.
 */
export class NeedsService {
  constructor(
    private readonly p: Platform,
    readonly notifications: NotificationsService,
    private readonly orgs: OrgsService,
    private readonly users: UsersService,
  ) {
    this.escalation = new NeedEscalation(p, notifications, this);
    this.workflow = new NeedWorkflow(p, notifications, this, orgs);
    this.read = new NeedsReadModel(p);
  }

  /** Active users whose roles triage needs at city level (the city's supervisors), not the system admin. */
  triagers(db: Queryable): Promise<string[]> {
    return this.users.activeWithAnyRole(db, TRIAGE_ROLES);
  }

  /** Aggregates for the cockpit and the daily brief (counts by status / department with SLA colours). */
  readonly read: NeedsReadModel;

  /** The life-cycle actions (accept, assign, resolve …). */
  readonly workflow: NeedWorkflow;

  private readonly escalation: NeedEscalation;

  private get db() {
    return this.p.handle.db;
  }

  /** Today's local date in the configured zone (deadlines are local working days). */
  today(now = new Date()): string {
    return localDate(now, this.p.config.tzDisplay);
  }

  visible(db: Queryable, scope: RequestCtx['actor']['scope'], id: string) {
    return needsRepo.get(db, scope, id);
  }

  async filterOf(ctx: RequestCtx, q: Partial<ListQuery>): Promise<NeedFilter> {
    const f: NeedFilter = {
      status: q.status,
      category: q.category,
      priority: q.priority,
      source: q.source,
      tag: q.tag,
      leadOrgId: q.leadOrgId,
      q: q.q,
    };
    if (q.open) f.open = q.open === 'true';
    if (q.orgId) {
      const org = await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      f.orgPath = org.path;
    }
    if (q.overdue === 'true') f.overdueBefore = this.today();
    if (q.overdue === 'false') f.notOverdueBefore = this.today();
    if (q.sla) f.sla = { level: q.sla, ...slaBounds(this.today()) };
    if (q.inbox === 'true') f.handlerOrgId = ctx.actor.orgId;
    return f;
  }

  async page(ctx: RequestCtx, q: ListQuery) {
    const f = await this.filterOf(ctx, q);
    const { rows, total } = await needsRepo.page(this.db, ctx.actor.scope, f, q.page, q.pageSize, q.sort, q.order);
    const tags = await needsRepo.tagsOf(
      this.db,
      SYSTEM_SCOPE,
      rows.map((r) => r.id),
    );
    const today = this.today();
    const military = seesMilitary(ctx.actor);
    return {
      items: rows.map((r) => toListItem(r, tags.get(r.id) ?? [], today, military)),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<NeedDetail> {
    const r = await needsRepo.get(db, ctx.actor.scope, id);
    if (!r) throw notFound();
    const military = seesMilitary(ctx.actor);
    const [tags, handlers, events, attachments, duplicates] = await Promise.all([
      needsRepo.tagsOf(db, SYSTEM_SCOPE, [id]),
      needsRepo.handlers(db, SYSTEM_SCOPE, id),
      needsRepo.events(db, SYSTEM_SCOPE, id, military),
      needsRepo.attachments(db, SYSTEM_SCOPE, id, military),
      needsRepo.duplicates(db, SYSTEM_SCOPE, id),
    ]);
    const actions = actionsFor(
      ctx.actor,
      r,
      handlers.map((h) => h.org_id),
    );
    return toDetail(r, {
      tags: tags.get(id) ?? [],
      today: this.today(),
      military,
      handlers,
      events,
      attachments,
      duplicates,
      actions,
    });
  }

  async create(ctx: RequestCtx, body: z.infer<typeof createNeedBody>): Promise<NeedDetail> {
    const actor = ctx.actor;
    const military = seesMilitary(actor);
    if ((body.militaryDetail || body.militaryContact) && !military)
      throw badRequest('military_field_not_allowed', 'need.militaryFieldNotAllowed');
    const id = await this.db.transaction().execute(async (trx) => {
      const org = body.orgId
        ? await this.orgs.inScope(trx, actor.scope, body.orgId)
        : await this.orgs.inScope(trx, SYSTEM_SCOPE, actor.orgId);
      if (!org?.active) throw forbidden('need.orgNotAllowed');
      const category = await needsRepo.category(trx, body.category);
      if (!category?.active) throw badRequest('unknown_category', 'need.unknownCategory', { code: body.category });
      const id = uuidv7();
      const now = nowIso();
      await needCountsRepo.around(trx, id, () =>
        needsRepo.insert(
          trx,
          newNeedRow({
            id,
            org_id: org.id,
            org_path: org.path,
            created_by: actor.userId,
            requester_name: actor.displayName,
            source: body.source ?? (military ? 'unit' : 'visit'),
            category: body.category,
            priority: body.priority,
            title: body.title,
            description: body.description,
            military_detail: body.militaryDetail ?? null,
            military_contact: body.militaryContact ?? null,
            created_at: now,
          }),
        ),
      );
      if (body.tags?.length) await needsRepo.setTags(trx, { id, org_path: org.path }, body.tags);
      await needsRepo.addEvent(trx, {
        needId: id,
        orgPath: org.path,
        actor: eventActor(ctx),
        kind: 'submitted',
        to: 'submitted',
        at: now,
      });
      // the audit trail is read by civilian auditors: military-only content is noted, never copied
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.create',
        entityType: 'need',
        entityId: id,
        changes: {
          title: [null, body.title],
          category: [null, body.category],
          priority: [null, body.priority],
          org: [null, org.id],
          tags: [null, body.tags ?? []],
          military_only_content: [null, !!(body.militaryDetail || body.militaryContact)],
        },
      });
      await this.notifications.notify(trx, {
        userIds: await this.triagers(trx),
        excludeUserIds: [actor.userId],
        kind: 'need.submitted',
        title: t('needNotify.submitted.title'),
        body: t('needNotify.submitted.body', { org: org.name, title: body.title }),
        entityType: 'need',
        entityId: id,
      });
      return id;
    });
    await this.notifications.flush().catch(() => undefined);
    return this.detail(ctx, id);
  }

  /**
   * Read model of the home page: cases closed since `since` (an ISO instant, e.g. the start of
   * the week) in the caller's scope, with their average rating.
   */
  closedSince(ctx: RequestCtx, since: string) {
    return needsRepo.closedSince(this.db, ctx.actor.scope, since);
  }

  /**
   * Demo city only (`seed --demo`, never a route): moves a case's dates `days` calendar days into
   * the past, so that the demo shows cases past their working-day deadline.
   */
  async backdateForDemo(id: string, days: number): Promise<void> {
    const r = await needsRepo.get(this.db, SYSTEM_SCOPE, id);
    if (!r) throw notFound();
    const ms = days * 86_400_000;
    const back = (iso: string | null) => (iso ? new Date(Date.parse(iso) - ms).toISOString() : null);
    const backDay = (day: string | null) =>
      day ? new Date(Date.parse(`${day}T00:00:00Z`) - ms).toISOString().slice(0, 10) : null;
    await this.db.transaction().execute((trx) =>
      needCountsRepo.around(trx, id, () =>
        needsRepo.update(trx, id, r.version, {
          created_at: back(r.created_at) ?? r.created_at,
          accepted_at: back(r.accepted_at),
          assigned_at: back(r.assigned_at),
          started_at: back(r.started_at),
          deadline: backDay(r.deadline),
        }),
      ),
    );
  }

  /** Escalates the cases past their deadline and reminds those close to it (see NeedEscalation). */
  escalateOverdue(now = new Date()): Promise<SweepResult> {
    return this.escalation.sweep(now);
  }
}
