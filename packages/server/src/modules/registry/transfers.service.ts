import type { createTransferBody, transferSchema } from '@shuangyong/shared';
import type { z } from 'zod';
import { mayDecide, type OrgRef, onRequesterSide, requesterOrgs } from '../../platform/access/approval-policy.js';
import { type Scope, SYSTEM_SCOPE, scopeCovers } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable, Tx } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import { householdsRepo } from './households.repo.js';
import { makesPlaqueEligible } from './normalize.js';
import { countChange, countsRepo, mergesRepo, registryRepo } from './registry.repo.js';
import { transfersRepo } from './transfers.repo.js';

type Transfer = z.infer<typeof transferSchema>;

interface TransferRow {
  id: string;
  beneficiary_id: string;
  from_org_id: string;
  to_org_id: string;
  from_path: string;
  to_path: string;
  status: string;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
  requested_by: string;
  name: string;
  id_masked: string;
  from_name: string;
  to_name: string;
}

/**
 * 迁移: a person registered in one district who now belongs to another moves by a request. The
 * side that did not ask decides (the holder when the receiving district asked, the receiver when the
 * holder sent the person) or the city — APPROVAL_POLICY.transfer; the asking side may only withdraw
 * (reject). Accepting moves the record; nothing is copied.
 */
export class TransfersService {
  constructor(
    private readonly p: Platform,
    private readonly orgs: OrgsService,
  ) {}

  private get db() {
    return this.p.handle.db;
  }

  async visible(scope: Scope, id: string): Promise<boolean> {
    return transfersRepo.visible(this.db, scope, id);
  }

  /** Opens a pending request for `person` to move to `to` (inside the caller's transaction). */
  async open(
    trx: Tx,
    ctx: RequestCtx,
    person: { id: string; org_id: string; org_path: string },
    to: { id: string; path: string },
    reason: string,
  ): Promise<string> {
    if (person.org_id === to.id) throw conflict('transfer_same_org', 'beneficiary.transferSameOrg');
    const pending = await transfersRepo.pendingOf(trx, SYSTEM_SCOPE, person.id);
    if (pending) return pending.id;
    const id = uuidv7();
    await transfersRepo.insert(trx, {
      id,
      beneficiary_id: person.id,
      from_org_id: person.org_id,
      from_path: person.org_path,
      to_org_id: to.id,
      to_path: to.path,
      status: 'pending',
      reason,
      requested_by: ctx.actor.userId,
      decided_by: null,
      decision_note: null,
      created_at: nowIso(),
      decided_at: null,
    });
    await this.p.audit.append(trx, auditActorOf(ctx), {
      action: 'transfer.create',
      entityType: 'transfer',
      entityId: id,
      changes: { beneficiary: [null, person.id], to: [null, to.id] },
    });
    return id;
  }

  /** Starts a transfer of a person in the caller's scope, identified by ID number, to another org. */
  async request(ctx: RequestCtx, body: z.infer<typeof createTransferBody>, idBi: string): Promise<Transfer> {
    const id = await this.db.transaction().execute(async (trx) => {
      const person = await registryRepo.byBlindIndex(trx, SYSTEM_SCOPE, idBi);
      if (
        !person ||
        person.status === 'merged' ||
        !scopeCovers(ctx.actor.scope, { orgId: person.org_id, orgPath: person.org_path })
      )
        throw notFound();
      const to = await this.orgs.inScope(trx, SYSTEM_SCOPE, body.toOrgId);
      if (!to?.active) throw notFound();
      return this.open(trx, ctx, person, to, body.reason);
    });
    return this.get(ctx, id);
  }

  private toDto(ctx: RequestCtx, r: TransferRow, requesters: Map<string, OrgRef & { userId: string }>): Transfer {
    const holder = { orgId: r.from_org_id, orgPath: r.from_path };
    const receiver = { orgId: r.to_org_id, orgPath: r.to_path };
    // a requester gone from the users table: the side in scope or the city decides
    const requester = requesters.get(r.requested_by) ?? { userId: r.requested_by, orgId: '', orgPath: '/' };
    const pending = r.status === 'pending';
    const decides = mayDecide('transfer', ctx.actor, { requester, holder, receiver });
    const involved = scopeCovers(ctx.actor.scope, holder) || scopeCovers(ctx.actor.scope, receiver);
    const withdraws = involved && onRequesterSide(ctx.actor, requester);
    return {
      id: r.id,
      beneficiaryId: r.beneficiary_id,
      beneficiaryName: r.name,
      idMasked: r.id_masked,
      fromOrgId: r.from_org_id,
      fromOrgName: r.from_name,
      toOrgId: r.to_org_id,
      toOrgName: r.to_name,
      status: r.status as Transfer['status'],
      reason: r.reason,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      abilities: { accept: pending && decides, reject: pending && (decides || withdraws) },
    };
  }

  async page(ctx: RequestCtx, status: string | undefined, page: number, pageSize: number) {
    let q = transfersRepo.rows(this.db, ctx.actor.scope);
    if (status) q = q.where('t.status', '=', status);
    const rows = await q
      .orderBy('t.created_at', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const total = await transfersRepo.count(this.db, ctx.actor.scope, status);
    const requesters = await requesterOrgs(
      this.db,
      rows.map((r) => r.requested_by),
    );
    return { items: rows.map((r) => this.toDto(ctx, r, requesters)), total, page, pageSize };
  }

  async get(ctx: RequestCtx, id: string, db: Queryable = this.db): Promise<Transfer> {
    const row = await transfersRepo.rows(db, ctx.actor.scope).where('t.id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return this.toDto(ctx, row, await requesterOrgs(db, [row.requested_by]));
  }

  async decide(ctx: RequestCtx, id: string, accept: boolean, note?: string): Promise<Transfer> {
    return this.db.transaction().execute(async (trx) => {
      const t = await this.get(ctx, id, trx);
      if (t.status !== 'pending') throw conflict('transfer_not_pending', 'beneficiary.transferNotPending');
      if (accept ? !t.abilities.accept : !t.abilities.reject)
        throw new AppError(403, 'forbidden', 'beneficiary.transferDecideForbidden');
      const now = nowIso();
      if (accept) await this.move(trx, t.beneficiaryId, t.toOrgId);
      await transfersRepo.decide(trx, id, {
        status: accept ? 'accepted' : 'rejected',
        decided_by: ctx.actor.userId,
        decision_note: note ?? null,
        decided_at: now,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: accept ? 'transfer.accept' : 'transfer.reject',
        entityType: 'transfer',
        entityId: id,
        changes: { status: ['pending', accept ? 'accepted' : 'rejected'] },
      });
      return this.get(ctx, id, trx);
    });
  }

  /**
   * Moves the person (with a household of their own in the new org) and keeps the old household
   * right; the maintained counts follow the person to the new org in the same transaction.
   */
  private async move(trx: Tx, beneficiaryId: string, toOrgId: string) {
    const person = await mergesRepo.person(trx, SYSTEM_SCOPE, beneficiaryId);
    const to = await transfersRepo.org(trx, toOrgId);
    const now = nowIso();
    const householdId = uuidv7();
    await transfersRepo.moveTo(trx, person, to, householdId, now);
    await registryRepo.syncCategoryRows(trx, beneficiaryId, person.status, to.path);
    await registryRepo.setNameIndex(trx, SYSTEM_SCOPE, {
      id: beneficiaryId,
      name_simplified: person.name_simplified,
      org_path: to.path,
    });
    await countsRepo.apply(trx, countChange(person, { ...person, org_id: to.id, org_path: to.path }));
    for (const h of [person.household_id, householdId]) {
      if (!h) continue;
      const codes = await registryRepo.householdMemberCategories(trx, SYSTEM_SCOPE, h);
      await householdsRepo.setPlaqueEligible(trx, h, makesPlaqueEligible(codes));
    }
  }
}
