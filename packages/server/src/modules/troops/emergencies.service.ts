import {
  type arriveEmergencyBody,
  type CreateEmergencyBody,
  type DecideEmergencyBody,
  EMERGENCY_DECISION_HOURS,
  EMERGENCY_TRANSITIONS,
  type EmergencyAction,
  type EmergencyDetail,
  type EmergencyDispatch,
  type EmergencyItem,
  type EmergencyStatus,
  type emergencyLetterBody,
  type emergencyListQuery,
  type emergencyWithdrawBody,
  type returnEmergencyBody,
  t,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { mayDecide } from '../../platform/access/approval-policy.js';
import { type Scope, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ConfidentialityChecks } from '../atmosphere/atmosphere.module.js';
import { seesMilitary } from './activities.view.js';
import { type DispatchRow, type EmergencyRow, emergenciesRepo } from './emergencies.repo.js';
import type { ThanksLetter } from './emergency-letter.js';

type Db = Platform['handle']['db'];
type Trx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];

const HOUR = 3_600_000;
const hoursBetween = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / HOUR) * 10) / 10;

/**
 * 抢险救灾 support requests (issue 20 item 4). A district or the city asks; the 军分区 — the
 * military side with the whole city in scope — decides under APPROVAL_POLICY['troop.emergency']
 * (never the requesting organisation) within EMERGENCY_DECISION_HOURS: it dispatches units or
 * declines with a reason. Dispatched units record arrival and return with the work done; when the
 * last unit is back the after-action figures are summed and the request is completed; the
 * requesting side then sends its thanks letter. Every step is a row of the timeline and an audit
 * entry; a step the state machine does not allow is 409.
 */
export class EmergenciesService {
  constructor(
    private readonly p: Platform,
    private readonly checks: ConfidentialityChecks,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  visible(scope: Scope, id: string) {
    return emergenciesRepo.get(this.db, scope, id);
  }

  // ---- who may do what
  private isRequesterSide(actor: Actor, e: EmergencyRow): boolean {
    return (
      !seesMilitary(actor) &&
      actor.permissions.has('troops:request') &&
      scopeCovers(actor.scope, { orgId: e.org_id, orgPath: e.org_path })
    );
  }

  private mayDecide(actor: Actor, e: EmergencyRow): boolean {
    return (
      seesMilitary(actor) &&
      actor.permissions.has('troops:manage') &&
      mayDecide('troop.emergency', actor, {
        requester: { orgId: e.org_id, orgPath: e.org_path, userId: e.requested_by },
      })
    );
  }

  private mayActFor(actor: Actor, d: DispatchRow): boolean {
    return (
      seesMilitary(actor) &&
      actor.permissions.has('troops:write') &&
      scopeCovers(actor.scope, { orgId: d.org_id, orgPath: d.org_path })
    );
  }

  private actionsOf(actor: Actor, e: EmergencyRow, ds: DispatchRow[]): EmergencyAction[] {
    const out: EmergencyAction[] = [];
    if (e.status === 'requested' && this.mayDecide(actor, e)) out.push('decide');
    if (e.status === 'requested' && this.isRequesterSide(actor, e)) out.push('withdraw');
    if (e.status === 'dispatched') {
      const mine = ds.filter((d) => this.mayActFor(actor, d));
      if (mine.some((d) => d.status === 'dispatched')) out.push('arrive');
      if (mine.some((d) => d.status === 'arrived')) out.push('return');
    }
    if (e.status === 'completed' && this.isRequesterSide(actor, e)) out.push('letter');
    return out;
  }

  // ---- reading
  private toItem(actor: Actor, e: EmergencyRow, ds: DispatchRow[], now = nowIso()): EmergencyItem {
    const military = seesMilitary(actor);
    return {
      id: e.id,
      orgId: e.org_id,
      orgName: e.org_name,
      title: e.title,
      situation: e.situation,
      location: e.location,
      needs: e.needs,
      peopleNeeded: e.people_needed,
      equipment: e.equipment,
      fromAt: e.from_at,
      toAt: e.to_at,
      status: e.status as EmergencyStatus,
      respondBy: e.respond_by,
      overdue: e.status === 'requested' && now > e.respond_by,
      decidedAt: e.decided_at,
      decisionHours: e.decided_at ? hoursBetween(e.created_at, e.decided_at) : null,
      declineReason: e.decline_reason,
      peopleHelped: e.people_helped,
      serviceMinutes: e.service_minutes,
      resources: e.resources,
      closedAt: e.closed_at,
      hasLetter: !!e.letter,
      letterAt: e.letter_at,
      actions: this.actionsOf(actor, e, ds),
      createdAt: e.created_at,
      version: e.version,
      dispatches: ds.map((d) => {
        const can = e.status === 'dispatched' && this.mayActFor(actor, d);
        const out: EmergencyDispatch = {
          id: d.id,
          orgId: d.org_id,
          orgName: d.org_name,
          status: d.status as EmergencyDispatch['status'],
          people: d.people,
          dispatchedAt: d.dispatched_at,
          arrivedAt: d.arrived_at,
          returnedAt: d.returned_at,
          workDone: d.work_done,
          serviceMinutes: d.service_minutes,
          peopleHelped: d.people_helped,
          actions: !can ? [] : d.status === 'dispatched' ? ['arrive'] : d.status === 'arrived' ? ['return'] : [],
          version: d.version,
        };
        return military ? { ...out, militaryNote: d.military_note } : out;
      }),
    };
  }

  async list(ctx: RequestCtx, q: z.infer<typeof emergencyListQuery>) {
    const { rows, total } = await emergenciesRepo.page(this.db, ctx.actor.scope, q, q.page, q.pageSize);
    const ds = await emergenciesRepo.dispatches(
      this.db,
      SYSTEM_SCOPE,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((r) =>
        this.toItem(
          ctx.actor,
          r,
          ds.filter((d) => d.emergency_id === r.id),
        ),
      ),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(ctx: RequestCtx, id: string): Promise<EmergencyDetail> {
    const e = await emergenciesRepo.get(this.db, ctx.actor.scope, id);
    if (!e) throw notFound();
    const [ds, events] = await Promise.all([
      emergenciesRepo.dispatches(this.db, SYSTEM_SCOPE, [id]),
      emergenciesRepo.events(this.db, SYSTEM_SCOPE, id),
    ]);
    return {
      ...this.toItem(ctx.actor, e, ds),
      letter: e.letter,
      events: events.map((ev) => ({
        at: ev.at,
        kind: ev.kind,
        fromStatus: ev.from_status,
        toStatus: ev.to_status,
        actorName: ev.actor_name,
        actorOrgName: ev.actor_org_name,
        note: ev.note,
      })),
    };
  }

  /** Units the 军分区 can dispatch. */
  async units(): Promise<{ items: { id: string; name: string }[] }> {
    return { items: (await emergenciesRepo.units(this.db)).map((u) => ({ id: u.id, name: u.name })) };
  }

  // ---- writing
  private async checkPublic(actor: Actor, fields: Record<string, string | null | undefined>) {
    for (const [field, text] of Object.entries(fields)) {
      if (!text) continue;
      const labels = await this.checks.blockingLabels(actor, text);
      if (labels)
        throw badRequest('confidentiality', 'troops.confidentiality', { field: t(`troops.field.${field}`), labels });
    }
  }

  private transition(e: EmergencyRow, to: EmergencyStatus) {
    const from = e.status as EmergencyStatus;
    if (!EMERGENCY_TRANSITIONS[from]?.includes(to))
      throw conflict('invalid_transition', 'troops.emergency.transition', {
        from: t(`troops.emergency.status.${from}`),
        to: t(`troops.emergency.status.${to}`),
      });
  }

  private async event(
    trx: Trx,
    ctx: RequestCtx,
    e: Pick<EmergencyRow, 'id' | 'org_path'>,
    kind: string,
    from: string | null,
    to: string | null,
    note: string | null,
  ) {
    await emergenciesRepo.insertEvent(trx, {
      id: uuidv7(),
      emergency_id: e.id,
      org_path: e.org_path,
      at: nowIso(),
      kind,
      from_status: from,
      to_status: to,
      actor_name: ctx.actor.displayName,
      actor_org_name: ctx.actor.orgName,
      note,
    });
  }

  private async load(trx: Trx, ctx: RequestCtx, id: string, version?: number) {
    const e = await emergenciesRepo.get(trx, ctx.actor.scope, id);
    if (!e) throw notFound();
    if (version !== undefined && e.version !== version) throw versionConflict();
    return e;
  }

  async create(ctx: RequestCtx, body: CreateEmergencyBody): Promise<EmergencyDetail> {
    const actor = ctx.actor;
    // a district or the city (the civil side, at most two levels deep) asks
    if (seesMilitary(actor) || actor.orgPath.split('/').filter(Boolean).length > 2)
      throw forbidden('troops.emergency.requestSide');
    if (body.toAt && body.toAt < body.fromAt) throw badRequest('to_before_from', 'troops.emergency.toBeforeFrom');
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const row = {
        id,
        org_id: actor.orgId,
        org_path: actor.orgPath,
        requested_by: actor.userId,
        title: body.title,
        situation: body.situation,
        location: body.location,
        needs: body.needs,
        people_needed: body.peopleNeeded,
        equipment: body.equipment ?? null,
        from_at: new Date(body.fromAt).toISOString(),
        to_at: body.toAt ? new Date(body.toAt).toISOString() : null,
        status: 'requested',
        respond_by: new Date(Date.parse(now) + EMERGENCY_DECISION_HOURS * HOUR).toISOString(),
        decided_at: null,
        decided_by: null,
        decline_reason: null,
        people_helped: null,
        service_minutes: null,
        resources: null,
        summary: null,
        closed_at: null,
        letter: null,
        letter_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await emergenciesRepo.insert(trx, row);
      await this.event(trx, ctx, row, 'requested', null, 'requested', null);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.emergency.request',
        entityType: 'troop_emergency',
        entityId: id,
        changes: {
          status: [null, 'requested'],
          title: [null, body.title],
          people_needed: [null, body.peopleNeeded],
          respond_by: [null, row.respond_by],
        },
      });
    });
    return this.detail(ctx, id);
  }

  /** The 军分区 dispatches units, or declines with a reason (the approval pair `troop.emergency`). */
  async decide(ctx: RequestCtx, id: string, body: DecideEmergencyBody): Promise<EmergencyDetail> {
    await this.db.transaction().execute(async (trx) => {
      const e = await this.load(trx, ctx, id, body.version);
      const to = body.decision === 'dispatch' ? 'dispatched' : 'declined';
      this.transition(e, to);
      if (!this.mayDecide(ctx.actor, e)) throw forbidden('troops.emergency.notDecider');
      const now = nowIso();
      let note: string | null;
      if (body.decision === 'dispatch') {
        const units = new Map((await emergenciesRepo.units(trx)).map((u) => [u.id, u]));
        const seen = new Set<string>();
        for (const u of body.units) {
          if (!units.has(u.orgId) || seen.has(u.orgId))
            throw badRequest('unit_not_dispatchable', 'troops.emergency.unitNotDispatchable');
          seen.add(u.orgId);
        }
        await emergenciesRepo.insertDispatches(
          trx,
          body.units.map((u) => ({
            id: uuidv7(),
            emergency_id: id,
            org_id: u.orgId,
            org_path: units.get(u.orgId)!.path,
            status: 'dispatched',
            people: u.people,
            dispatched_at: now,
            arrived_at: null,
            returned_at: null,
            work_done: null,
            service_minutes: null,
            people_helped: null,
            military_note: null,
            version: 1,
          })),
        );
        note = body.units.map((u) => `${units.get(u.orgId)!.name} ${u.people}人`).join('、');
        if (body.note) note = `${note}。${body.note}`;
      } else note = body.reason;
      const set = {
        status: to,
        decided_at: now,
        decided_by: ctx.actor.userId,
        decline_reason: body.decision === 'decline' ? body.reason : null,
        updated_at: now,
      };
      if (!(await emergenciesRepo.update(trx, id, e.version, set, e.status))) throw versionConflict();
      await this.event(trx, ctx, e, to, e.status, to, note);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: `troops.emergency.${body.decision}`,
        entityType: 'troop_emergency',
        entityId: id,
        changes: {
          status: [e.status, to],
          ...(body.decision === 'dispatch'
            ? { units: [null, body.units.map((u) => u.orgId)] }
            : { reason: [null, body.reason] }),
          decision_hours: [null, hoursBetween(e.created_at, now)],
        },
      });
    });
    return this.detail(ctx, id);
  }

  async withdraw(ctx: RequestCtx, id: string, body: z.infer<typeof emergencyWithdrawBody>) {
    await this.db.transaction().execute(async (trx) => {
      const e = await this.load(trx, ctx, id, body.version);
      this.transition(e, 'withdrawn');
      if (!this.isRequesterSide(ctx.actor, e)) throw forbidden('troops.emergency.notRequester');
      const now = nowIso();
      if (!(await emergenciesRepo.update(trx, id, e.version, { status: 'withdrawn', updated_at: now }, e.status)))
        throw versionConflict();
      await this.event(trx, ctx, e, 'withdrawn', e.status, 'withdrawn', body.reason);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.emergency.withdraw',
        entityType: 'troop_emergency',
        entityId: id,
        changes: { status: [e.status, 'withdrawn'], reason: [null, body.reason] },
      });
    });
    return this.detail(ctx, id);
  }

  /** The dispatch a unit step acts on: the caller's unit (or `orgId`, for the 军分区), in its scope. */
  private async dispatchFor(trx: Trx, ctx: RequestCtx, e: EmergencyRow, orgId: string | undefined, version: number) {
    const ds = await emergenciesRepo.dispatches(trx, SYSTEM_SCOPE, [e.id]);
    const d = ds.find((x) => x.org_id === (orgId ?? ctx.actor.orgId));
    if (!d || !this.mayActFor(ctx.actor, d)) throw forbidden('troops.emergency.notDispatched');
    if (d.version !== version) throw versionConflict();
    return { d, all: ds };
  }

  private dispatchStep(e: EmergencyRow, d: DispatchRow, step: 'arrive' | 'return') {
    const need = step === 'arrive' ? 'dispatched' : 'arrived';
    if (e.status !== 'dispatched' || d.status !== need)
      throw conflict('invalid_transition', 'troops.emergency.dispatchState', {
        from: t(`troops.dispatch.status.${d.status}`),
        step: t(`troops.dispatch.step.${step}`),
      });
  }

  async arrive(ctx: RequestCtx, id: string, body: z.infer<typeof arriveEmergencyBody>) {
    await this.db.transaction().execute(async (trx) => {
      const e = await this.load(trx, ctx, id);
      const { d } = await this.dispatchFor(trx, ctx, e, body.orgId, body.version);
      this.dispatchStep(e, d, 'arrive');
      const at = body.arrivedAt ? new Date(body.arrivedAt).toISOString() : nowIso();
      if (!(await emergenciesRepo.updateDispatch(trx, d.id, d.version, { status: 'arrived', arrived_at: at })))
        throw versionConflict();
      // every step bumps the request: concurrent steps of two units serialise on it
      if (!(await emergenciesRepo.update(trx, id, e.version, { updated_at: nowIso() }))) throw versionConflict();
      await this.event(trx, ctx, e, 'arrived', null, null, d.org_name);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.emergency.arrive',
        entityType: 'troop_emergency',
        entityId: id,
        changes: { unit: [null, d.org_id], arrived_at: [null, at] },
      });
    });
    return this.detail(ctx, id);
  }

  async returned(ctx: RequestCtx, id: string, body: z.infer<typeof returnEmergencyBody>) {
    await this.checkPublic(ctx.actor, { workDone: body.workDone, resources: body.resources });
    await this.db.transaction().execute(async (trx) => {
      const e = await this.load(trx, ctx, id);
      const { d, all } = await this.dispatchFor(trx, ctx, e, body.orgId, body.version);
      this.dispatchStep(e, d, 'return');
      const now = nowIso();
      const at = body.returnedAt ? new Date(body.returnedAt).toISOString() : now;
      const ok = await emergenciesRepo.updateDispatch(trx, d.id, d.version, {
        status: 'returned',
        returned_at: at,
        work_done: body.workDone,
        service_minutes: body.serviceMinutes,
        people_helped: body.peopleHelped,
        military_note: body.militaryNote ?? null,
      });
      if (!ok) throw versionConflict();
      const after = all.map((x) =>
        x.id === d.id
          ? { ...x, status: 'returned', service_minutes: body.serviceMinutes, people_helped: body.peopleHelped }
          : x,
      );
      const resources = body.resources
        ? [e.resources, `${d.org_name}：${body.resources}`].filter(Boolean).join('；')
        : e.resources;
      const done = after.every((x) => x.status === 'returned');
      const set = done
        ? {
            status: 'completed',
            closed_at: now,
            people_helped: after.reduce((s, x) => s + (x.people_helped ?? 0), 0),
            service_minutes: after.reduce((s, x) => s + (x.service_minutes ?? 0), 0),
            resources,
            updated_at: now,
          }
        : { resources, updated_at: now };
      if (done) this.transition(e, 'completed');
      if (!(await emergenciesRepo.update(trx, id, e.version, set))) throw versionConflict();
      await this.event(trx, ctx, e, 'returned', null, null, `${d.org_name}：${body.workDone}`);
      if (done) await this.event(trx, ctx, e, 'completed', e.status, 'completed', null);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.emergency.return',
        entityType: 'troop_emergency',
        entityId: id,
        changes: {
          unit: [null, d.org_id],
          returned_at: [null, at],
          service_minutes: [null, body.serviceMinutes],
          people_helped: [null, body.peopleHelped],
          ...(body.militaryNote ? { military_only_content: [null, true] } : {}),
          ...(done ? { status: [e.status, 'completed'] } : {}),
        },
      });
    });
    return this.detail(ctx, id);
  }

  private letterDate(): string {
    const [y, m, d] = localToday(this.p.config.tzDisplay).split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }

  /** The requesting side thanks the units (the default text carries the after-action figures). */
  async letter(ctx: RequestCtx, id: string, body: z.infer<typeof emergencyLetterBody>) {
    await this.db.transaction().execute(async (trx) => {
      const e = await this.load(trx, ctx, id, body.version);
      this.transition(e, 'thanked');
      if (!this.isRequesterSide(ctx.actor, e)) throw forbidden('troops.emergency.notRequester');
      const ds = await emergenciesRepo.dispatches(trx, SYSTEM_SCOPE, [id]);
      const text =
        body.text ??
        t('troops.letter.default', {
          title: e.title,
          people: ds.reduce((s, d) => s + (d.people ?? 0), 0),
          hours: Math.round(((e.service_minutes ?? 0) / 60) * 10) / 10,
          helped: e.people_helped ?? 0,
        });
      const now = nowIso();
      const ok = await emergenciesRepo.update(
        trx,
        id,
        e.version,
        { status: 'thanked', letter: text, letter_at: now, updated_at: now },
        e.status,
      );
      if (!ok) throw versionConflict();
      await this.event(trx, ctx, e, 'thanked', e.status, 'thanked', null);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.emergency.letter',
        entityType: 'troop_emergency',
        entityId: id,
        changes: { status: [e.status, 'thanked'], letter: [null, text] },
      });
    });
    return this.detail(ctx, id);
  }

  /** The letter to render: both sides read it once it is sent. */
  async letterOf(ctx: RequestCtx, id: string): Promise<ThanksLetter> {
    const e = await emergenciesRepo.get(this.db, ctx.actor.scope, id);
    if (!e) throw notFound();
    if (!e.letter || !e.letter_at) throw conflict('no_letter', 'troops.emergency.noLetter');
    const ds = await emergenciesRepo.dispatches(this.db, SYSTEM_SCOPE, [id]);
    const [y, m, d] = e.letter_at.slice(0, 10).split('-').map(Number);
    return {
      units: ds.map((x) => x.org_name).join('、'),
      text: e.letter,
      sender: e.org_name,
      date: e.letter_at ? `${y}年${m}月${d}日` : this.letterDate(),
    };
  }

  /** Statistics of the requests the scope sees: by status, decision and arrival times in hours. */
  async stats(scope: Scope, f: { from?: string; to?: string }) {
    const rows = await emergenciesRepo.timings(this.db, scope, f);
    const byStatus: Record<string, number> = {};
    const decision: number[] = [];
    const arrival: number[] = [];
    let peopleHelped = 0;
    let serviceMinutes = 0;
    let overdue = 0;
    const now = nowIso();
    for (const r of rows) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.decided_at) decision.push(hoursBetween(r.created_at, r.decided_at));
      if (r.first_arrival) arrival.push(hoursBetween(r.created_at, String(r.first_arrival)));
      if (r.status === 'requested' && now > r.respond_by) overdue++;
      peopleHelped += r.people_helped ?? 0;
      serviceMinutes += r.service_minutes ?? 0;
    }
    const avg = (xs: number[]) =>
      xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null;
    return {
      requests: rows.length,
      byStatus,
      overdue,
      avgDecisionHours: avg(decision),
      avgArrivalHours: avg(arrival),
      peopleHelped,
      serviceMinutes,
    };
  }
}
