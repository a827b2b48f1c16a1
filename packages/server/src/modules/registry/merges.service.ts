import { type Scope, SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import { gradeChangesRepo } from './grade-changes.repo.js';
import { countChange, countsRepo, mergesRepo, registryRepo } from './registry.repo.js';

interface Snapshot {
  status: string;
  addedCodes: string[];
  /** The grade changes copied to the survivor with the added categories (decisions/0065); absent in older merges. */
  gradeChangeIds?: string[];
}

/**
 * Merging two records of one person (entered twice, e.g. with a mistyped ID number): the absorbed
 * record is kept, hidden with status 'merged' and a pointer to the survivor; the survivor gains
 * the categories it lacked. The merge row keeps what is needed to undo it exactly. Both change the
 * maintained counts in the same transaction.
 */
export class MergesService {
  constructor(private readonly p: Platform) {}

  async visible(db: Queryable, scope: Scope, id: string) {
    return mergesRepo.visible(db, scope, id);
  }

  async merge(ctx: RequestCtx, survivorId: string, mergedId: string) {
    if (survivorId === mergedId) throw new AppError(400, 'merge_self', 'beneficiary.mergeSelf');
    return this.p.handle.db.transaction().execute(async (trx) => {
      const survivor = await registryRepo.get(trx, ctx.actor.scope, survivorId);
      const merged = await registryRepo.get(trx, ctx.actor.scope, mergedId);
      if (!survivor || !merged) throw notFound();
      const have = new Set((await registryRepo.assignments(trx, SYSTEM_SCOPE, survivorId)).map((a) => a.code));
      const theirs = await registryRepo.assignments(trx, SYSTEM_SCOPE, mergedId);
      const added = theirs.filter((a) => !have.has(a.code));
      const now = nowIso();
      await mergesRepo.copyAssignments(trx, survivor, added, now);
      // the added categories' grade history comes with them; the merged record keeps its own
      const gradeChangeIds = await gradeChangesRepo.copyTo(
        trx,
        mergedId,
        survivorId,
        added.map((a) => a.code),
      );
      const codes = [...new Set([...survivor.categories.split(','), ...added.map((a) => a.code)])].filter(Boolean);
      await mergesRepo.setPerson(trx, survivorId, { categories: codes.join(','), version: survivor.version + 1 }, now);
      await mergesRepo.setPerson(
        trx,
        mergedId,
        { status: 'merged', merged_into: survivorId, version: merged.version + 1 },
        now,
      );
      await registryRepo.syncCategoryRows(trx, mergedId, 'merged', merged.org_path);
      await countsRepo.apply(trx, [
        ...countChange(survivor, { ...survivor, categories: codes }),
        ...countChange(merged, { ...merged, status: 'merged' }),
      ]);
      const id = uuidv7();
      const snapshot: Snapshot = { status: merged.status, addedCodes: added.map((a) => a.code), gradeChangeIds };
      await mergesRepo.insert(trx, {
        id,
        survivor_id: survivorId,
        merged_id: mergedId,
        org_path: survivor.org_path,
        snapshot: JSON.stringify(snapshot),
        created_by: ctx.actor.userId,
        created_at: now,
        undone_at: null,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'beneficiary.merge',
        entityType: 'beneficiary',
        entityId: survivorId,
        changes: { merged: [null, mergedId], merge: [null, id], categories_added: snapshot.addedCodes },
      });
      return { id, survivorId, mergedId };
    });
  }

  async undo(ctx: RequestCtx, id: string) {
    return this.p.handle.db.transaction().execute(async (trx) => {
      const m = await mergesRepo.visible(trx, ctx.actor.scope, id);
      if (!m) throw notFound();
      if (m.undone_at) throw conflict('merge_undone', 'beneficiary.mergeUndone');
      const snapshot = JSON.parse(m.snapshot) as Snapshot;
      const survivor = (await registryRepo.get(trx, SYSTEM_SCOPE, m.survivor_id))!;
      const merged = await mergesRepo.person(trx, SYSTEM_SCOPE, m.merged_id);
      const now = nowIso();
      await mergesRepo.dropAssignments(trx, m.survivor_id, snapshot.addedCodes);
      await gradeChangesRepo.deleteIds(trx, snapshot.gradeChangeIds ?? []);
      const codes = survivor.categories.split(',').filter((c) => c && !snapshot.addedCodes.includes(c));
      await mergesRepo.setPerson(
        trx,
        m.survivor_id,
        { categories: codes.join(','), version: survivor.version + 1 },
        now,
      );
      await mergesRepo.setPerson(
        trx,
        m.merged_id,
        { status: snapshot.status, merged_into: null, version: merged.version + 1 },
        now,
      );
      await registryRepo.syncCategoryRows(trx, m.merged_id, snapshot.status, merged.org_path);
      await countsRepo.apply(trx, [
        ...countChange(survivor, { ...survivor, categories: codes }),
        ...countChange(merged, { ...merged, status: snapshot.status }),
      ]);
      await mergesRepo.markUndone(trx, id, now);
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'beneficiary.unmerge',
        entityType: 'beneficiary',
        entityId: m.survivor_id,
        changes: { merged: [m.merged_id, null], merge: id },
      });
      return { id, survivorId: m.survivor_id, mergedId: m.merged_id, undone: true };
    });
  }
}
