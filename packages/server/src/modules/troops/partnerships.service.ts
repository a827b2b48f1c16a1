import type {
  createPartnershipBody,
  endPartnershipBody,
  PartnershipAction,
  PartnershipItem,
  PlaceKind,
  partnershipListQuery,
  updatePartnershipBody,
} from '@shuangyong/shared';
import type { z } from 'zod';
import { type Scope, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { type Actor, auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { bool, type Queryable } from '../../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { seesMilitary, typeLabel } from './activities.view.js';
import { troopsRepo } from './troops.repo.js';

/** The first day of the quarter `day` (YYYY-MM-DD) lies in. */
export function quarterStart(day: string): string {
  const m = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

/**
 * 军民共建: a unit paired with a civilian partner for a period, with annual plans by activity type;
 * a plan's progress is the activities recorded against the pair, and a pair with none this quarter
 * is idle. Seen, like activities, by the unit's scope and the partner's area.
 */
export class PartnershipsService {
  constructor(private readonly p: Platform) {}

  async create(ctx: RequestCtx, body: z.infer<typeof createPartnershipBody>): Promise<PartnershipItem> {
    if (!seesMilitary(ctx.actor)) throw forbidden('troops.militaryOnly');
    const id = uuidv7();
    await this.p.handle.db.transaction().execute(async (trx) => {
      const unit = await troopsRepo.org(trx, ctx.actor.scope, body.orgId ?? ctx.actor.orgId);
      if (unit?.side !== 'military' || !bool(unit.active)) throw badRequest('org_not_unit', 'troops.orgNotUnit');
      const place = await troopsRepo.placeOrg(trx, body.placeOrgId);
      if (place?.side !== 'civilian' || place.path.split('/').length < 3)
        throw badRequest('place_not_civil', 'troops.placeNotCivil');
      for (const pl of body.plans) {
        const ty = await troopsRepo.type(trx, pl.type);
        if (!ty) throw badRequest('unknown_type', 'troops.unknownType', { type: pl.type });
      }
      const now = nowIso();
      await troopsRepo.insertPartnership(trx, {
        id,
        org_id: unit.id,
        org_path: unit.path,
        place_org_id: place.id,
        place_path: place.path,
        partner_kind: body.partnerKind,
        partner_name: body.partnerName,
        contact: body.contact ?? null,
        starts_on: body.startsOn,
        ends_on: body.endsOn ?? null,
        note: null,
        status: 'active',
        end_reason: null,
        created_by: ctx.actor.userId,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      await troopsRepo.insertPlans(
        trx,
        body.plans.map((pl) => ({
          id: uuidv7(),
          partnership_id: id,
          org_path: unit.path,
          year: pl.year,
          type: pl.type,
          planned: pl.planned,
          note: null,
          created_at: now,
        })),
      );
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.partnership.create',
        entityType: 'troop_partnership',
        entityId: id,
        changes: { partner_name: [null, body.partnerName], org: [null, unit.id], place: [null, place.id] },
      });
    });
    return this.get(ctx, id);
  }

  /** A pair the caller may change: 404 outside its scope, 403 for the civil side or a unit that is not its own. */
  private async forChange(trx: Queryable, ctx: RequestCtx, id: string) {
    const r = await troopsRepo.partnership(trx, ctx.actor.scope, id);
    if (!r) throw notFound();
    if (!seesMilitary(ctx.actor)) throw forbidden('troops.militaryOnly');
    if (!scopeCovers(ctx.actor.scope, { orgId: r.org_id, orgPath: r.org_path }))
      throw forbidden('troops.partnershipNotYours');
    if (r.status !== 'active') throw conflict('partnership_ended', 'troops.partnershipEnded');
    return r;
  }

  private actionsOf(actor: Actor, r: { status: string; org_id: string; org_path: string }): PartnershipAction[] {
    if (r.status !== 'active' || !seesMilitary(actor) || !actor.permissions.has('troops:write')) return [];
    if (!scopeCovers(actor.scope, { orgId: r.org_id, orgPath: r.org_path })) return [];
    return ['edit', 'end'];
  }

  /** Edit a pair (partner, area, period, contact; `plans` replaces the annual plan), versioned and audited. */
  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updatePartnershipBody>): Promise<PartnershipItem> {
    await this.p.handle.db.transaction().execute(async (trx) => {
      const r = await this.forChange(trx, ctx, id);
      if (r.version !== body.version) throw versionConflict();
      const set: Record<string, string | null> = {};
      const changes: Record<string, [unknown, unknown]> = {};
      if (body.placeOrgId !== undefined && body.placeOrgId !== r.place_org_id) {
        const place = await troopsRepo.placeOrg(trx, body.placeOrgId);
        if (place?.side !== 'civilian' || place.path.split('/').length < 3)
          throw badRequest('place_not_civil', 'troops.placeNotCivil');
        set.place_org_id = place.id;
        set.place_path = place.path;
        changes.place = [r.place_org_id, place.id];
      }
      const simple: [keyof typeof body, 'partner_kind' | 'partner_name' | 'starts_on' | 'ends_on' | 'contact'][] = [
        ['partnerKind', 'partner_kind'],
        ['partnerName', 'partner_name'],
        ['startsOn', 'starts_on'],
        ['endsOn', 'ends_on'],
        ['contact', 'contact'],
      ];
      for (const [k, col] of simple) {
        if (body[k] === undefined) continue;
        const v = (body[k] as string | null) ?? null;
        if (v === r[col]) continue;
        set[col] = v;
        changes[col] = [r[col], v];
      }
      const startsOn = set.starts_on ?? r.starts_on;
      const endsOn = 'ends_on' in set ? set.ends_on : r.ends_on;
      if (endsOn && endsOn < startsOn) throw badRequest('bad_period', 'troops.partnershipPeriod');
      if (body.plans) {
        for (const pl of body.plans) {
          if (!(await troopsRepo.type(trx, pl.type)))
            throw badRequest('unknown_type', 'troops.unknownType', { type: pl.type });
        }
        const before = (await troopsRepo.plans(trx, SYSTEM_SCOPE, [id]))
          .map((pl) => `${pl.year}:${pl.type}:${pl.planned}`)
          .sort()
          .join(',');
        const after = body.plans
          .map((pl) => `${pl.year}:${pl.type}:${pl.planned}`)
          .sort()
          .join(',');
        if (before !== after) changes.plans = [before, after];
      }
      if (!Object.keys(changes).length) return;
      const now = nowIso();
      if (!(await troopsRepo.updatePartnership(trx, id, r.version, { ...set, updated_at: now })))
        throw versionConflict();
      if (body.plans && changes.plans) {
        await troopsRepo.deletePlans(trx, id);
        await troopsRepo.insertPlans(
          trx,
          body.plans.map((pl) => ({
            id: uuidv7(),
            partnership_id: id,
            org_path: r.org_path,
            year: pl.year,
            type: pl.type,
            planned: pl.planned,
            note: null,
            created_at: now,
          })),
        );
      }
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.partnership.update',
        entityType: 'troop_partnership',
        entityId: id,
        changes,
      });
    });
    return this.get(ctx, id);
  }

  /** End a pair on a day, with a reason: it leaves the idle list from that day; its history stays. */
  async end(ctx: RequestCtx, id: string, body: z.infer<typeof endPartnershipBody>): Promise<PartnershipItem> {
    await this.p.handle.db.transaction().execute(async (trx) => {
      const r = await this.forChange(trx, ctx, id);
      if (body.endedOn < r.starts_on) throw badRequest('bad_period', 'troops.partnershipPeriod');
      const ok = await troopsRepo.updatePartnership(trx, id, body.version, {
        status: 'ended',
        ends_on: body.endedOn,
        end_reason: body.reason,
        updated_at: nowIso(),
      });
      if (!ok) throw versionConflict();
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'troops.partnership.end',
        entityType: 'troop_partnership',
        entityId: id,
        changes: { status: ['active', 'ended'], ends_on: [r.ends_on, body.endedOn], reason: [null, body.reason] },
      });
    });
    return this.get(ctx, id);
  }

  /** One pair the caller sees, with its plans' progress. */
  async get(ctx: RequestCtx, id: string): Promise<PartnershipItem> {
    const [item] = await this.items(ctx, id);
    if (!item) throw notFound();
    return item;
  }

  async visible(scope: Scope, id: string): Promise<boolean> {
    return (await troopsRepo.partnerships(this.p.handle.db, scope, id)).length > 0;
  }

  async list(ctx: RequestCtx, q: z.infer<typeof partnershipListQuery>, today = new Date().toISOString().slice(0, 10)) {
    const items = await this.items(ctx, undefined, today);
    const filtered = q.idle ? items.filter((x) => x.idleThisQuarter === (q.idle === 'true')) : items;
    const start = (q.page - 1) * q.pageSize;
    return {
      items: filtered.slice(start, start + q.pageSize),
      total: filtered.length,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  private async items(ctx: RequestCtx, id?: string, today = new Date().toISOString().slice(0, 10)) {
    const db = this.p.handle.db;
    const rows = await troopsRepo.partnerships(db, ctx.actor.scope, id);
    const ids = rows.map((r) => r.id);
    const [plans, acts, types] = await Promise.all([
      troopsRepo.plans(db, SYSTEM_SCOPE, ids),
      troopsRepo.partnershipActivity(db, SYSTEM_SCOPE, ids),
      troopsRepo.types(db),
    ]);
    const labels = new Map(types.map((x) => [x.code, x.label]));
    const since = quarterStart(today);
    const items: PartnershipItem[] = rows.map((r) => {
      const mine = acts.filter((a) => a.partnership_id === r.id);
      const last = mine.reduce<string | null>((m, a) => (m && m > a.occurred_on ? m : a.occurred_on), null);
      return {
        id: r.id,
        orgId: r.org_id,
        orgName: r.org_name,
        partnerKind: r.partner_kind as PlaceKind,
        partnerName: r.partner_name,
        placeOrgId: r.place_org_id,
        placeOrgName: r.place_org_name,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        contact: r.contact,
        status: r.status === 'ended' ? 'ended' : 'active',
        endReason: r.end_reason,
        actions: this.actionsOf(ctx.actor, r),
        version: r.version,
        plans: plans
          .filter((pl) => pl.partnership_id === r.id)
          .sort((a, b) => a.year - b.year || a.type.localeCompare(b.type))
          .map((pl) => ({
            year: pl.year,
            type: pl.type,
            typeLabel: typeLabel(pl.type, labels.get(pl.type) ?? null),
            planned: pl.planned,
            done: mine.filter((a) => a.type === pl.type && a.occurred_on.startsWith(String(pl.year))).length,
          })),
        lastActivityOn: last,
        // an ended pair is not idle once its end day has come
        idleThisQuarter:
          !(r.status === 'ended' && r.ends_on !== null && r.ends_on <= today) &&
          !mine.some((a) => a.occurred_on >= since && a.occurred_on <= today),
      };
    });
    return items;
  }
}
