import { type NeedStatus, type NeedTag, t } from '@shuangyong/shared';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { badRequest, conflict, forbidden, notFound, versionConflict } from '../../platform/errors.js';
import { TERMINAL_STATUSES } from './needs.machine.js';
import { needsRepo } from './needs.repo.js';
import { actsAs, mayWriteNeeds, seesMilitary } from './needs.view.js';

/** Additions that do not move a case: comments (possibly military-only) and campaign tags. */
export class NeedNotes {
  constructor(private readonly p: Platform) {}

  async comment(ctx: RequestCtx, id: string, b: { note: string; militaryOnly?: boolean }): Promise<void> {
    if (!mayWriteNeeds(ctx.actor)) throw forbidden();
    if (b.militaryOnly && !seesMilitary(ctx.actor))
      throw badRequest('military_field_not_allowed', 'need.militaryFieldNotAllowed');
    await this.p.handle.db.transaction().execute(async (trx) => {
      const r = await needsRepo.get(trx, ctx.actor.scope, id);
      if (!r) throw notFound();
      if (TERMINAL_STATUSES.includes(r.status as NeedStatus)) throw conflict('need_closed', 'need.closed');
      await needsRepo.addEvent(trx, {
        needId: id,
        orgPath: r.org_path,
        actor: { id: ctx.actor.userId, name: ctx.actor.displayName, orgName: ctx.actor.orgName },
        kind: 'comment',
        note: b.note,
        militaryOnly: !!b.militaryOnly,
      });
      // the text stays in the timeline (where the side rule applies); the audit row notes the act
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.comment',
        entityType: 'need',
        entityId: id,
        changes: { military_only: !!b.militaryOnly },
      });
    });
  }

  async setTags(ctx: RequestCtx, id: string, b: { version: number; tags: NeedTag[] }): Promise<void> {
    await this.p.handle.db.transaction().execute(async (trx) => {
      const r = await needsRepo.get(trx, ctx.actor.scope, id);
      if (!r) throw notFound();
      if (r.version !== b.version) throw versionConflict();
      if (!actsAs(ctx.actor, r, 'triage')) throw forbidden();
      if (TERMINAL_STATUSES.includes(r.status as NeedStatus)) throw conflict('need_closed', 'need.closed');
      const before = (await needsRepo.tagsOf(trx, SYSTEM_SCOPE, [id])).get(id) ?? [];
      const after = [...new Set(b.tags)].sort();
      await needsRepo.setTags(trx, r, after);
      if (!(await needsRepo.update(trx, id, b.version, {}))) throw versionConflict();
      await needsRepo.addEvent(trx, {
        needId: id,
        orgPath: r.org_path,
        actor: { id: ctx.actor.userId, name: ctx.actor.displayName, orgName: ctx.actor.orgName },
        kind: 'tagged',
        note: after.map((x) => t(`needTag.${x}`)).join('、') || null,
      });
      await this.p.audit.append(trx, auditActorOf(ctx), {
        action: 'need.tags',
        entityType: 'need',
        entityId: id,
        changes: { tags: [before, after] },
      });
    });
  }
}
