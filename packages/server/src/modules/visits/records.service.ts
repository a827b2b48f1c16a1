import type { approveVisitBody, createVisitBody, updateVisitBody, Visit, visitListQuery } from '@shuangyong/shared';
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { mayDecide, requesterOrgs } from '../../platform/access/approval-policy.js';
import { SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import { localDate } from '../../platform/calendar/dates.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { effectiveCaps, evaluateCaps, needsApproval } from './caps.js';
import { bumpCoverage, dimsOf } from './coverage.js';
import { dailyRepo, zoneOffsetMinutes } from './daily.repo.js';
import { recordsRepo } from './records.repo.js';
import { toCaps, toVisit } from './views.js';
import { pathPrefix, visitsRepo } from './visits.repo.js';
import type { VisitsTable, VisitTargetsTable } from './visits.schema.js';

type VisitRow = Selectable<VisitsTable>;
type TargetRow = Selectable<VisitTargetsTable>;
const SKEW_MS = 5 * 60_000;
const EARLIEST = '2000-01-01T00:00:00Z';

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const sumGoods = (goods: { quantity: number; valueFen: number }[]) => goods.reduce((n, g) => n + g.valueFen, 0);

/**
 * Visit records: created once per client key (a retried offline draft returns the first record),
 * edited with optimistic versions, checked against the campaign's caps; each change moves the
 * target's totals, the coverage counters and the budget line in the same transaction.
 */
export class RecordsService {
  constructor(private readonly p: Platform) {}

  private get db() {
    return this.p.handle.db;
  }

  private checkTime(visitedAt: string) {
    const ms = Date.parse(visitedAt);
    if (ms > Date.now() + SKEW_MS) throw badRequest('future_date', 'visits.futureDate');
    if (ms < Date.parse(EARLIEST)) throw badRequest('too_old', 'visits.tooOld');
    return new Date(ms).toISOString();
  }

  private async budgetLine(trx: Tx, ctx: RequestCtx, id: string | null | undefined, target: TargetRow) {
    if (!id) return null;
    const line = await recordsRepo.budgetLine(trx, SYSTEM_SCOPE, id);
    const usable =
      line &&
      line.campaign_id === target.campaign_id &&
      (target.org_path.startsWith(line.org_path) ||
        scopeCovers(ctx.actor.scope, { orgId: line.org_id, orgPath: line.org_path }));
    if (!usable) throw badRequest('budget_line_not_found', 'visits.budgetLineNotFound');
    return line;
  }

  async view(ctx: RequestCtx, id: string, db: Queryable = this.db, warnings?: Visit['warnings']): Promise<Visit> {
    const v = await visitsRepo.visit(db, ctx.actor.scope, id);
    if (!v) throw notFound();
    return this.toView(db, v, warnings);
  }

  private async toView(db: Queryable, v: VisitRow, warnings?: Visit['warnings']) {
    return (await this.toViews(db, [v], warnings))[0]!;
  }

  /** Visits as the API shows them: target names, photos and district names read once per page. */
  private async toViews(db: Queryable, rows: VisitRow[], warnings?: Visit['warnings']): Promise<Visit[]> {
    if (!rows.length) return [];
    const districts = rows.map((v) => pathPrefix(v.org_path, 2)).filter((d): d is string => !!d);
    const [[targets, photos], districtOrgs] = await Promise.all([
      recordsRepo.targetNamesAndPhotos(
        db,
        SYSTEM_SCOPE,
        [...new Set(rows.map((v) => v.target_id))],
        rows.map((v) => v.id),
      ),
      visitsRepo.orgNamesByPath(db, districts),
    ]);
    const names = new Map(targets.map((t) => [t.id, t.name]));
    const photosOf = new Map<string, typeof photos>();
    for (const ph of photos) {
      const list = photosOf.get(ph.visit_id);
      if (list) list.push(ph);
      else photosOf.set(ph.visit_id, [ph]);
    }
    return rows.map((v) => {
      const district = pathPrefix(v.org_path, 2);
      const stored = (JSON.parse(v.approval_reasons ?? '[]') as string[]).map((m) => ({
        code: 'stored',
        level: 'approval' as const,
        message: m,
      }));
      return toVisit(
        v,
        names.get(v.target_id) ?? '',
        (district && districtOrgs.get(district)?.name) || null,
        photosOf.get(v.id) ?? [],
        warnings ?? stored,
      );
    });
  }

  private byClientKey(key: string) {
    return recordsRepo.byClientKey(this.db, SYSTEM_SCOPE, key);
  }

  private async replay(ctx: RequestCtx, v: VisitRow) {
    if (v.created_by !== ctx.actor.userId) throw conflict('client_key_taken', 'visits.clientKeyTaken');
    return { visit: await this.toView(this.db, v), created: false };
  }

  /** Cap warnings for amounts being typed (the form calls this as the user types). */
  async check(ctx: RequestCtx, b: { targetId: string; cashFen: number; goodsFen: number; visitId?: string }) {
    const target = await visitsRepo.target(this.db, ctx.actor.scope, b.targetId);
    if (!target) throw notFound();
    const caps = await effectiveCaps(this.p, this.db, target.campaign_id);
    let prior = { cash: target.cash_fen, goods: target.goods_fen, count: target.visit_count };
    if (b.visitId) {
      const v = await visitsRepo.visit(this.db, ctx.actor.scope, b.visitId);
      if (v && v.target_id === target.id)
        prior = { cash: prior.cash - v.cash_fen, goods: prior.goods - v.goods_fen, count: prior.count - 1 };
    }
    const warnings = evaluateCaps(caps, {
      cashFen: b.cashFen,
      goodsFen: b.goodsFen,
      priorCashFen: prior.cash,
      priorGoodsFen: prior.goods,
      repeat: prior.count > 0,
    });
    return { warnings, needsApproval: needsApproval(warnings), caps: caps ? toCaps(caps) : null };
  }

  async record(ctx: RequestCtx, body: z.infer<typeof createVisitBody>): Promise<{ visit: Visit; created: boolean }> {
    const existing = await this.byClientKey(body.clientKey);
    if (existing) return this.replay(ctx, existing);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const target = await visitsRepo.target(trx, ctx.actor.scope, body.targetId);
        if (!target) throw notFound();
        if (target.status === 'excluded') throw conflict('target_excluded', 'visits.targetExcluded');
        if (target.status !== 'planned') throw conflict('plan_not_confirmed', 'visits.planNotConfirmed');
        const visitedAt = this.checkTime(body.visitedAt);
        const line = await this.budgetLine(trx, ctx, body.budgetLineId, target);
        const goodsFen = sumGoods(body.goods);
        const caps = await effectiveCaps(this.p, trx, target.campaign_id);
        const warnings = evaluateCaps(caps, {
          cashFen: body.cashFen,
          goodsFen,
          priorCashFen: target.cash_fen,
          priorGoodsFen: target.goods_fen,
          repeat: target.visit_count > 0,
        });
        const approval = warnings.filter((w) => w.level === 'approval').map((w) => w.message);
        const id = uuidv7();
        const now = nowIso();
        await recordsRepo.insert(trx, {
          id,
          client_key: body.clientKey,
          target_id: target.id,
          target_key: target.target_key,
          plan_id: target.plan_id,
          campaign_id: target.campaign_id,
          org_id: target.org_id,
          org_path: target.org_path,
          visited_at: visitedAt,
          visitors: JSON.stringify(body.visitors),
          cash_fen: body.cashFen,
          goods: JSON.stringify(body.goods),
          goods_fen: goodsFen,
          budget_line_id: line?.id ?? null,
          needs_text: body.needs ?? null,
          notes: body.notes ?? null,
          acknowledged: body.acknowledged ? 1 : 0,
          acknowledged_by: body.acknowledgedBy ?? null,
          repeat_visit: target.visit_count > 0 ? 1 : 0,
          approval_status: approval.length ? 'pending' : 'none',
          approval_reasons: approval.length ? JSON.stringify(approval) : null,
          approved_by: null,
          approved_at: null,
          approval_note: null,
          created_by: ctx.actor.userId,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        await this.moveTotals(trx, target, { count: 1, cash: body.cashFen, goods: goodsFen, at: visitedAt });
        await this.moveDay(trx, target, visitedAt, { visits: 1, cash: body.cashFen, goods: goodsFen });
        if (line) await this.spend(trx, line.id, body.cashFen + goodsFen);
        await this.p.audit.append(trx, auditActorOf(ctx), {
          action: 'visit.create',
          entityType: 'visit',
          entityId: id,
          changes: {
            target: target.id,
            cash_fen: [null, body.cashFen],
            goods_fen: [null, goodsFen],
            repeat: target.visit_count > 0,
            approval: approval.length ? 'pending' : 'none',
          },
        });
        return { visit: await this.view(ctx, id, trx, warnings), created: true };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const again = await this.byClientKey(body.clientKey);
        if (again) return this.replay(ctx, again);
      }
      throw err;
    }
  }

  /** Moves the target's totals and the coverage counters by one visit's amounts. */
  private async moveTotals(trx: Tx, target: TargetRow, d: { count: number; cash: number; goods: number; at?: string }) {
    const before = target.visit_count;
    const after = before + d.count;
    await recordsRepo.moveTarget(trx, target.id, {
      count: d.count,
      cash: d.cash,
      goods: d.goods,
      ...(d.at && (!target.last_visit_at || d.at > target.last_visit_at) ? { lastVisitAt: d.at } : {}),
    });
    await bumpCoverage(trx, dimsOf(target), {
      visited: (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0),
      visits: d.count,
      cash_fen: d.cash,
      goods_fen: d.goods,
    });
  }

  /** Moves the cockpit's per-day counters (visit_daily) of the visit's local day. */
  private moveDay(trx: Tx, target: TargetRow, at: string, d: { visits: number; cash: number; goods: number }) {
    const day = localDate(new Date(at), this.p.config.tzDisplay);
    return dailyRepo.bump(
      trx,
      { campaign_id: target.campaign_id, org_id: target.org_id, org_path: target.org_path, day },
      d,
    );
  }

  private async spend(trx: Tx, lineId: string, fen: number) {
    if (!fen) return;
    await recordsRepo.spend(trx, lineId, fen);
  }

  async update(ctx: RequestCtx, id: string, body: z.infer<typeof updateVisitBody>): Promise<Visit> {
    return this.db.transaction().execute(async (trx) => {
      const v = await visitsRepo.visit(trx, ctx.actor.scope, id);
      if (!v) throw notFound();
      if (v.version !== body.version) throw versionConflict();
      const target = await recordsRepo.target(trx, SYSTEM_SCOPE, v.target_id);
      const visitedAt = body.visitedAt ? this.checkTime(body.visitedAt) : v.visited_at;
      const cashFen = body.cashFen ?? v.cash_fen;
      const goods = body.goods ?? (JSON.parse(v.goods) as { quantity: number; valueFen: number }[]);
      const goodsFen = sumGoods(goods);
      const lineId = body.budgetLineId === undefined ? v.budget_line_id : body.budgetLineId;
      const line = await this.budgetLine(trx, ctx, lineId, target);
      const caps = await effectiveCaps(this.p, trx, target.campaign_id);
      const warnings = evaluateCaps(caps, {
        cashFen,
        goodsFen,
        priorCashFen: target.cash_fen - v.cash_fen,
        priorGoodsFen: target.goods_fen - v.goods_fen,
        repeat: v.repeat_visit === 1,
      });
      const approval = warnings.filter((w) => w.level === 'approval').map((w) => w.message);
      const amountsChanged = cashFen !== v.cash_fen || goodsFen !== v.goods_fen;
      const status = !approval.length
        ? 'none'
        : amountsChanged || v.approval_status === 'none'
          ? 'pending'
          : v.approval_status;
      const set = {
        visited_at: visitedAt,
        visitors: body.visitors ? JSON.stringify(body.visitors) : v.visitors,
        cash_fen: cashFen,
        goods: JSON.stringify(goods),
        goods_fen: goodsFen,
        budget_line_id: line?.id ?? null,
        needs_text: body.needs === undefined ? v.needs_text : body.needs,
        notes: body.notes === undefined ? v.notes : body.notes,
        acknowledged: body.acknowledged === undefined ? v.acknowledged : body.acknowledged ? 1 : 0,
        acknowledged_by: body.acknowledgedBy === undefined ? v.acknowledged_by : body.acknowledgedBy,
        approval_status: status,
        approval_reasons: approval.length ? JSON.stringify(approval) : null,
        ...(status !== v.approval_status ? { approved_by: null, approved_at: null } : {}),
        version: v.version + 1,
        updated_at: nowIso(),
      };
      if (!(await recordsRepo.update(trx, id, v.version, set))) throw versionConflict();
      await this.moveTotals(trx, target, {
        count: 0,
        cash: cashFen - v.cash_fen,
        goods: goodsFen - v.goods_fen,
        at: visitedAt,
      });
      await this.moveDay(trx, target, v.visited_at, { visits: -1, cash: -v.cash_fen, goods: -v.goods_fen });
      await this.moveDay(trx, target, visitedAt, { visits: 1, cash: cashFen, goods: goodsFen });
      if (v.budget_line_id) await this.spend(trx, v.budget_line_id, -(v.cash_fen + v.goods_fen));
      if (line) await this.spend(trx, line.id, cashFen + goodsFen);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit.update',
        entityType: 'visit',
        entityId: id,
        changes: {
          cash_fen: [v.cash_fen, cashFen],
          goods_fen: [v.goods_fen, goodsFen],
          approval: [v.approval_status, status],
        },
      });
      return this.view(ctx, id, trx, warnings);
    });
  }

  async approve(ctx: RequestCtx, id: string, body: z.infer<typeof approveVisitBody>): Promise<Visit> {
    return this.db.transaction().execute(async (trx) => {
      const v = await visitsRepo.visit(trx, ctx.actor.scope, id);
      if (!v) throw notFound();
      if (v.version !== body.version) throw versionConflict();
      if (v.approval_status !== 'pending') throw conflict('not_pending', 'visits.notPending');
      // the recording organisation never approves its own overrun: the one above it or the city does
      const requester = (await requesterOrgs(trx, [v.created_by])).get(v.created_by) ?? {
        orgId: v.org_id,
        orgPath: v.org_path,
      };
      if (v.created_by === ctx.actor.userId) throw forbidden('visits.selfApproval');
      if (!mayDecide('visit.over_cap', ctx.actor, { requester })) throw forbidden('visits.ownOrgApproval');
      if (body.decision === 'reject' && !body.note?.trim())
        throw badRequest('reject_reason_required', 'visits.rejectReasonRequired');
      const status = body.decision === 'approve' ? 'approved' : 'rejected';
      await recordsRepo.setApproval(trx, id, {
        approval_status: status,
        approved_by: ctx.actor.displayName,
        approved_at: nowIso(),
        approval_note: body.note ?? null,
        version: v.version + 1,
        updated_at: nowIso(),
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'visit.approval',
        entityType: 'visit',
        entityId: id,
        changes: { approval_status: ['pending', status] },
      });
      return this.view(ctx, id, trx);
    });
  }

  /** A local day (display zone) as the UTC instants [from, to) that `visited_at` is compared with. */
  dayRange(day: string): [string, string] {
    const start = (d: string) => {
      const midnight = Date.parse(`${d}T00:00:00Z`);
      return new Date(midnight - zoneOffsetMinutes(this.p.config.tzDisplay, new Date(midnight)) * 60_000).toISOString();
    };
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return [start(day), start(next)];
  }

  async page(ctx: RequestCtx, q: z.infer<typeof visitListQuery>) {
    // the local day's instants [from, to): the day `visit_daily` counts the visit on
    // the visit log (5·10^6 rows at the city's scale): read in the reader threads (decisions/0082)
    const read = this.p.handle.reader;
    const { rows, total } = await recordsRepo.page(read, ctx.actor.scope, q, q.day ? this.dayRange(q.day) : undefined);
    const items = await this.toViews(read, rows);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /** Refuses a write the caller may not make on a visit (used by the photo upload). */
  async writable(ctx: RequestCtx, id: string, db: Queryable = this.db) {
    const v = await visitsRepo.visit(db, ctx.actor.scope, id);
    if (!v) throw new AppError(404, 'not_found', 'error.notFound');
    return v;
  }
}
