import { createHash } from 'node:crypto';
import type {
  BudgetLine,
  createEventBody,
  EventAction,
  EventDetail,
  EventListItem,
  EventStatus,
  EventType,
  EventWarning,
  eventAttendanceBody,
  eventCancelBody,
  eventInviteBody,
  eventListQuery,
  eventNoteBody,
  eventNoticeBody,
  Finding,
  updateEventBody,
} from '@shuangyong/shared';
import { EVENT_TYPES, t } from '@shuangyong/shared';
import type { z } from 'zod';
import { pathInSubtree, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { Campaigns } from '../campaigns/campaigns.module.js';
import { type CampaignOfTask, checkTaskOfCampaign } from './campaign-task.js';
import { type ConfidentialityChecks, seesMilitary } from './checks.service.js';
import { type EventFilter, type EventRow, type EventViewer, eventsRepo } from './events.repo.js';

type CreateBody = z.infer<typeof createEventBody>;
type UpdateBody = z.infer<typeof updateEventBody>;

/** The visits module's budget lines of a campaign within the caller's scope (its money service). */
export interface BudgetLines {
  budgetLines(ctx: RequestCtx, campaignId: string, db?: Queryable): Promise<{ items: BudgetLine[] }>;
}

const yuan = (fen: number) => (fen / 100).toFixed(2).replace(/\.00$/, '');

/** The hash of what a published notice says: if any of it changes, the notice must pass the checks again. */
export function noticeHash(r: Pick<EventRow, 'title' | 'event_date' | 'start_time' | 'end_time' | 'place' | 'notice'>) {
  return createHash('sha256')
    .update(JSON.stringify([r.title, r.event_date, r.start_time, r.end_time, r.place, r.notice]))
    .digest('hex');
}

/** The text of the notice as the public reads it: title, time, place and the notice itself. */
function noticeText(r: Pick<EventRow, 'title' | 'place' | 'notice'>): string {
  return [r.title, r.place, r.notice ?? ''].join('\n');
}

export const viewerOf = (a: Pick<Actor, 'scope' | 'orgSide'>): EventViewer => ({
  scope: a.scope,
  militaryCityWide: seesMilitary(a) && a.scope.kind === 'all',
});

const toListItem = (r: EventRow): EventListItem => ({
  id: r.id,
  type: r.type as EventType,
  title: r.title,
  date: r.event_date,
  startTime: r.start_time,
  endTime: r.end_time,
  place: r.place,
  status: r.status as EventStatus,
  orgId: r.org_id,
  orgName: r.org_name,
  partnerOrgId: r.partner_org_id,
  partnerOrgName: r.partner_org_name,
  campaignId: r.campaign_id,
  involvesTroops: r.involves_troops === 1,
  noticePublished: !!r.notice_published_at,
  invited: toNumber(r.invited),
});

/**
 * 双拥活动: plan (date, place, organisers on both sides, a budget line of the campaign), invitations
 * and attendance, photos and an after-action note; planned → held → closed, or cancelled. The
 * notice goes out only after the confidentiality checks pass (decisions/0043).
 */
export class EventsService {
  constructor(
    private readonly p: Platform,
    private readonly checks: ConfidentialityChecks,
    private readonly money: BudgetLines,
    private readonly campaignOfTask: CampaignOfTask,
  ) {}

  get db() {
    return this.p.handle.db;
  }

  today(now = new Date()): string {
    return localDate(now, this.p.config.tzDisplay);
  }

  visible(db: Queryable, actor: Pick<Actor, 'scope' | 'orgSide'>, id: string) {
    return eventsRepo.get(db, viewerOf(actor), id);
  }

  titles(db: Queryable, actor: Pick<Actor, 'scope' | 'orgSide'>, ids: readonly string[]) {
    return eventsRepo.titles(db, viewerOf(actor), ids);
  }

  /** The organiser's org and those above it manage; the partner organiser records what happened. */
  private manages(actor: Actor, r: EventRow): boolean {
    return (
      actor.permissions.has('publicity:write') &&
      scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path, ownerId: r.created_by }) &&
      pathInSubtree(r.org_path, actor.orgPath)
    );
  }

  private partners(actor: Actor, r: EventRow): boolean {
    return actor.permissions.has('publicity:write') && !!r.partner_path && pathInSubtree(r.partner_path, actor.orgPath);
  }

  actionsFor(actor: Actor, r: EventRow): EventAction[] {
    const manage = this.manages(actor, r);
    const out: EventAction[] = [];
    if (r.status === 'planned' && manage) out.push('edit', 'invite', 'notice', 'hold', 'cancel');
    if (r.status === 'held' && (manage || this.partners(actor, r))) out.push('record');
    if (r.status === 'held' && manage) out.push('close');
    return out;
  }

  /** An event that took place (held or closed) is model-city evidence; the modelcity source asks here. */
  isEvidence(r: Pick<EventRow, 'status'>): boolean {
    return r.status === 'held' || r.status === 'closed';
  }

  /**
   * May the caller file the event as model-city evidence? The rule the modelcity module applies to
   * a tag (sources.ts, modelcity.service.ts): evidence (`isEvidence`), organiser in scope.
   */
  modelcityTaggable(actor: Actor, r: EventRow): boolean {
    return (
      actor.permissions.has('modelcity:write') &&
      this.isEvidence(r) &&
      scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path })
    );
  }

  async invitable(ctx: RequestCtx) {
    return { items: await eventsRepo.invitable(this.db, ctx.actor.scope) };
  }

  async page(ctx: RequestCtx, q: z.infer<typeof eventListQuery>) {
    const f: EventFilter = { campaignId: q.campaignId, status: q.status, from: q.from, to: q.to };
    const { rows, total } = await eventsRepo.page(this.db, viewerOf(ctx.actor), f, q.page, q.pageSize);
    return { items: rows.map(toListItem), total, page: q.page, pageSize: q.pageSize };
  }

  /** Held or closed events organised within the scope, dated in [from, to] (model-city evidence). */
  async evidence(actor: Pick<Actor, 'scope' | 'orgSide'>, range: { from: string; to: string; pageSize: number }) {
    const { rows } = await eventsRepo.page(
      this.db,
      { scope: actor.scope, militaryCityWide: false },
      { from: range.from, to: range.to, done: true },
      1,
      range.pageSize,
    );
    return rows.map(toListItem);
  }

  /** The budget warnings: the line must be the campaign's, and what the events plan to spend must fit what is left. */
  private async warnings(
    ctx: RequestCtx,
    r: EventRow,
    db: Queryable,
  ): Promise<{ warnings: EventWarning[]; lineName: string | null }> {
    const budget = toNumber(r.budget_fen);
    if (!r.budget_line_id) {
      if (budget > 0 && r.campaign_id)
        return {
          warnings: [{ code: 'noBudgetLine', level: 'warning', message: t('events.cap.noBudgetLine') }],
          lineName: null,
        };
      return { warnings: [], lineName: null };
    }
    const line = r.campaign_id
      ? (await this.money.budgetLines(ctx, r.campaign_id, db)).items.find((l) => l.id === r.budget_line_id)
      : undefined;
    if (!line) return { warnings: [], lineName: null };
    const committed = await eventsRepo.committedOnLine(db, SYSTEM_SCOPE, line.id, r.id);
    const left = line.budgetFen - line.spentFen - committed;
    const warnings: EventWarning[] = [];
    if (r.status !== 'cancelled' && budget > left)
      warnings.push({
        code: 'budgetLineOver',
        level: 'warning',
        message: t('events.cap.budgetLineOver', {
          line: line.name,
          left: yuan(Math.max(left, 0)),
          amount: yuan(budget),
          over: yuan(budget - Math.max(left, 0)),
        }),
      });
    return { warnings, lineName: line.name };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<EventDetail> {
    const r = await eventsRepo.get(db, viewerOf(ctx.actor), id);
    if (!r) throw notFound();
    const [invitations, photos, budget] = await Promise.all([
      eventsRepo.invitations(db, SYSTEM_SCOPE, id),
      eventsRepo.photos(db, SYSTEM_SCOPE, id),
      this.warnings(ctx, r, db),
    ]);
    const facts = photos.map((ph) => {
      const meta = JSON.parse(ph.metadata) as { gps?: boolean; camera?: string | null };
      return {
        id: ph.id,
        caption: ph.caption,
        gps: !!meta.gps,
        camera: meta.camera ?? null,
        showsServiceMembers: ph.shows_service_members === 1,
      };
    });
    const military = seesMilitary(ctx.actor);
    const noticeFindings: Finding[] = r.notice ? await this.checks.checkText(ctx.actor, noticeText(r)) : [];
    const photoFindings = await this.checks.checkContent(military, { title: '', body: [], photos: facts }, db);
    return {
      ...toListItem(r),
      taskId: r.task_id,
      budgetFen: toNumber(r.budget_fen),
      budgetLineId: r.budget_line_id,
      budgetLineName: budget.lineName,
      warnings: budget.warnings,
      notice: r.notice,
      noticePublishedAt: r.notice_published_at,
      noticeFindings,
      photoFindings,
      invitations: invitations.map((v) => ({
        orgId: v.org_id,
        orgName: v.org_name,
        side: v.side,
        attended: v.attended === null ? null : v.attended === 1,
        headcount: v.headcount,
      })),
      photos: photos.map((ph, i) => ({
        id: ph.id,
        fileName: ph.file_name,
        caption: ph.caption,
        size: ph.size,
        showsServiceMembers: ph.shows_service_members === 1,
        gps: facts[i]!.gps,
        camera: facts[i]!.camera,
      })),
      note: r.note,
      cancelReason: r.cancel_reason,
      heldAt: r.held_at,
      closedAt: r.closed_at,
      actions: this.actionsFor(ctx.actor, r),
      abilities: { modelcityTag: this.modelcityTaggable(ctx.actor, r) },
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** Checks of the plan that do not depend on the row: partner on the other side, a budget line of the campaign. */
  private async checkPlan(
    trx: Tx,
    ctx: RequestCtx,
    org: { side: string },
    b: Pick<CreateBody, 'partnerOrgId' | 'campaignId' | 'taskId' | 'budgetLineId' | 'endTime' | 'startTime'>,
  ) {
    if (b.endTime && b.endTime < b.startTime) throw badRequest('end_before_start', 'events.endBeforeStart');
    await checkTaskOfCampaign(trx, this.campaignOfTask, b);
    let partner: { id: string; path: string; side: string } | null = null;
    if (b.partnerOrgId) {
      const o = await eventsRepo.org(trx, b.partnerOrgId);
      if (!o?.active) throw badRequest('partner_unknown', 'events.partnerUnknown');
      if (o.side === org.side) throw badRequest('partner_same_side', 'events.partnerSameSide');
      partner = o;
    }
    if (b.budgetLineId) {
      if (!b.campaignId) throw badRequest('budget_line_campaign', 'events.budgetLineCampaign');
      const lines = (await this.money.budgetLines(ctx, b.campaignId, trx)).items;
      if (!lines.some((l) => l.id === b.budgetLineId))
        throw badRequest('budget_line_unknown', 'events.budgetLineUnknown');
    }
    return partner;
  }

  /** Recomputes whether the event involves troops: an organiser or an invited org of the military side. */
  private async involvesTroops(trx: Tx, orgSides: string[], eventId: string | null) {
    if (orgSides.includes('military')) return true;
    if (!eventId) return false;
    return (await eventsRepo.invitations(trx, SYSTEM_SCOPE, eventId)).some((v) => v.side === 'military');
  }

  async create(ctx: RequestCtx, b: CreateBody): Promise<EventDetail> {
    const actor = ctx.actor;
    const id = await this.db.transaction().execute(async (trx) => {
      const org = b.orgId ? await eventsRepo.org(trx, b.orgId) : await eventsRepo.org(trx, actor.orgId);
      if (
        !org?.active ||
        !scopeCovers(actor.scope, { orgId: org.id, orgPath: org.path }) ||
        !pathInSubtree(org.path, actor.orgPath)
      )
        throw forbidden('events.orgNotAllowed');
      const partner = await this.checkPlan(trx, ctx, org, b);
      const id = uuidv7();
      const now = nowIso();
      await eventsRepo.insert(trx, {
        id,
        org_id: org.id,
        org_path: org.path,
        partner_org_id: partner?.id ?? null,
        partner_path: partner?.path ?? null,
        created_by: actor.userId,
        type: b.type,
        title: b.title,
        event_date: b.date,
        start_time: b.startTime,
        end_time: b.endTime ?? null,
        place: b.place,
        campaign_id: b.campaignId ?? null,
        task_id: b.taskId ?? null,
        budget_fen: b.budgetFen,
        budget_line_id: b.budgetLineId ?? null,
        involves_troops: (await this.involvesTroops(trx, [org.side, partner?.side ?? ''], null)) ? 1 : 0,
        status: 'planned',
        notice: b.notice || null,
        notice_hash: null,
        notice_published_at: null,
        note: null,
        cancel_reason: null,
        held_at: null,
        closed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'event.create',
        entityType: 'event',
        entityId: id,
        changes: {
          title: [null, b.title],
          type: [null, b.type],
          date: [null, b.date],
          org: [null, org.id],
          partner: [null, partner?.id ?? null],
          budget_fen: [null, b.budgetFen],
          budget_line: [null, b.budgetLineId ?? null],
        },
      });
      return id;
    });
    return this.detail(ctx, id);
  }

  /** Loads an event the caller may act on with `action`, in the transaction. */
  private async forAction(trx: Tx, ctx: RequestCtx, id: string, action: EventAction, version?: number) {
    const r = await eventsRepo.get(trx, viewerOf(ctx.actor), id);
    if (!r) throw notFound();
    if (version !== undefined && r.version !== version) throw versionConflict();
    if (!this.actionsFor(ctx.actor, r).includes(action)) {
      if (this.manages(ctx.actor, r) || this.partners(ctx.actor, r))
        throw conflict('illegal_action', 'events.illegalAction', {
          status: t(`events.status.${r.status}`),
          action: t(`events.action.${action}`),
        });
      throw forbidden('events.notOrganiser');
    }
    return r;
  }

  async update(ctx: RequestCtx, id: string, b: UpdateBody): Promise<EventDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'edit', b.version);
      const org = (await eventsRepo.org(trx, r.org_id))!;
      const partner = await this.checkPlan(trx, ctx, org, b);
      const next = {
        title: b.title,
        event_date: b.date,
        start_time: b.startTime,
        end_time: b.endTime ?? null,
        place: b.place,
        notice: b.notice || null,
      };
      // a published notice that no longer says the same must pass the checks again
      const unpublish = !!r.notice_published_at && noticeHash(next) !== r.notice_hash;
      const troops = await this.involvesTroops(trx, [org.side, partner?.side ?? ''], id);
      const ok = await eventsRepo.update(trx, id, r.version, {
        ...next,
        type: b.type,
        partner_org_id: partner?.id ?? null,
        partner_path: partner?.path ?? null,
        campaign_id: b.campaignId ?? null,
        task_id: b.taskId ?? null,
        budget_fen: b.budgetFen,
        budget_line_id: b.budgetLineId ?? null,
        involves_troops: troops ? 1 : 0,
        ...(unpublish ? { notice_hash: null, notice_published_at: null } : {}),
        updated_at: nowIso(),
      });
      if (!ok) throw versionConflict();
      const changed = (k: string, a: unknown, c: unknown) => (a === c ? {} : { [k]: [a, c] });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'event.update',
        entityType: 'event',
        entityId: id,
        changes: {
          ...changed('title', r.title, b.title),
          ...changed('type', r.type, b.type),
          ...changed('date', r.event_date, b.date),
          ...changed('start_time', r.start_time, b.startTime),
          ...changed('place', r.place, b.place),
          ...changed('partner', r.partner_org_id, partner?.id ?? null),
          ...changed('budget_fen', toNumber(r.budget_fen), b.budgetFen),
          ...changed('budget_line', r.budget_line_id, b.budgetLineId ?? null),
          ...changed('notice', r.notice, next.notice),
          ...(unpublish ? { notice_published: [true, false] } : {}),
        },
      });
    });
    return this.detail(ctx, id);
  }

  /** Sets the invited orgs (units, communities, departments): added ones are invited, missing ones uninvited. */
  async invite(ctx: RequestCtx, id: string, b: z.infer<typeof eventInviteBody>): Promise<EventDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'invite', b.version);
      const wanted = [...new Set(b.orgIds)];
      const orgs = await eventsRepo.orgs(trx, wanted);
      if (orgs.length !== wanted.length || orgs.some((o) => !o.active))
        throw badRequest('invitee_unknown', 'events.inviteeUnknown');
      if (wanted.includes(r.org_id)) throw badRequest('invitee_organiser', 'events.inviteeOrganiser');
      const before = await eventsRepo.invitations(trx, SYSTEM_SCOPE, id);
      const had = new Set(before.map((v) => v.org_id));
      const added = orgs.filter((o) => !had.has(o.id));
      const removed = before.filter((v) => !wanted.includes(v.org_id)).map((v) => v.org_id);
      await eventsRepo.deleteInvitations(trx, id, removed);
      const now = nowIso();
      for (const o of added)
        await eventsRepo.insertInvitation(trx, {
          id: uuidv7(),
          event_id: id,
          org_id: o.id,
          org_path: o.path,
          side: o.side,
          attended: null,
          headcount: null,
          created_at: now,
          updated_at: now,
        });
      const org = (await eventsRepo.org(trx, r.org_id))!;
      const partner = r.partner_org_id ? await eventsRepo.org(trx, r.partner_org_id) : undefined;
      const troops = await this.involvesTroops(trx, [org.side, partner?.side ?? ''], id);
      if (!(await eventsRepo.update(trx, id, r.version, { involves_troops: troops ? 1 : 0, updated_at: now })))
        throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'event.invite',
        entityType: 'event',
        entityId: id,
        changes: { invited: added.map((o) => o.id), uninvited: removed },
      });
    });
    return this.detail(ctx, id);
  }

  /**
   * Publishes the notice: the checks run on title, place and notice as they are now; a finding
   * that must go refuses it, one that asks for a human look needs `confirmReviewed`. The hash of
   * what was published is kept; an edit that changes it withdraws the publication.
   */
  async publishNotice(ctx: RequestCtx, id: string, b: z.infer<typeof eventNoticeBody>): Promise<EventDetail> {
    // the checks read the rule list outside the transaction; the version check below makes sure
    // the notice published is the one checked
    const seen = await eventsRepo.get(this.db, viewerOf(ctx.actor), id);
    if (!seen) throw notFound();
    if (seen.version !== b.version) throw versionConflict();
    const findings = seen.notice ? await this.checks.checkText(ctx.actor, noticeText(seen)) : [];
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'notice', b.version);
      if (!r.notice) throw badRequest('notice_empty', 'events.noticeEmpty');
      const blocking = findings.filter((f) => f.severity === 'block');
      if (blocking.length)
        throw new AppError(422, 'notice_findings', 'events.noticeRefused', {
          labels: [...new Set(blocking.map((f) => f.label))].join('、'),
        });
      const toLook = findings.filter((f) => f.severity === 'review').length;
      if (toLook && !b.confirmReviewed) throw conflict('findings_confirm', 'events.noticeConfirm', { count: toLook });
      const hash = noticeHash(r);
      const at = nowIso();
      if (
        !(await eventsRepo.update(trx, id, r.version, { notice_hash: hash, notice_published_at: at, updated_at: at }))
      )
        throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'event.notice.publish',
        entityType: 'event',
        entityId: id,
        changes: { notice_hash: hash, reviewed_findings: toLook },
      });
    });
    return this.detail(ctx, id);
  }

  private async transition(
    ctx: RequestCtx,
    id: string,
    action: EventAction,
    version: number,
    set: (r: EventRow, now: string) => Record<string, unknown>,
    audit: (r: EventRow) => Record<string, unknown>,
    guard?: (r: EventRow) => void,
    name: string = action,
  ): Promise<EventDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, action, version);
      guard?.(r);
      const now = nowIso();
      if (!(await eventsRepo.update(trx, id, r.version, { ...set(r, now), updated_at: now }))) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: `event.${name}`,
        entityType: 'event',
        entityId: id,
        changes: audit(r),
      });
    });
    return this.detail(ctx, id);
  }

  /** Marks a planned event held, on or after its day. */
  hold(ctx: RequestCtx, id: string, version: number) {
    return this.transition(
      ctx,
      id,
      'hold',
      version,
      (_r, now) => ({ status: 'held', held_at: now }),
      () => ({ status: ['planned', 'held'] }),
      (r) => {
        if (r.event_date > this.today()) throw conflict('not_yet', 'events.notYet', { date: r.event_date });
      },
    );
  }

  cancel(ctx: RequestCtx, id: string, b: z.infer<typeof eventCancelBody>) {
    return this.transition(
      ctx,
      id,
      'cancel',
      b.version,
      () => ({ status: 'cancelled', cancel_reason: b.reason }),
      () => ({ status: ['planned', 'cancelled'], reason: b.reason }),
    );
  }

  /** Closes a held event; the after-action note must be written first. */
  close(ctx: RequestCtx, id: string, version: number) {
    return this.transition(
      ctx,
      id,
      'close',
      version,
      (_r, now) => ({ status: 'closed', closed_at: now }),
      () => ({ status: ['held', 'closed'] }),
      (r) => {
        if (!r.note) throw conflict('note_required', 'events.noteRequired');
      },
    );
  }

  /** The short after-action note (总结), written while the event is held. */
  note(ctx: RequestCtx, id: string, b: z.infer<typeof eventNoteBody>) {
    return this.transition(
      ctx,
      id,
      'record',
      b.version,
      () => ({ note: b.note }),
      (r) => ({ note: [r.note, b.note] }),
      undefined,
      'note',
    );
  }

  /** Attendance per invited organisation (came or not, how many people). */
  async attendance(ctx: RequestCtx, id: string, b: z.infer<typeof eventAttendanceBody>): Promise<EventDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forAction(trx, ctx, id, 'record', b.version);
      const invited = new Map((await eventsRepo.invitations(trx, SYSTEM_SCOPE, id)).map((v) => [v.org_id, v]));
      const now = nowIso();
      const changes: Record<string, unknown> = {};
      for (const it of b.items) {
        const v = invited.get(it.orgId);
        if (!v) throw badRequest('not_invited', 'events.notInvited');
        const headcount = it.attended ? (it.headcount ?? null) : null;
        await eventsRepo.setAttendance(trx, id, it.orgId, {
          attended: it.attended ? 1 : 0,
          headcount,
          updated_at: now,
        });
        changes[it.orgId] = [
          v.attended === null ? null : { attended: v.attended === 1, headcount: v.headcount },
          { attended: it.attended, headcount },
        ];
      }
      if (!(await eventsRepo.update(trx, id, r.version, { updated_at: now }))) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'event.attendance',
        entityType: 'event',
        entityId: id,
        changes,
      });
    });
    return this.detail(ctx, id);
  }

  /** The event a photo is added to or removed from (the caller records it). */
  forPhotos(trx: Tx, ctx: RequestCtx, id: string) {
    return this.forAction(trx, ctx, id, 'record');
  }
}

/** Campaign tasks that ask for events ("each district: one 军地联谊 by the 20th") fill themselves. */
export function registerEventMetrics(metrics: Campaigns['metrics']) {
  metrics.register({
    key: 'atmosphere.events.held',
    label: t('events.metric.held'),
    compute: (q, orgPath, campaignId) => eventsRepo.heldCount(q, SYSTEM_SCOPE, campaignId, orgPath),
  });
  for (const type of EVENT_TYPES)
    metrics.register({
      key: `atmosphere.events.${type}`,
      label: t('events.metric.heldOfType', { type: t(`events.type.${type}`) }),
      compute: (q, orgPath, campaignId) => eventsRepo.heldCount(q, SYSTEM_SCOPE, campaignId, orgPath, type),
    });
}
