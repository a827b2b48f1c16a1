import type {
  ActivityAction,
  ActivityDetail,
  ActivityListItem,
  ActivityType,
  activityListQuery,
  activityWithdrawBody,
  CreateActivityBody,
  createActivityTypeBody,
  Reached,
  TroopPlace,
  updateActivityBody,
  updateActivityTypeBody,
} from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { Insertable } from 'kysely';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { bool, type Queryable, toNumber } from '../../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { ConfidentialityChecks } from '../atmosphere/atmosphere.module.js';
import type { HouseholdsReadModel } from '../registry/registry.module.js';
import { seesMilitary, toActivityItem, toActivityPhoto } from './activities.view.js';
import { type ActivityFilter, type ActivityRow, type StatDelta, troopsRepo } from './troops.repo.js';
import type { TroopActivitiesTable } from './troops.schema.js';

type Db = Queryable;
const REACHED_COLUMNS = {
  low_income: 'reached_low_income',
  disabled: 'reached_disabled',
  elderly: 'reached_elderly',
  children: 'reached_children',
  students: 'reached_students',
  public: 'reached_public',
} as const satisfies Record<keyof Reached, keyof TroopActivitiesTable>;

/** Text fields the civilian side reads: each passes the confidentiality checks (no unit location, designation…). */
const PUBLIC_TEXT = ['placeName', 'summary', 'items', 'counterpartOrg'] as const;

const statKey = (r: Pick<TroopActivitiesTable, 'org_id' | 'org_path' | 'district_path' | 'type' | 'occurred_on'>) => ({
  org_id: r.org_id,
  org_path: r.org_path,
  district_path: r.district_path,
  type: r.type,
  month: r.occurred_on.slice(0, 7),
});
const statDelta = (r: TroopActivitiesTable | ActivityRow): StatDelta => ({
  activities: 1,
  minutes: r.duration_minutes,
  service_minutes: r.service_minutes,
  participants: r.participants,
  reached_low_income: r.reached_low_income,
  reached_disabled: r.reached_disabled,
  reached_elderly: r.reached_elderly,
  reached_children: r.reached_children,
  reached_students: r.reached_students,
  reached_public: r.reached_public,
  patients_seen: r.patients_seen,
  lessons_taught: r.lessons_taught,
  items_value_fen: toNumber(r.items_value_fen),
});

/** The district path of a civilian area ('650200/650203/…' → '650200/650203/'). */
function districtPath(path: string): string | null {
  const parts = path.split('/');
  return parts.length >= 3 ? `${parts[0]}/${parts[1]}/` : null;
}

/**
 * 拥政爱民活动: recorded by the military side (a unit its own, the 军分区 for any unit), read by the
 * unit's scope and by the civilian area where it happened; the civilian view leaves out the
 * military-only fields. Every change keeps the maintained statistics in the same transaction.
 */
export class ActivitiesService {
  constructor(
    private readonly p: Platform,
    private readonly checks: ConfidentialityChecks,
    private readonly households: HouseholdsReadModel,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  // ---- types (the editable list)
  async types(): Promise<{ items: ActivityType[] }> {
    const rows = await troopsRepo.types(this.db);
    return {
      items: rows.map((r) => ({
        code: r.code,
        label: r.label,
        sort: r.sort,
        builtin: bool(r.builtin),
        active: bool(r.active),
        version: r.version,
      })),
    };
  }

  async createType(ctx: RequestCtx, body: z.infer<typeof createActivityTypeBody>) {
    if (!seesMilitary(ctx.actor)) throw forbidden('troops.typesMilitaryOnly');
    await this.db.transaction().execute(async (trx) => {
      if (await troopsRepo.type(trx, body.code))
        throw conflict('type_exists', 'troops.typeExists', { code: body.code });
      const max = Math.max(0, ...(await troopsRepo.types(trx)).map((r) => r.sort));
      await troopsRepo.insertType(trx, {
        code: body.code,
        label: body.label,
        sort: body.sort ?? max + 10,
        builtin: 0,
        active: 1,
        version: 1,
        updated_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.type.create',
        entityType: 'troop_activity_type',
        entityId: body.code,
        changes: { label: [null, body.label] },
      });
    });
    return this.types();
  }

  async updateType(ctx: RequestCtx, body: z.infer<typeof updateActivityTypeBody>) {
    if (!seesMilitary(ctx.actor)) throw forbidden('troops.typesMilitaryOnly');
    await this.db.transaction().execute(async (trx) => {
      const cur = await troopsRepo.type(trx, body.code);
      if (!cur) throw badRequest('unknown_type', 'troops.typeNotFound', { code: body.code });
      const set = {
        ...(body.label !== undefined ? { label: body.label } : {}),
        ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
        ...(body.sort !== undefined ? { sort: body.sort } : {}),
        updated_at: nowIso(),
      };
      if (!(await troopsRepo.updateType(trx, body.code, body.version, set))) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.type.update',
        entityType: 'troop_activity_type',
        entityId: body.code,
        changes: {
          ...(body.label !== undefined ? { label: [cur.label, body.label] } : {}),
          ...(body.active !== undefined ? { active: [bool(cur.active), body.active] } : {}),
        },
      });
    });
    return this.types();
  }

  /** Where activities can take place: every civilian area below the city (a unit sees beyond its own scope). */
  async places(): Promise<{ items: TroopPlace[] }> {
    const rows = (await troopsRepo.places(this.db)).filter((r) => districtPath(r.path));
    return { items: rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name, depth: r.depth })) };
  }

  // ---- reading
  visible(db: Db, scope: Scope, id: string): Promise<ActivityRow | undefined> {
    return troopsRepo.get(db, scope, id);
  }

  private actionsOf(actor: Actor, r: ActivityRow): ActivityAction[] {
    if (r.status !== 'recorded' || !seesMilitary(actor) || !actor.permissions.has('troops:write')) return [];
    if (!scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path })) return [];
    return ['edit', 'photos', 'withdraw'];
  }

  async list(ctx: RequestCtx, q: z.infer<typeof activityListQuery>) {
    const f: ActivityFilter = {
      orgId: q.orgId,
      type: q.type,
      partnershipId: q.partnershipId,
      from: q.from,
      to: q.to,
      q: q.q,
    };
    if (q.areaId) {
      const area = await troopsRepo.placeOrg(this.db, q.areaId);
      if (!area) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
      f.areaPath = area.path;
    }
    const { rows, total } = await troopsRepo.page(this.db, ctx.actor.scope, f, q.page, q.pageSize);
    const military = seesMilitary(ctx.actor);
    return {
      items: rows.map((r) => toActivityItem(r, military, this.actionsOf(ctx.actor, r))),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async detail(ctx: RequestCtx, id: string, db: Db = this.db): Promise<ActivityDetail> {
    const r = await troopsRepo.get(db, ctx.actor.scope, id);
    if (!r) throw notFound();
    const military = seesMilitary(ctx.actor);
    const rows = (await troopsRepo.photos(db, SYSTEM_SCOPE, id)).filter((ph) => military || !bool(ph.military_only));
    // findings are computed on every read (decisions/0028): a changed rule shows at once
    const findings = military
      ? await this.checks.checkContent(
          true,
          {
            title: '',
            body: [],
            photos: rows.map((ph) => {
              const meta = JSON.parse(ph.metadata) as { gps: boolean; camera: string | null };
              return {
                id: ph.id,
                caption: ph.caption,
                gps: meta.gps,
                camera: meta.camera,
                showsServiceMembers: bool(ph.shows_service_members),
              };
            }),
          },
          db,
        )
      : [];
    const item = toActivityItem(r, military, this.actionsOf(ctx.actor, r));
    return {
      ...item,
      photoCount: rows.length,
      photos: rows.map((ph) =>
        toActivityPhoto(
          ph,
          military,
          findings.filter((f) => f.photoId === ph.id),
        ),
      ),
    };
  }

  // ---- writing
  /** The org an activity belongs to: a military org within the caller's scope. */
  private async unitOf(db: Db, actor: Actor, orgId: string | undefined) {
    const org = await troopsRepo.org(db, actor.scope, orgId ?? actor.orgId);
    if (org?.side !== 'military' || !bool(org.active)) throw badRequest('org_not_unit', 'troops.orgNotUnit');
    return org;
  }

  /** The place's area: a civilian region of the tree below a district (never a military org). */
  private async placeOf(db: Db, placeOrgId: string) {
    const org = await troopsRepo.placeOrg(db, placeOrgId);
    const district = org ? districtPath(org.path) : null;
    if (org?.side !== 'civilian' || !['veterans_bureau', 'service_station'].includes(org.type) || !district)
      throw badRequest('place_not_civil', 'troops.placeNotCivil');
    return { org, district };
  }

  /**
   * A visit links to an entitled household of the registry only where it happened: the household
   * lives at the place (the community) of the activity. Read through the registry's read model.
   */
  private async checkHousehold(db: Db, householdId: string, placePath: string) {
    const h = await this.households.get(db, { kind: 'subtree', path: placePath }, householdId);
    if (!h) throw badRequest('household_not_at_place', 'troops.householdNotAtPlace');
  }

  /** Public text goes through the confidentiality checks: a `block` finding refuses the save. */
  private async checkPublicText(
    actor: Actor,
    body: Partial<Record<(typeof PUBLIC_TEXT)[number], string | null | undefined>>,
  ) {
    for (const field of PUBLIC_TEXT) {
      const text = body[field];
      if (!text) continue;
      const labels = await this.checks.blockingLabels(actor, text);
      if (labels)
        throw badRequest('confidentiality', 'troops.confidentiality', { field: t(`troops.field.${field}`), labels });
    }
  }

  private async checkType(db: Db, code: string) {
    const ty = await troopsRepo.type(db, code);
    if (!ty || !bool(ty.active)) throw badRequest('unknown_type', 'troops.unknownType', { type: code });
  }

  private checkDate(d: string) {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    if (d > tomorrow) throw badRequest('future_date', 'troops.future');
  }

  private async checkPartnership(db: Db, scope: Scope, partnershipId: string | null | undefined, orgId: string) {
    if (!partnershipId) return;
    const pr = await troopsRepo.partnership(db, scope, partnershipId);
    if (!pr || pr.org_id !== orgId) throw badRequest('partnership', 'troops.partnershipNotFound');
  }

  async create(ctx: RequestCtx, body: CreateActivityBody): Promise<{ created: boolean; detail: ActivityDetail }> {
    const actor = ctx.actor;
    if (!seesMilitary(actor)) throw forbidden('troops.militaryOnly');
    if (body.clientKey) {
      const seen = await troopsRepo.byClientKey(this.db, SYSTEM_SCOPE, actor.userId, body.clientKey);
      if (seen) return { created: false, detail: await this.detail(ctx, seen.id) };
    }
    this.checkDate(body.occurredOn);
    await this.checkPublicText(actor, body);
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const unit = await this.unitOf(trx, actor, body.orgId);
      const place = await this.placeOf(trx, body.placeOrgId);
      await this.checkType(trx, body.type);
      await this.checkPartnership(trx, actor.scope, body.partnershipId, unit.id);
      if (body.householdId) await this.checkHousehold(trx, body.householdId, place.org.path);
      const now = nowIso();
      const reached = body.reached;
      const row: Insertable<TroopActivitiesTable> = {
        id,
        org_id: unit.id,
        org_path: unit.path,
        created_by: actor.userId,
        type: body.type,
        occurred_on: body.occurredOn,
        duration_minutes: body.durationMinutes,
        place_kind: body.placeKind,
        place_org_id: place.org.id,
        place_path: place.org.path,
        district_path: place.district,
        place_name: body.placeName ?? null,
        participants: body.participants,
        participant_names: body.participantNames?.length ? JSON.stringify(body.participantNames) : null,
        military_note: body.militaryNote ?? null,
        reached_low_income: reached?.low_income ?? 0,
        reached_disabled: reached?.disabled ?? 0,
        reached_elderly: reached?.elderly ?? 0,
        reached_children: reached?.children ?? 0,
        reached_students: reached?.students ?? 0,
        reached_public: reached?.public ?? 0,
        service_minutes: body.serviceMinutes ?? 0,
        items: body.items ?? null,
        items_value_fen: body.itemsValueFen ?? 0,
        patients_seen: body.patientsSeen ?? 0,
        lessons_taught: body.lessonsTaught ?? 0,
        counterpart_org: body.counterpartOrg ?? null,
        counterpart_contact: body.counterpartContact ?? null,
        summary: body.summary ?? null,
        partnership_id: body.partnershipId ?? null,
        campaign_id: body.campaignId ?? null,
        emergency_id: null,
        household_id: body.householdId ?? null,
        client_key: body.clientKey ?? null,
        status: 'recorded',
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await troopsRepo.insertActivity(trx, row);
      await troopsRepo.bumpStats(trx, statKey(row as TroopActivitiesTable), statDelta(row as TroopActivitiesTable), 1);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.activity.create',
        entityType: 'troop_activity',
        entityId: id,
        changes: {
          type: [null, body.type],
          org: [null, unit.id],
          place: [null, place.org.id],
          occurred_on: [null, body.occurredOn],
          ...(row.household_id ? { household: [null, row.household_id] } : {}),
          ...(row.participant_names || row.military_note ? { military_only_content: [null, true] } : {}),
        },
      });
    });
    return { created: true, detail: await this.detail(ctx, id) };
  }

  /** The activity for a change by the caller: visible, recorded, and of a unit the caller may write for. */
  async forChange(trx: Db, ctx: RequestCtx, id: string): Promise<ActivityRow> {
    const r = await troopsRepo.get(trx, ctx.actor.scope, id);
    if (!r) throw notFound();
    if (!seesMilitary(ctx.actor)) throw forbidden('troops.militaryOnly');
    if (!scopeCovers(ctx.actor.scope, { orgId: r.org_id, orgPath: r.org_path })) throw forbidden('troops.notYours');
    if (r.status !== 'recorded') throw conflict('not_editable', 'troops.notEditable');
    return r;
  }

  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updateActivityBody>): Promise<ActivityDetail> {
    if (body.occurredOn) this.checkDate(body.occurredOn);
    await this.checkPublicText(ctx.actor, body);
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forChange(trx, ctx, id);
      if (r.version !== body.version) throw versionConflict();
      const set: Partial<TroopActivitiesTable> = {};
      if (body.type !== undefined && body.type !== r.type) {
        await this.checkType(trx, body.type);
        set.type = body.type;
      }
      if (body.placeOrgId !== undefined && body.placeOrgId !== r.place_org_id) {
        const place = await this.placeOf(trx, body.placeOrgId);
        set.place_org_id = place.org.id;
        set.place_path = place.org.path;
        set.district_path = place.district;
      }
      if (body.partnershipId !== undefined) {
        await this.checkPartnership(trx, ctx.actor.scope, body.partnershipId, r.org_id);
        set.partnership_id = body.partnershipId;
      }
      const simple: [keyof typeof body, keyof TroopActivitiesTable][] = [
        ['occurredOn', 'occurred_on'],
        ['durationMinutes', 'duration_minutes'],
        ['placeKind', 'place_kind'],
        ['placeName', 'place_name'],
        ['participants', 'participants'],
        ['militaryNote', 'military_note'],
        ['serviceMinutes', 'service_minutes'],
        ['items', 'items'],
        ['itemsValueFen', 'items_value_fen'],
        ['patientsSeen', 'patients_seen'],
        ['lessonsTaught', 'lessons_taught'],
        ['counterpartOrg', 'counterpart_org'],
        ['counterpartContact', 'counterpart_contact'],
        ['summary', 'summary'],
        ['campaignId', 'campaign_id'],
      ];
      for (const [k, col] of simple) if (body[k] !== undefined) (set as Record<string, unknown>)[col] = body[k] ?? null;
      if (body.participantNames !== undefined)
        set.participant_names = body.participantNames.length ? JSON.stringify(body.participantNames) : null;
      if (body.reached)
        for (const [g, col] of Object.entries(REACHED_COLUMNS)) set[col] = body.reached[g as keyof Reached];
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [col, v] of Object.entries(set)) {
        const before = (r as Record<string, unknown>)[col];
        if (before === v) delete (set as Record<string, unknown>)[col];
        else if (col === 'participant_names' || col === 'military_note') changes.military_only_content = [null, true];
        else changes[col] = [before, v];
      }
      if (!Object.keys(set).length) return;
      if (!(await troopsRepo.updateActivity(trx, id, r.version, { ...set, updated_at: nowIso() })))
        throw versionConflict();
      const after = { ...r, ...set } as ActivityRow;
      await troopsRepo.bumpStats(trx, statKey(r), statDelta(r), -1);
      await troopsRepo.bumpStats(trx, statKey(after), statDelta(after), 1);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.activity.update',
        entityType: 'troop_activity',
        entityId: id,
        changes,
      });
    });
    return this.detail(ctx, id);
  }

  /** Withdraws a wrong record (it leaves lists, statistics and campaign figures; the audit keeps it). */
  async withdraw(ctx: RequestCtx, id: string, body: z.infer<typeof activityWithdrawBody>): Promise<ActivityDetail> {
    await this.db.transaction().execute(async (trx) => {
      const r = await this.forChange(trx, ctx, id);
      if (!(await troopsRepo.updateActivity(trx, id, body.version, { status: 'withdrawn', updated_at: nowIso() })))
        throw versionConflict();
      await troopsRepo.bumpStats(trx, statKey(r), statDelta(r), -1);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.activity.withdraw',
        entityType: 'troop_activity',
        entityId: id,
        changes: { status: ['recorded', 'withdrawn'], reason: [null, body.reason] },
      });
    });
    return this.detail(ctx, id);
  }

  // ---- the read model other modules use (the model-city bid files activities as evidence)
  /**
   * Activities in a scope and period, in the civilian view (no military-only fields, ever): what
   * another module may show or file as evidence. `orgId` narrows to one unit, `areaId` to an area.
   */
  async evidence(
    scope: Scope,
    f: { from?: string; to?: string; orgId?: string; areaId?: string; type?: string; page?: number; pageSize?: number },
  ): Promise<{ items: ActivityListItem[]; total: number }> {
    const filter: ActivityFilter = { from: f.from, to: f.to, orgId: f.orgId, type: f.type };
    if (f.areaId) {
      const area = await troopsRepo.placeOrg(this.db, f.areaId);
      if (!area) return { items: [], total: 0 };
      filter.areaPath = area.path;
    }
    const { rows, total } = await troopsRepo.page(this.db, scope, filter, f.page ?? 1, f.pageSize ?? 50);
    return { items: rows.map((r) => toActivityItem(r, false, [])), total };
  }

  /** Counts of activities in a scope and period, by type and by unit (from the maintained statistics). */
  async counts(
    scope: Scope,
    f: { fromMonth?: string; toMonth?: string; orgId?: string },
  ): Promise<{
    activities: number;
    serviceMinutes: number;
    reached: number;
    byType: { type: string; activities: number }[];
    byOrg: { orgId: string; activities: number }[];
  }> {
    const rows = await troopsRepo.stats(this.db, scope, f);
    const byType = new Map<string, number>();
    const byOrg = new Map<string, number>();
    let activities = 0;
    let serviceMinutes = 0;
    let reached = 0;
    for (const r of rows) {
      const n = toNumber(r.activities);
      activities += n;
      serviceMinutes += toNumber(r.service_minutes);
      reached +=
        toNumber(r.reached_low_income) +
        toNumber(r.reached_disabled) +
        toNumber(r.reached_elderly) +
        toNumber(r.reached_children) +
        toNumber(r.reached_students) +
        toNumber(r.reached_public);
      byType.set(r.type, (byType.get(r.type) ?? 0) + n);
      byOrg.set(r.org_id, (byOrg.get(r.org_id) ?? 0) + n);
    }
    return {
      activities,
      serviceMinutes,
      reached,
      byType: [...byType].filter(([, n]) => n > 0).map(([type, n]) => ({ type, activities: n })),
      byOrg: [...byOrg].filter(([, n]) => n > 0).map(([orgId, n]) => ({ orgId, activities: n })),
    };
  }
}
