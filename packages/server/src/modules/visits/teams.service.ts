import type { assignVisitTargetsBody, createVisitTeamBody } from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { type Queryable, toNumber } from '../../platform/db/index.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { bumpCoverage } from './coverage.js';
import { teamsRepo } from './teams.repo.js';
import { parseJson, pathPrefix, visitsRepo } from './visits.repo.js';

/** Districts planned as a trip of their own (独山子区 lies ~150 km from the city centre). */
export const SEPARATE_TRIP_DISTRICTS = ['650202'];

/** Visiting teams (staff and named leaders), assignment of targets to them, grouping by street. */
export class TeamsService {
  constructor(
    private readonly p: Platform,
    private readonly orgs: OrgsService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  async list(ctx: RequestCtx, planId: string, db: Queryable = this.db) {
    const plan = await visitsRepo.plan(db, ctx.actor.scope, planId);
    if (!plan) throw notFound();
    const teams = await teamsRepo.teamsOf(db, SYSTEM_SCOPE, planId);
    const counts = await teamsRepo.targetCounts(db, SYSTEM_SCOPE, planId);
    const n = new Map(counts.map((c) => [c.team_id, toNumber(c.n)]));
    return {
      items: teams.map((x) => ({
        id: x.id,
        planId: x.plan_id,
        name: x.name,
        staff: parseJson<string[]>(x.staff, []),
        leaders: parseJson<string[]>(x.leaders, []),
        plannedDate: x.planned_date,
        targets: n.get(x.id) ?? 0,
      })),
    };
  }

  async create(ctx: RequestCtx, planId: string, body: z.infer<typeof createVisitTeamBody>) {
    const id = uuidv7();
    await this.db.transaction().execute(async (trx) => {
      const plan = await visitsRepo.plan(trx, ctx.actor.scope, planId);
      if (!plan) throw notFound();
      await teamsRepo.insert(trx, {
        id,
        plan_id: planId,
        org_id: plan.org_id,
        org_path: plan.org_path,
        name: body.name,
        staff: JSON.stringify(body.staff),
        leaders: JSON.stringify(body.leaders),
        planned_date: body.plannedDate ?? null,
        version: 1,
        created_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_team.create',
        entityType: 'visit_plan',
        entityId: planId,
        changes: { team: id, name: body.name },
      });
    });
    return (await this.list(ctx, planId)).items.find((x) => x.id === id)!;
  }

  /**
   * Assigns targets (by id, or a whole street) to a team or back to none. On a confirmed plan the
   * coverage counters move from the old team to the new one in the same transaction.
   */
  async assign(ctx: RequestCtx, planId: string, body: z.infer<typeof assignVisitTargetsBody>) {
    return this.db.transaction().execute(async (trx) => {
      const plan = await visitsRepo.plan(trx, ctx.actor.scope, planId);
      if (!plan) throw notFound();
      const team = body.teamId ? await teamsRepo.team(trx, SYSTEM_SCOPE, planId, body.teamId) : null;
      if (body.teamId && !team) throw badRequest('team_not_found', 'visits.teamNotFound');
      let street: string | null = null;
      if (body.streetOrgId) {
        const org = await this.orgs.inScope(trx, ctx.actor.scope, body.streetOrgId);
        if (!org) throw notFound();
        street = org.path;
      }
      const rows = await teamsRepo.targetsToAssign(trx, SYSTEM_SCOPE, planId, body.targetIds, street);
      const teamId = body.teamId ?? '';
      const plannedDate = body.plannedDate ?? team?.planned_date ?? null;
      for (const r of rows) {
        if (r.status === 'planned' && r.team_id !== teamId) {
          const d = {
            campaign_id: r.campaign_id,
            plan_id: r.plan_id,
            category: r.category,
            org_id: r.org_id,
            org_path: r.org_path,
          };
          const moved = {
            planned: 1,
            visited: r.visit_count > 0 ? 1 : 0,
            visits: r.visit_count,
            cash_fen: r.cash_fen,
            goods_fen: r.goods_fen,
          };
          const neg = Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, -v]));
          await bumpCoverage(trx, { ...d, team_id: r.team_id }, neg);
          await bumpCoverage(trx, { ...d, team_id: teamId }, moved);
        }
        await teamsRepo.assignTarget(trx, r.id, { team_id: teamId, planned_date: plannedDate, version: r.version + 1 });
      }
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit_target.assign',
        entityType: 'visit_plan',
        entityId: planId,
        changes: { team: teamId || null, targets: rows.length },
      });
      return { assigned: rows.length };
    });
  }

  /** Targets grouped by street (and district), far districts flagged as trips of their own. */
  async groups(ctx: RequestCtx, planId: string) {
    const plan = await visitsRepo.plan(this.db, ctx.actor.scope, planId);
    if (!plan) throw notFound();
    const rows = await teamsRepo.streetCounts(this.db, SYSTEM_SCOPE, planId);
    const paths = rows.flatMap((r) => [pathPrefix(r.org_path, 2), pathPrefix(r.org_path, 3)]).filter((p) => !!p);
    const names = await visitsRepo.orgNamesByPath(this.db, paths as string[]);
    const groups = new Map<
      string,
      {
        streetOrgId: string | null;
        streetName: string;
        districtName: string;
        separateTrip: boolean;
        targets: number;
        unassigned: number;
      }
    >();
    for (const r of rows) {
      const street = pathPrefix(r.org_path, 3);
      const district = pathPrefix(r.org_path, 2);
      const code = district?.split('/')[1] ?? '';
      const key = street ?? '';
      let g = groups.get(key);
      if (!g) {
        const separateTrip = SEPARATE_TRIP_DISTRICTS.includes(code);
        g = {
          streetOrgId: street ? (names.get(street)?.id ?? null) : null,
          streetName: street ? (names.get(street)?.name ?? street) : t('visits.noStreet'),
          districtName:
            (district ? (names.get(district)?.name ?? '') : '') + (separateTrip ? t('visits.separateTrip') : ''),
          separateTrip,
          targets: 0,
          unassigned: 0,
        };
        groups.set(key, g);
      }
      g.targets += toNumber(r.n);
      if (!r.team_id) g.unassigned += toNumber(r.n);
    }
    const items = [...groups.entries()]
      .sort(([a, x], [b, y]) => Number(x.separateTrip) - Number(y.separateTrip) || a.localeCompare(b))
      .map(([, g]) => g);
    return { items };
  }
}
