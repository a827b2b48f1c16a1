import type {
  advanceCitationBody,
  citationSchema,
  coupletBody,
  createCitationBody,
  householdDetail,
  householdListItem,
  PlaqueEventKind,
  plaqueEventBody,
} from '@shuangyong/shared';
import { maskName, t } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import { addWorkingDays } from '../../platform/calendar/working-days.js';
import type { Platform } from '../../platform/context.js';
import { bool, type Queryable, type Tx } from '../../platform/db/index.js';
import type { MeritCitationsTable } from '../../platform/db/schema.js';
import { AppError, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import type { HouseholdLines, HouseholdsReadModel } from '../registry/registry.module.js';
import { honoursRepo } from './honours.repo.js';

type Citation = z.infer<typeof citationSchema>;

/** 光荣牌 life cycle: which event may follow which plaque status, and where it leads. */
export const PLAQUE_TRANSITIONS: Record<string, Partial<Record<PlaqueEventKind, string>>> = {
  none: { issued: 'hung' },
  hung: { reissued: 'hung', replaced: 'hung', taken_back: 'taken_back', cancelled: 'cancelled' },
  taken_back: { reinstated: 'hung', issued: 'hung' },
  cancelled: { reinstated: 'hung' },
};

/** 立功喜报 workflow: each step's required status, resulting status and date column. */
const CITATION_FLOW = {
  register: { from: 'received', to: 'registered', column: 'registered_at' },
  verify_address: { from: 'registered', to: 'address_verified', column: 'address_verified_at' },
  deliver: { from: 'address_verified', to: 'delivered', column: 'delivered_at' },
  report: { from: 'delivered', to: 'reported', column: 'reported_at' },
} as const;

/** Working days to register a received citation (DOMAIN §4: configurable). */
export const REGISTER_WORKING_DAYS = 5;

function toCitation(r: Selectable<MeritCitationsTable>, today = new Date().toISOString().slice(0, 10)): Citation {
  return {
    id: r.id,
    householdId: r.household_id,
    memberName: r.member_name,
    unitCodeName: r.unit_code_name,
    awardLevel: r.award_level as Citation['awardLevel'],
    awardYear: r.award_year,
    status: r.status as Citation['status'],
    receivedAt: r.received_at,
    registerDeadline: r.register_deadline,
    registeredAt: r.registered_at,
    addressVerifiedAt: r.address_verified_at,
    deliveredAt: r.delivered_at,
    deliverers: r.deliverers,
    rewardFen: r.reward_fen,
    reportedAt: r.reported_at,
    overdue: r.status === 'received' && r.register_deadline < today,
    version: r.version,
  };
}

/** 友谊社区退役军人服务站 → 友谊社区: the community a household belongs to, as people say it. */
export function communityName(orgName: string): string {
  return orgName.replace(/(?:退役军人服务(?:站|中心)|退役军人事务局)$/, '') || orgName;
}

/**
 * How a household is named in lists: its head (the first member registered) and its community —
 * 王秀英家（友谊社区）. Those who work with the families (`beneficiary:write`) read the name; the
 * city's read-only roles see it masked (王＊＊家), as they see the address masked.
 */
export function householdLabel(head: string | undefined, orgName: string, actor: RequestCtx['actor']): string {
  const community = communityName(orgName);
  if (!head) return t('households.labelNoMember', { community });
  const name = actor.permissions.has('beneficiary:write') ? head : maskName(head);
  return t('households.label', { name, community });
}

export class HonoursService {
  /** What other modules read of honours' tables (subqueries they embed). */
  readonly readModel = { citations: honoursRepo.citationRows };

  constructor(
    private readonly p: Platform,
    private readonly households: HouseholdsReadModel,
    private readonly orgs: OrgsService,
    private readonly lines: HouseholdLines,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  household(db: Queryable, scope: Scope, id: string) {
    return this.households.get(db, scope, id);
  }

  /**
   * 光荣牌悬挂 as evidence reads it (decisions/0046): the events that hung a plaque on a household
   * in scope, with the household's org only — never the family.
   */
  plaquesHung(scope: Scope, f: { id?: string; from?: string; to?: string }, limit: number) {
    return honoursRepo.plaquesHung(this.db, this.households.rows(this.db, SYSTEM_SCOPE), scope, f, limit);
  }

  /** The members of households the caller read in scope (a member may be registered elsewhere). */
  private members(db: Queryable, ids: string[]) {
    return this.households.members(db, SYSTEM_SCOPE, ids);
  }

  async page(
    ctx: RequestCtx,
    q: { orgId?: string; plaqueEligible?: 'true' | 'false'; plaqueStatus?: string; page: number; pageSize: number },
  ) {
    let orgPath: string | undefined;
    if (q.orgId) {
      const org = await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      orgPath = org.path;
    }
    const { rows, total } = await this.households.page(
      this.db,
      ctx.actor.scope,
      {
        orgPath,
        plaqueEligible: q.plaqueEligible ? q.plaqueEligible === 'true' : undefined,
        plaqueStatus: q.plaqueStatus,
      },
      q.page,
      q.pageSize,
    );
    const members = await this.members(
      this.db,
      rows.map((r) => r.id),
    );
    const items: z.infer<typeof householdListItem>[] = rows.map((r) => {
      const names = members.filter((m) => m.household_id === r.id).map((m) => m.name);
      return {
        id: r.id,
        orgId: r.org_id,
        orgName: r.org_name,
        addressMasked: r.address_masked,
        label: householdLabel(names[0], r.org_name, ctx.actor),
        members: ctx.actor.permissions.has('beneficiary:write') ? names : names.map(maskName),
        plaqueStatus: r.plaque_status as 'none',
        plaqueEligible: bool(r.plaque_eligible),
      };
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<z.infer<typeof householdDetail>> {
    const h = await this.household(db, ctx.actor.scope, id);
    if (!h) throw notFound();
    const [people, [events, couplets, citations], lines] = await Promise.all([
      this.members(db, [id]),
      honoursRepo.history(db, SYSTEM_SCOPE, id),
      this.lines.of(db, id, ctx.actor),
    ]);
    return {
      id: h.id,
      orgId: h.org_id,
      orgName: h.org_name,
      addressMasked: h.address_masked,
      label: householdLabel(people[0]?.name, h.org_name, ctx.actor),
      members: people.map((m) => m.name),
      people: people.map((m) => ({ id: m.id, name: m.name, categories: m.categories ? m.categories.split(',') : [] })),
      plaqueStatus: h.plaque_status as 'none',
      plaqueEligible: bool(h.plaque_eligible),
      plaqueEvents: events.map((e) => ({
        id: e.id,
        kind: e.kind as PlaqueEventKind,
        eventDate: e.event_date,
        reason: e.reason as null,
        hungBy: e.hung_by,
        note: e.note,
        createdAt: e.created_at,
      })),
      couplets: couplets.map((c) => ({ year: c.year, deliveredAt: c.delivered_at, deliveredBy: c.delivered_by })),
      citations: citations.map((c) => toCitation(c)),
      lines,
      version: h.version,
    };
  }

  private async loadHousehold(trx: Tx, ctx: RequestCtx, id: string) {
    const h = await this.household(trx, ctx.actor.scope, id);
    if (!h) throw notFound();
    return h;
  }

  /** Records a 光荣牌 event; an event the current status does not allow is refused with the allowed ones. */
  async plaqueEvent(ctx: RequestCtx, householdId: string, body: z.infer<typeof plaqueEventBody>) {
    return this.db.transaction().execute(async (trx) => {
      const h = await this.loadHousehold(trx, ctx, householdId);
      const allowed = PLAQUE_TRANSITIONS[h.plaque_status] ?? {};
      const next = allowed[body.kind];
      if (!next)
        throw new AppError(
          409,
          'illegal_transition',
          'honours.illegalPlaqueEvent',
          { status: t(`plaqueStatus.${h.plaque_status}`), kind: t(`plaqueEvent.${body.kind}`) },
          { allowed: Object.keys(allowed) },
        );
      await honoursRepo.insertPlaqueEvent(trx, {
        id: uuidv7(),
        household_id: householdId,
        org_path: h.org_path,
        kind: body.kind,
        event_date: body.eventDate,
        reason: body.reason ?? null,
        note: body.note ?? null,
        hung_by: body.hungBy ?? null,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      });
      await this.households.setPlaqueStatus(trx, householdId, next, h.version);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'plaque.event',
        entityType: 'household',
        entityId: householdId,
        changes: { plaque_status: [h.plaque_status, next], kind: body.kind, reason: body.reason ?? null },
      });
      return this.detail(ctx, householdId, trx);
    });
  }

  async deliverCouplets(ctx: RequestCtx, householdId: string, body: z.infer<typeof coupletBody>) {
    return this.db.transaction().execute(async (trx) => {
      const h = await this.loadHousehold(trx, ctx, householdId);
      const dup = await honoursRepo.coupletOf(trx, SYSTEM_SCOPE, householdId, body.year);
      if (dup) throw conflict('couplet_duplicate', 'honours.coupletDuplicate', { year: body.year });
      await honoursRepo.insertCouplet(trx, {
        id: uuidv7(),
        household_id: householdId,
        org_path: h.org_path,
        year: body.year,
        delivered_at: body.deliveredAt,
        delivered_by: body.deliveredBy ?? null,
        created_by: ctx.actor.userId,
        created_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'couplet.deliver',
        entityType: 'household',
        entityId: householdId,
        changes: { year: body.year },
      });
      return this.detail(ctx, householdId, trx);
    });
  }

  citation(db: Queryable, scope: Scope, id: string) {
    return honoursRepo.citation(db, this.households.rows(db, SYSTEM_SCOPE), scope, id);
  }

  async createCitation(ctx: RequestCtx, body: z.infer<typeof createCitationBody>): Promise<Citation> {
    return this.db.transaction().execute(async (trx) => {
      const h = await this.loadHousehold(trx, ctx, body.householdId);
      const id = uuidv7();
      const now = nowIso();
      const row = {
        id,
        household_id: h.id,
        org_path: h.org_path,
        member_name: body.memberName,
        unit_code_name: body.unitCodeName ?? null,
        award_level: body.awardLevel,
        award_year: body.awardYear,
        status: 'received',
        received_at: body.receivedAt,
        register_deadline: addWorkingDays(body.receivedAt, REGISTER_WORKING_DAYS),
        registered_at: null,
        address_verified_at: null,
        delivered_at: null,
        deliverers: null,
        reward_fen: body.rewardFen ?? null,
        reported_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await honoursRepo.insertCitation(trx, row);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'citation.create',
        entityType: 'citation',
        entityId: id,
        changes: { award_level: [null, body.awardLevel], household: [null, h.id] },
      });
      return toCitation(row);
    });
  }

  async advanceCitation(ctx: RequestCtx, id: string, body: z.infer<typeof advanceCitationBody>): Promise<Citation> {
    return this.db.transaction().execute(async (trx) => {
      const c = await this.citation(trx, ctx.actor.scope, id);
      if (!c) throw notFound();
      if (c.version !== body.version) throw versionConflict();
      const flow = CITATION_FLOW[body.step];
      if (c.status !== flow.from) {
        const allowed = Object.entries(CITATION_FLOW)
          .filter(([, f]) => f.from === c.status)
          .map(([s]) => s);
        throw new AppError(
          409,
          'illegal_transition',
          'honours.illegalCitationStep',
          { status: t(`citationStatus.${c.status}`), step: t(`citationStep.${body.step}`) },
          { allowed },
        );
      }
      await honoursRepo.advanceCitation(trx, id, {
        status: flow.to,
        [flow.column]: body.date,
        ...(body.deliverers ? { deliverers: body.deliverers } : {}),
        ...(body.rewardFen !== undefined ? { reward_fen: body.rewardFen } : {}),
        version: c.version + 1,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'citation.advance',
        entityType: 'citation',
        entityId: id,
        changes: { status: [c.status, flow.to] },
      });
      return toCitation((await this.citation(trx, SYSTEM_SCOPE, id))!);
    });
  }

  async citations(
    ctx: RequestCtx,
    q: {
      year?: number;
      status?: string;
      overdue?: 'true' | 'false';
      pending?: 'true' | 'false';
      orgId?: string;
      page: number;
      pageSize: number;
    },
  ) {
    const today = localToday(this.p.config.tzDisplay);
    let orgPath: string | undefined;
    if (q.orgId) {
      const org = await this.orgs.inScope(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      orgPath = org.path;
    }
    const { rows, total } = await honoursRepo.citations(
      this.db,
      this.households.rows(this.db, SYSTEM_SCOPE),
      ctx.actor.scope,
      {
        orgPath,
        year: q.year,
        status: q.status,
        pending: q.pending ? q.pending === 'true' : undefined,
        overdue: q.overdue ? q.overdue === 'true' : undefined,
        today,
      },
      q.page,
      q.pageSize,
    );
    const members = await this.members(this.db, [...new Set(rows.map((r) => r.household_id))]);
    const items = rows.map((r) => {
      const c = toCitation(r, today);
      const head = members.find((m) => m.household_id === r.household_id)?.name;
      return {
        ...c,
        householdLabel: householdLabel(head, r.org_name, ctx.actor),
        orgName: r.org_name,
        due: r.status === 'received' && !c.overdue,
      };
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }
}
