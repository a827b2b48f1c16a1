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
import { type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import { prefixEnd, type Scope, scopeWhere } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localToday } from '../../platform/calendar/dates.js';
import { addWorkingDays } from '../../platform/calendar/working-days.js';
import type { Platform } from '../../platform/context.js';
import { bool, type Queryable, type Tx, toNumber } from '../../platform/db/index.js';
import type { MeritCitationsTable } from '../../platform/db/schema.js';
import { AppError, conflict, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { orgsRepo } from '../orgs/orgs.repo.js';

type Citation = z.infer<typeof citationSchema>;
const HOUSEHOLD_SCOPE = { path: 'h.org_path', orgId: 'h.org_id' } as const;

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
  constructor(private readonly p: Platform) {}

  private get db() {
    return this.p.handle.db;
  }

  async household(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('households as h')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .selectAll('h')
      .select('o.name as org_name')
      .where('h.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE))
      .executeTakeFirst();
  }

  private async members(db: Queryable, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('beneficiaries')
      .select(['id', 'household_id', 'name', 'categories'])
      .where('household_id', 'in', ids)
      .where('status', '!=', 'merged')
      .orderBy('created_at')
      .execute();
  }

  async page(
    ctx: RequestCtx,
    q: { orgId?: string; plaqueEligible?: 'true' | 'false'; plaqueStatus?: string; page: number; pageSize: number },
  ) {
    let orgPath: string | undefined;
    if (q.orgId) {
      const org = await orgsRepo.get(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      orgPath = org.path;
    }
    let qb = this.db
      .selectFrom('households as h')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .where((eb) => scopeWhere(eb, ctx.actor.scope, HOUSEHOLD_SCOPE));
    if (orgPath) qb = qb.where('h.org_path', '>=', orgPath).where('h.org_path', '<', prefixEnd(orgPath));
    if (q.plaqueEligible) qb = qb.where('h.plaque_eligible', '=', q.plaqueEligible === 'true' ? 1 : 0);
    if (q.plaqueStatus) qb = qb.where('h.plaque_status', '=', q.plaqueStatus);
    const [rows, total] = await Promise.all([
      qb
        .selectAll('h')
        .select('o.name as org_name')
        .orderBy('h.org_path')
        .orderBy('h.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
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
    return { items, total: toNumber(total.n), page: q.page, pageSize: q.pageSize };
  }

  async detail(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<z.infer<typeof householdDetail>> {
    const h = await this.household(db, ctx.actor.scope, id);
    if (!h) throw notFound();
    const [people, events, couplets, citations] = await Promise.all([
      this.members(db, [id]),
      db.selectFrom('plaque_events').selectAll().where('household_id', '=', id).orderBy('created_at').execute(),
      db.selectFrom('couplet_deliveries').selectAll().where('household_id', '=', id).orderBy('year', 'desc').execute(),
      db
        .selectFrom('merit_citations')
        .selectAll()
        .where('household_id', '=', id)
        .orderBy('received_at', 'desc')
        .execute(),
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
      await trx
        .insertInto('plaque_events')
        .values({
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
        })
        .execute();
      await trx
        .updateTable('households')
        .set({ plaque_status: next, version: h.version + 1, updated_at: nowIso() })
        .where('id', '=', householdId)
        .execute();
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
      const dup = await trx
        .selectFrom('couplet_deliveries')
        .select('id')
        .where('household_id', '=', householdId)
        .where('year', '=', body.year)
        .executeTakeFirst();
      if (dup) throw conflict('couplet_duplicate', 'honours.coupletDuplicate', { year: body.year });
      await trx
        .insertInto('couplet_deliveries')
        .values({
          id: uuidv7(),
          household_id: householdId,
          org_path: h.org_path,
          year: body.year,
          delivered_at: body.deliveredAt,
          delivered_by: body.deliveredBy ?? null,
          created_by: ctx.actor.userId,
          created_at: nowIso(),
        })
        .execute();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'couplet.deliver',
        entityType: 'household',
        entityId: householdId,
        changes: { year: body.year },
      });
      return this.detail(ctx, householdId, trx);
    });
  }

  async citation(db: Queryable, scope: Scope, id: string) {
    return db
      .selectFrom('merit_citations as c')
      .innerJoin('households as h', 'h.id', 'c.household_id')
      .selectAll('c')
      .where('c.id', '=', id)
      .where((eb) => scopeWhere(eb, scope, HOUSEHOLD_SCOPE))
      .executeTakeFirst();
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
      await trx.insertInto('merit_citations').values(row).execute();
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
      await trx
        .updateTable('merit_citations')
        .set({
          status: flow.to,
          [flow.column]: body.date,
          ...(body.deliverers ? { deliverers: body.deliverers } : {}),
          ...(body.rewardFen !== undefined ? { reward_fen: body.rewardFen } : {}),
          version: c.version + 1,
          updated_at: nowIso(),
        })
        .where('id', '=', id)
        .execute();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'citation.advance',
        entityType: 'citation',
        entityId: id,
        changes: { status: [c.status, flow.to] },
      });
      return toCitation((await this.citation(trx, { kind: 'all' }, id))!);
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
    let qb = this.db
      .selectFrom('merit_citations as c')
      .innerJoin('households as h', 'h.id', 'c.household_id')
      .innerJoin('orgs as o', 'o.id', 'h.org_id')
      .where((eb) => scopeWhere(eb, ctx.actor.scope, HOUSEHOLD_SCOPE));
    if (q.orgId) {
      const org = await orgsRepo.get(this.db, ctx.actor.scope, q.orgId);
      if (!org) throw notFound();
      qb = qb.where('h.org_path', '>=', org.path).where('h.org_path', '<', prefixEnd(org.path));
    }
    if (q.year) qb = qb.where('c.award_year', '=', q.year);
    if (q.status) qb = qb.where('c.status', '=', q.status);
    if (q.pending === 'true') qb = qb.where('c.status', '=', 'received');
    if (q.pending === 'false') qb = qb.where('c.status', '!=', 'received');
    if (q.overdue === 'true') qb = qb.where('c.status', '=', 'received').where('c.register_deadline', '<', today);
    if (q.overdue === 'false')
      qb = qb.where((eb) => eb.or([eb('c.status', '!=', 'received'), eb('c.register_deadline', '>=', today)]));
    const [rows, total] = await Promise.all([
      qb
        .selectAll('c')
        .select('o.name as org_name')
        // what needs doing first: the unregistered by deadline, then the rest newest first
        .orderBy(sql`CASE WHEN c.status = 'received' THEN 0 ELSE 1 END`)
        .orderBy(sql`CASE WHEN c.status = 'received' THEN c.register_deadline END`)
        .orderBy('c.received_at', 'desc')
        .orderBy('c.id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute(),
      qb.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
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
    return { items, total: toNumber(total.n), page: q.page, pageSize: q.pageSize };
  }
}
