import type {
  NeedAction,
  NeedDetail,
  NeedStatus,
  needAcceptAssignBody,
  needAssignBody,
  needConfirmBody,
  needMergeBody,
  needResolveBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { diffFields } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { needCountsRepo } from './counts.repo.js';
import { ACTION_PARTY, allowedActions, deadlineFrom, nextStatus, TERMINAL_STATUSES } from './needs.machine.js';
import { type NeedRow, needsRepo } from './needs.repo.js';
import type { NeedsTable } from './needs.schema.js';
import { actsAs, triageDecides } from './needs.view.js';

type Set = Partial<Selectable<NeedsTable>>;

/** Org types that may handle a case: departments, veterans bureaus and military offices (not units, not stations). */
export const HANDLER_ORG_TYPES: readonly string[] = [
  'department',
  'veterans_bureau',
  'armed_forces_department',
  'military_command',
];

export function illegalTransition(status: NeedStatus, action: NeedAction, allowed = allowedActions(status)): AppError {
  return new AppError(
    409,
    'illegal_transition',
    'need.illegalTransition',
    { status: t(`needStatus.${status}`), action: t(`needAction.${action}`) },
    { allowed },
  );
}

/** What a transition changes besides the status, and who hears of it. */
interface Effect {
  set?: Set;
  note?: string | null;
  audit?: Record<string, unknown>;
  notify?: (trx: Tx, r: NeedRow, to: NeedStatus) => Promise<void>;
}

/** Who acted, as the timeline shows it. */
export function eventActor(ctx: RequestCtx) {
  return { id: ctx.actor.userId, name: ctx.actor.displayName, orgName: ctx.actor.orgName };
}

/**
 * The life-cycle actions of a case (the state machine applied): each one checks version, status
 * and party, changes the row, records the event, audits and notifies — in one transaction.
 */
export class NeedWorkflow {
  constructor(
    private readonly p: Platform,
    private readonly notifications: NotificationsService,
    private readonly view: {
      detail(ctx: RequestCtx, id: string): Promise<NeedDetail>;
      today(): string;
      triagers(db: Queryable): Promise<string[]>;
    },
    private readonly orgs: OrgsService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  private today() {
    return this.view.today();
  }

  private detail(ctx: RequestCtx, id: string) {
    return this.view.detail(ctx, id);
  }

  private actorOf(ctx: RequestCtx) {
    return eventActor(ctx);
  }

  /** The requester's side of a case: the person who raised it and their org. */
  private requester(r: Pick<NeedRow, 'created_by' | 'org_id'>) {
    return { userIds: [r.created_by], orgIds: [r.org_id] };
  }

  /** Sends the outbox; a failing channel never fails the request that already committed. */
  async afterCommit(): Promise<void> {
    await this.notifications.flush().catch(() => undefined);
  }

  /**
   * One transition: load in scope, check the version, the machine, then the party; apply, record
   * the event, audit and notify — all in one transaction.
   */
  private async transition(
    ctx: RequestCtx,
    id: string,
    action: NeedAction,
    version: number,
    effect: (trx: Tx, r: NeedRow, to: NeedStatus) => Promise<Effect> | Effect,
  ): Promise<NeedDetail> {
    await this.db.transaction().execute((trx) => this.step(trx, ctx, id, action, version, effect));
    await this.afterCommit();
    return this.detail(ctx, id);
  }

  /** One transition inside the caller's transaction; resolves to the case's new version. */
  private async step(
    trx: Tx,
    ctx: RequestCtx,
    id: string,
    action: NeedAction,
    version: number,
    effect: (trx: Tx, r: NeedRow, to: NeedStatus) => Promise<Effect> | Effect,
  ): Promise<number> {
    const r = await needsRepo.get(trx, ctx.actor.scope, id);
    if (!r) throw notFound();
    if (r.version !== version) throw versionConflict();
    const from = r.status as NeedStatus;
    const to = nextStatus(from, action);
    if (!to) throw illegalTransition(from, action);
    const party = ACTION_PARTY[action];
    if (!actsAs(ctx.actor, r, party))
      throw forbidden(party === 'lead' ? 'need.notLead' : 'need.notRequester', { action: t(`needAction.${action}`) });
    if (party === 'triage' && !triageDecides(ctx.actor, r)) throw forbidden('need.ownRequest');
    // the cockpit's counter moves by the case's keys before and after, in this transaction
    const e = await needCountsRepo.around(trx, id, async () => {
      const e = await effect(trx, r, to);
      if (!(await needsRepo.update(trx, id, version, { status: to, ...e.set }))) throw versionConflict();
      return e;
    });
    await needsRepo.addEvent(trx, {
      needId: id,
      orgPath: r.org_path,
      actor: this.actorOf(ctx),
      kind: action,
      from,
      to,
      note: e.note ?? null,
    });
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action: `need.${action}`,
      entityType: 'need',
      entityId: id,
      changes: { status: [from, to], ...e.audit },
    });
    await e.notify?.(trx, r, to);
    return version + 1;
  }

  private notify(
    ctx: RequestCtx,
    trx: Tx,
    r: NeedRow,
    kind: NeedAction,
    to: { userIds?: string[]; orgIds?: (string | null)[] },
    params: Record<string, string | number>,
    text: string = kind,
  ) {
    return this.notifications.notify(trx, {
      userIds: to.userIds,
      orgIds: (to.orgIds ?? []).filter((x): x is string => !!x),
      excludeUserIds: [ctx.actor.userId],
      kind: `need.${kind}`,
      title: t(`needNotify.${text}.title`),
      body: t(`needNotify.${text}.body`, { title: r.title, ...params }),
      entityType: 'need',
      entityId: r.id,
    });
  }

  accept(ctx: RequestCtx, id: string, b: { version: number; note?: string }) {
    return this.transition(ctx, id, 'accept', b.version, (trx, r) => this.acceptEffect(ctx, trx, r, b.note));
  }

  /** The deadline runs from today: `days` working days, by default the category's. */
  private async acceptEffect(ctx: RequestCtx, trx: Tx, r: NeedRow, note?: string, days?: number): Promise<Effect> {
    const category = await needsRepo.category(trx, r.category);
    const limit = days ?? category?.deadline_days ?? 15;
    const deadline = deadlineFrom(this.today(), limit);
    return {
      set: { accepted_at: nowIso(), deadline_days: limit, deadline },
      note,
      audit: { deadline: [null, deadline] },
      notify: (trx2) => this.notify(ctx, trx2, r, 'accept', this.requester(r), { deadline }).then(() => undefined),
    };
  }

  /**
   * Accept and assign in one transaction (city staff's one dialog): two events on the timeline,
   * two audit rows, the notices of both; nothing is changed when either step is refused.
   */
  async acceptAndAssign(ctx: RequestCtx, id: string, b: z.infer<typeof needAcceptAssignBody>): Promise<NeedDetail> {
    await this.db.transaction().execute(async (trx) => {
      const next = await this.step(trx, ctx, id, 'accept', b.version, (trx2, r) =>
        this.acceptEffect(ctx, trx2, r, b.note, b.deadlineDays),
      );
      await this.step(trx, ctx, id, 'assign', next, (trx2, r) =>
        this.assignEffect(ctx, trx2, id, { leadOrgId: b.leadOrgId, coOrgIds: b.coOrgIds }, r),
      );
    });
    await this.afterCommit();
    return this.detail(ctx, id);
  }

  decline(ctx: RequestCtx, id: string, b: { version: number; reason: string }) {
    return this.transition(ctx, id, 'decline', b.version, (_trx, r) => ({
      set: { decline_reason: b.reason, closed_at: nowIso() },
      note: b.reason,
      audit: { decline_reason: [null, b.reason] },
      notify: async (trx) => {
        await this.notify(ctx, trx, r, 'decline', this.requester(r), { reason: b.reason });
      },
    }));
  }

  merge(ctx: RequestCtx, id: string, b: z.infer<typeof needMergeBody>) {
    return this.transition(ctx, id, 'merge', b.version, async (trx, r) => {
      if (b.intoId === id) throw badRequest('merge_self', 'need.mergeSelf');
      const into = await needsRepo.get(trx, ctx.actor.scope, b.intoId);
      if (!into) throw notFound();
      if (TERMINAL_STATUSES.includes(into.status as NeedStatus)) throw badRequest('merge_target', 'need.mergeTarget');
      await needsRepo.addEvent(trx, {
        needId: into.id,
        orgPath: into.org_path,
        actor: this.actorOf(ctx),
        kind: 'merged_in',
        note: r.title,
      });
      return {
        set: { merged_into: into.id, closed_at: nowIso() },
        note: b.note ?? into.title,
        audit: { merged_into: [null, into.id] },
        notify: async (trx2) => {
          await this.notify(ctx, trx2, r, 'merge', this.requester(r), { into: into.title });
        },
      };
    });
  }

  assign(ctx: RequestCtx, id: string, b: z.infer<typeof needAssignBody>) {
    return this.transition(ctx, id, 'assign', b.version, (trx, r) =>
      this.assignEffect(ctx, trx, id, { leadOrgId: b.leadOrgId, coOrgIds: b.coOrgIds, note: b.note }, r),
    );
  }

  /** Who leads and who helps; the handlers are told the deadline of the row as it now stands. */
  private async assignEffect(
    ctx: RequestCtx,
    trx: Tx,
    id: string,
    b: { leadOrgId: string; coOrgIds: string[]; note?: string },
    r: NeedRow,
  ): Promise<Effect> {
    const coIds = [...new Set(b.coOrgIds)];
    if (coIds.includes(b.leadOrgId)) throw badRequest('lead_also_co', 'need.leadAlsoCo');
    const orgs = await this.orgs.byIds(trx, [b.leadOrgId, ...coIds]);
    const ok = (oid: string) => {
      const o = orgs.find((x) => x.id === oid);
      return o && o.active === 1 && HANDLER_ORG_TYPES.includes(o.type) ? o : null;
    };
    const lead = ok(b.leadOrgId);
    if (!lead || coIds.some((c) => !ok(c))) throw badRequest('invalid_handler', 'need.invalidHandler');
    const before = await needsRepo.handlers(trx, SYSTEM_SCOPE, id);
    const now = nowIso();
    await needsRepo.replaceHandlers(
      trx,
      id,
      [{ org: lead, role: 'lead' }, ...coIds.map((c) => ({ org: ok(c)!, role: 'co' }))].map((h) => ({
        id: uuidv7(),
        need_id: id,
        org_id: h.org.id,
        org_path: h.org.path,
        role: h.role,
        active: 1,
        assigned_at: now,
        assigned_by: ctx.actor.userId,
      })),
    );
    const names = [lead.name, ...coIds.map((c) => ok(c)!.name)];
    return {
      set: { lead_org_id: lead.id, assigned_at: now, started_at: null },
      note: b.note ?? names.join('、'),
      audit: {
        handlers: [before.map((h) => `${h.role}:${h.org_id}`), [`lead:${lead.id}`, ...coIds.map((c) => `co:${c}`)]],
      },
      notify: async (trx2) => {
        // each party is told what it means for them: the lead, the co-handlers, the requester
        const deadline = r.deadline ?? '';
        const due = deadline ? 'Due' : '';
        await this.notify(ctx, trx2, r, 'assign', { orgIds: [lead.id] }, { deadline }, `assignLead${due}`);
        if (coIds.length)
          await this.notify(ctx, trx2, r, 'assign', { orgIds: coIds }, { org: lead.name, deadline }, `assignCo${due}`);
        await this.notify(ctx, trx2, r, 'assign', this.requester(r), { org: lead.name }, 'assignRequester');
      },
    };
  }

  start(ctx: RequestCtx, id: string, b: { version: number; note?: string }) {
    return this.transition(ctx, id, 'start', b.version, (_trx, r) => ({
      set: { started_at: nowIso() },
      note: b.note,
      notify: async (trx) => {
        await this.notify(ctx, trx, r, 'start', this.requester(r), { org: r.lead_org_name ?? '' });
      },
    }));
  }

  resolve(ctx: RequestCtx, id: string, b: z.infer<typeof needResolveBody>) {
    return this.transition(ctx, id, 'resolve', b.version, async (trx, r) => {
      const ids = [...new Set(b.attachmentIds ?? [])];
      if (ids.length) {
        if ((await needsRepo.markEvidence(trx, id, ids)) !== ids.length)
          throw badRequest('unknown_attachment', 'need.attachmentUnknown');
      }
      const today = this.today();
      const onTime = r.deadline === null ? null : today <= r.deadline ? 1 : 0;
      return {
        set: { resolution: b.resolution, resolved_at: nowIso(), resolved_on_time: onTime },
        note: b.resolution,
        audit: { resolution: [r.resolution, b.resolution], on_time: [null, onTime], evidence: [null, ids] },
        notify: async (trx2) => {
          await this.notify(ctx, trx2, r, 'resolve', this.requester(r), { org: r.lead_org_name ?? '' });
        },
      };
    });
  }

  confirm(ctx: RequestCtx, id: string, b: z.infer<typeof needConfirmBody>) {
    return this.transition(ctx, id, 'confirm', b.version, (_trx, r) => ({
      set: { rating: b.rating, rating_comment: b.comment ?? null, confirmed_at: nowIso() },
      note: b.comment,
      audit: { rating: [null, b.rating] },
      notify: async (trx) => {
        await this.notify(
          ctx,
          trx,
          r,
          'confirm',
          { userIds: await this.view.triagers(trx), orgIds: [r.lead_org_id] },
          { rating: b.rating },
        );
      },
    }));
  }

  close(ctx: RequestCtx, id: string, b: { version: number; note?: string }) {
    return this.transition(ctx, id, 'close', b.version, (_trx, r) => ({
      set: { closed_at: nowIso() },
      note: b.note,
      notify: async (trx) => {
        await this.notify(ctx, trx, r, 'close', { ...this.requester(r), orgIds: [r.org_id, r.lead_org_id] }, {});
      },
    }));
  }

  reopen(ctx: RequestCtx, id: string, b: { version: number; reason: string }) {
    return this.transition(ctx, id, 'reopen', b.version, (_trx, r) => {
      if (r.reopen_count > 0)
        throw new AppError(409, 'reopen_once', 'need.reopenOnce', undefined, {
          allowed: allowedActions(r.status as NeedStatus).filter((a) => a !== 'reopen'),
        });
      const deadline = r.deadline_days ? deadlineFrom(this.today(), r.deadline_days) : r.deadline;
      const cleared: Set = { resolved_at: null, resolved_on_time: null, confirmed_at: null, rating: null };
      return {
        set: {
          ...cleared,
          rating_comment: null,
          reopen_count: r.reopen_count + 1,
          reopen_reason: b.reason,
          deadline,
          escalated_at: null,
          reminded_at: null,
        },
        note: b.reason,
        audit: {
          ...diffFields({ rating: r.rating, deadline: r.deadline }, { rating: null, deadline }),
          reason: b.reason,
        },
        notify: async (trx) => {
          await this.notify(
            ctx,
            trx,
            r,
            'reopen',
            { userIds: await this.view.triagers(trx), orgIds: [r.lead_org_id] },
            { reason: b.reason },
          );
        },
      };
    });
  }
}
