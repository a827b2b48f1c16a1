import type { createPartnershipBody, PartnershipItem, PlaceKind, partnershipListQuery } from '@shuangyong/shared';
import type { z } from 'zod';
import type { Scope } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { bool } from '../../platform/db/index.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
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
      troopsRepo.plans(db, ids),
      troopsRepo.partnershipActivity(db, ids),
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
        placeOrgName: r.place_org_name,
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        contact: r.contact,
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
        idleThisQuarter: !mine.some((a) => a.occurred_on >= since && a.occurred_on <= today),
      };
    });
    return items;
  }
}
