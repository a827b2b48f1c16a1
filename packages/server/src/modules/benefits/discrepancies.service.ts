import {
  type Discrepancy,
  type DiscrepancyListQuery,
  type DiscrepancyOwners,
  ROLE_DEFINITIONS,
  ROLES,
  type Role,
  t,
} from '@shuangyong/shared';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { SYSTEM_AUDIT_ACTOR } from '../../platform/audit/audit.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import { pastDeadline } from '../../platform/cases/deadlines.js';
import { caseMachine } from '../../platform/cases/machine.js';
import { ownsWithin } from '../../platform/cases/owner.js';
import { remindDaysSetting, type SweepResult, sweepDue } from '../../platform/cases/sweep.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { badRequest, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso } from '../../platform/ids.js';
import type { NotificationsService } from '../notifications/notifications.module.js';
import type { UsersService } from '../users/users.module.js';
import { benefitsRepo, type DiscrepancyRow } from './benefits.repo.js';
import type { DiscrepancyCasesHook } from './benefits.service.js';

type Status = Discrepancy['status'];
type Action = 'assign' | 'close';

/** A discrepancy's life cycle: open (reassignable) → closed with its outcome and a note. */
const MACHINE = caseMachine<Status, Action>({
  open: { assign: 'open', close: 'closed' },
  closed: {},
});

/** Settings key of the reminder lead time of discrepancies (working days before the deadline). */
export const DISCREPANCY_REMIND_SETTING = 'benefits.remind_working_days';
const DEFAULT_REMIND_DAYS = 2;

/** Roles that handle payments: who may be named owner of a discrepancy. */
const PAY_ROLES: readonly Role[] = ROLES.filter(
  (r) => r !== 'sys_admin' && ROLE_DEFINITIONS[r].permissions.includes('benefit:pay'),
);
/** Roles that supervise payments city-wide: escalation reaches those of the bureaus above the district. */
const SUPERVISOR_ROLES: readonly Role[] = ROLES.filter(
  (r) =>
    r !== 'sys_admin' &&
    ROLE_DEFINITIONS[r].scope === 'all' &&
    ROLE_DEFINITIONS[r].permissions.includes('benefit:approve'),
);

/** The only refusal of the machine: a closed case takes no action (409). */
const closedAlready = () => conflict('discrepancy_closed', 'benefits.discrepancy.closed');

/**
 * Reconciliation discrepancies as cases (decisions/0055), on the platform's case pieces: an owner
 * (the roster's district office by default, reassignable inside the district or to the city), the
 * working-day deadline set at reconciliation, the same deadline sweep as needs (claimed once per
 * deadline, escalated to the owner and the city's supervisors, a reminder before), notifications to
 * the owner, every transition audited; closed with the outcome (paid / recovered / explained) and a
 * note. Never a 急难愁盼 need: units never see them (decisions/0006).
 */
export class DiscrepancyCases implements DiscrepancyCasesHook {
  constructor(
    private readonly p: Platform,
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  today(now = new Date()): string {
    return localDate(now, this.p.config.tzDisplay);
  }

  private out(ctx: RequestCtx, r: DiscrepancyRow, names: Map<string, string>, today: string): Discrepancy {
    const status = r.status as Status;
    const canPay = ctx.actor.permissions.has('benefit:pay');
    return {
      id: r.id,
      rosterId: r.roster_id,
      orgName: r.org_name,
      period: r.period,
      kind: r.kind as Discrepancy['kind'],
      beneficiaryId: r.beneficiary_id,
      name: r.name,
      idMasked: r.id_masked,
      expectedFen: Number(r.expected_fen),
      paidFen: Number(r.paid_fen),
      rowNumber: r.row_number,
      month: r.month,
      status,
      deadline: r.deadline,
      resolution: r.resolution as Discrepancy['resolution'],
      resolutionNote: r.resolution_note,
      closedAt: r.closed_at,
      ownerOrgId: r.owner_org_id,
      ownerOrgName: r.owner_org_name ?? r.org_name,
      ownerUserId: r.owner_user_id,
      ownerUserName: r.owner_user_id ? (names.get(r.owner_user_id) ?? null) : null,
      overdue: status === 'open' && pastDeadline(r.deadline, today),
      escalatedAt: r.escalated_at,
      version: r.version,
      abilities: {
        close: canPay && MACHINE.next(status, 'close') !== null,
        reassign: canPay && MACHINE.next(status, 'assign') !== null,
      },
    };
  }

  private async outMany(ctx: RequestCtx, rows: DiscrepancyRow[]): Promise<Discrepancy[]> {
    const names = await this.users.displayNames(
      this.db,
      ctx.actor.scope,
      rows.map((r) => r.owner_user_id).filter((x): x is string => !!x),
    );
    const today = this.today();
    return rows.map((r) => this.out(ctx, r, names, today));
  }

  async page(ctx: RequestCtx, q: DiscrepancyListQuery) {
    const { page, pageSize, overdue, mine, ...f } = q;
    const filter = {
      ...f,
      ...(overdue ? { overdueBefore: this.today() } : {}),
      ...(mine ? { mine: { orgId: ctx.actor.orgId, userId: ctx.actor.userId } } : {}),
    };
    const { items, total } = await benefitsRepo.discrepancyPage(this.db, ctx.actor.scope, filter, page, pageSize);
    return { items: await this.outMany(ctx, items), total, page, pageSize };
  }

  async get(ctx: RequestCtx, id: string): Promise<Discrepancy> {
    const r = await benefitsRepo.discrepancy(this.db, ctx.actor.scope, id);
    if (!r) throw notFound();
    return (await this.outMany(ctx, [r]))[0]!;
  }

  /** Is the discrepancy inside the scope? (the pipeline's target resolver) */
  async visible(scope: Scope, id: string): Promise<boolean> {
    return !!(await benefitsRepo.discrepancy(this.db, scope, id));
  }

  /** Sends the outbox; a failing channel never fails what already committed. */
  async afterCommit(): Promise<void> {
    await this.notifications.flush().catch(() => undefined);
  }

  /** Reconciliation opened `count` cases of the roster: its owner hears of them once (not per case). */
  async opened(
    trx: Tx,
    roster: { id: string; period: string; orgName: string; ownerOrgId: string },
    count: number,
    deadline: string,
  ): Promise<void> {
    await this.notifications.notify(trx, {
      orgIds: [roster.ownerOrgId],
      kind: 'benefit.discrepancy.created',
      title: t('benefitNotify.created.title'),
      body: t('benefitNotify.created.body', { org: roster.orgName, period: roster.period, count, deadline }),
      entityType: 'benefit_roster',
      entityId: roster.id,
    });
  }

  /**
   * A late grade change opened `count` overpaid cases in a district (decisions/0065): its office
   * hears once, with the count and the deadline — no name, ID number or amount.
   */
  async gradeOverpaidOpened(
    trx: Tx,
    district: { rosterId: string; orgId: string; period: string; count: number },
    deadline: string,
  ): Promise<void> {
    const org = await benefitsRepo.org(trx, district.orgId);
    await this.notifications.notify(trx, {
      orgIds: [district.orgId],
      kind: 'benefit.discrepancy.created',
      title: t('benefitNotify.gradeOverpaid.title'),
      body: t('benefitNotify.gradeOverpaid.body', { org: org?.name ?? '', count: district.count, deadline }),
      entityType: 'benefit_roster',
      entityId: district.rosterId,
    });
  }

  /** The recipients of a notice to the owner: the named user, else every active user of the owner org. */
  private owner(d: { owner_org_id: string; owner_user_id: string | null }) {
    return d.owner_user_id ? { userIds: [d.owner_user_id] } : { orgIds: [d.owner_org_id] };
  }

  /** Who an open discrepancy may be given to, as the caller sees them. */
  async owners(ctx: RequestCtx, id: string): Promise<DiscrepancyOwners> {
    const d = await benefitsRepo.discrepancy(this.db, ctx.actor.scope, id);
    if (!d) throw notFound();
    const orgs = await benefitsRepo.ownerOrgs(this.db, ctx.actor.scope, d.org_path);
    const users = await this.payUsers(
      this.db,
      ctx.actor.scope,
      orgs.map((o) => o.id),
    );
    return { orgs: orgs.map((o) => ({ id: o.id, name: o.name })), users };
  }

  /** Active users of these orgs holding a payment role, with their names. */
  private async payUsers(db: Queryable, scope: Scope, orgIds: string[]) {
    if (!orgIds.length) return [];
    const [members, payers] = await Promise.all([
      this.users.activeRecipients(db, [], orgIds),
      this.users.activeWithAnyRole(db, PAY_ROLES),
    ]);
    const pay = new Set(payers);
    const chosen = members.filter((u) => pay.has(u.id));
    const names = await this.users.displayNames(
      db,
      scope,
      chosen.map((u) => u.id),
    );
    return chosen.filter((u) => names.has(u.id)).map((u) => ({ id: u.id, name: names.get(u.id)!, orgId: u.org_id }));
  }

  /** Reassigns an open discrepancy (the district or the city); the new owner is told, the deadline stands. */
  async assign(
    ctx: RequestCtx,
    id: string,
    body: { version: number; ownerOrgId: string; ownerUserId?: string | null; note?: string },
  ): Promise<Discrepancy> {
    await this.db.transaction().execute(async (trx) => {
      const d = await benefitsRepo.discrepancy(trx, ctx.actor.scope, id);
      if (!d) throw notFound();
      const status = d.status as Status;
      if (!MACHINE.next(status, 'assign')) throw closedAlready();
      if (d.version !== body.version) throw versionConflict();
      const [org] = await benefitsRepo.ownerOrgs(trx, ctx.actor.scope, d.org_path, [body.ownerOrgId]);
      if (!org || !ownsWithin(org, d.org_path)) throw badRequest('invalid_owner', 'benefits.discrepancy.owner');
      const userId = body.ownerUserId ?? null;
      if (userId && !(await this.payUsers(trx, ctx.actor.scope, [org.id])).some((u) => u.id === userId))
        throw badRequest('invalid_owner', 'benefits.discrepancy.owner');
      const updated = await benefitsRepo.assignDiscrepancy(trx, id, body.version, {
        owner_org_id: org.id,
        owner_user_id: userId,
        assigned_at: nowIso(),
      });
      if (!updated) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.discrepancy.assign',
        entityType: 'benefit_discrepancy',
        entityId: id,
        changes: {
          owner_org: [d.owner_org_id, org.id],
          owner_user: [d.owner_user_id, userId],
          ...(body.note ? { note: body.note } : {}),
        },
      });
      await this.notifications.notify(trx, {
        ...this.owner({ owner_org_id: org.id, owner_user_id: userId }),
        excludeUserIds: [ctx.actor.userId],
        kind: 'benefit.discrepancy.assigned',
        title: t('benefitNotify.assigned.title'),
        body: t('benefitNotify.assigned.body', {
          period: d.period,
          kind: t(`benefits.kind.${d.kind}` as never),
          deadline: d.deadline,
        }),
        entityType: 'benefit_discrepancy',
        entityId: id,
      });
    });
    await this.afterCommit();
    return this.get(ctx, id);
  }

  /** Closes a discrepancy with what was done: paid (the money went out), recovered, explained — and a note. */
  async close(
    ctx: RequestCtx,
    id: string,
    body: { version: number; resolution: 'paid' | 'recovered' | 'explained'; note: string },
  ): Promise<Discrepancy> {
    await this.db.transaction().execute(async (trx) => {
      const d = await benefitsRepo.discrepancy(trx, ctx.actor.scope, id);
      if (!d) throw notFound();
      const from = d.status as Status;
      const to = MACHINE.next(from, 'close');
      if (!to) throw closedAlready();
      const updated = await benefitsRepo.closeDiscrepancy(trx, id, body.version, {
        resolution: body.resolution,
        resolution_note: body.note,
        closed_by: ctx.actor.userId,
        closed_at: nowIso(),
      });
      if (!updated) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'benefit.discrepancy.close',
        entityType: 'benefit_discrepancy',
        entityId: id,
        changes: {
          status: [from, to],
          resolution: body.resolution,
          note: body.note,
          on_time: this.today() <= d.deadline,
        },
      });
    });
    return this.get(ctx, id);
  }

  /**
   * The deadline sweep (platform/cases' `sweepDue`, as needs run it): open discrepancies past their
   * deadline are escalated once to the owner and the city's supervisors; those within the lead time
   * get one reminder to the owner. `cli serve` runs it with the needs' sweep.
   */
  async sweep(now = new Date()): Promise<SweepResult> {
    const db = this.db;
    const today = this.today(now);
    const lead = await remindDaysSetting(this.p, DISCREPANCY_REMIND_SETTING, DEFAULT_REMIND_DAYS);
    const open = await benefitsRepo.sweepCandidates(db, SYSTEM_SCOPE);
    const supervising = new Set(await this.users.activeWithAnyRole(db, SUPERVISOR_ROLES));
    // the supervisors of a district: users of the veterans bureaus above it (the city) with a supervising role
    const above = new Map<string, string[]>();
    const supervisorsOf = async (q: Queryable, path: string) => {
      let ids = above.get(path);
      if (!ids) {
        const orgs = (await benefitsRepo.ownerOrgs(q, SYSTEM_SCOPE, path)).filter((o) => o.path.length < path.length);
        const members = await this.users.activeRecipients(
          q,
          [],
          orgs.map((o) => o.id),
        );
        ids = members.filter((u) => supervising.has(u.id)).map((u) => u.id);
        above.set(path, ids);
      }
      return ids;
    };
    const result = await sweepDue(db, open, today, lead, async (trx, d, due) => {
      if (!(await benefitsRepo.claimSweep(trx, d.id, due.column))) return false;
      const escalated = due.kind === 'escalated';
      await this.p.audit.append(trx, SYSTEM_AUDIT_ACTOR, {
        action: escalated ? 'benefit.discrepancy.escalate' : 'benefit.discrepancy.remind',
        entityType: 'benefit_discrepancy',
        entityId: d.id,
        changes: { deadline: due.deadline, today, working_days_left: due.left },
      });
      await this.notifications.notify(trx, {
        // escalation: the owner (the whole owner org, its head included) and the city; reminder: the owner
        userIds: [
          ...(d.owner_user_id ? [d.owner_user_id] : []),
          ...(escalated ? await supervisorsOf(trx, d.org_path) : []),
        ],
        orgIds: escalated || !d.owner_user_id ? [d.owner_org_id] : [],
        kind: `benefit.discrepancy.${due.kind}`,
        title: t(`benefitNotify.${due.kind}.title`),
        body: t(`benefitNotify.${due.kind}.body`, {
          period: d.period,
          kind: t(`benefits.kind.${d.kind}` as never),
          deadline: due.deadline,
          days: due.left,
          org: d.owner_org_name ?? '',
        }),
        entityType: 'benefit_discrepancy',
        entityId: d.id,
      });
      return true;
    });
    if (result.escalated.length || result.reminded.length) await this.afterCommit();
    return result;
  }
}
