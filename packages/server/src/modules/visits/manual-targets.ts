import type { addVisitTargetBody } from '@shuangyong/shared';
import { t } from '@shuangyong/shared';
import type { z } from 'zod';
import { SYSTEM_SCOPE } from '../../platform/access/scope.js';
import { auditActorOf, type RequestCtx } from '../../platform/auth/actor.js';
import type { Platform } from '../../platform/context.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { nowIso, uuidv7 } from '../../platform/ids.js';
import type { OrgsService } from '../orgs/orgs.module.js';
import type { HouseholdsReadModel } from '../registry/registry.module.js';
import { plansRepo } from './plans.repo.js';
import type { Reason } from './rules.js';
import { visitsRepo } from './visits.repo.js';

/**
 * Targets entered by hand (DOMAIN §6): a household picked from the registry, a unit, a border post
 * or an officer's family. A unit target is owned by the unit's org id, so its liaison sees the
 * visits; the key `org:<unit>` makes two departments' visits to one unit a conflict.
 */
export async function addManualTarget(
  p: Platform,
  deps: { households: HouseholdsReadModel; orgs: OrgsService },
  ctx: RequestCtx,
  planId: string,
  body: z.infer<typeof addVisitTargetBody>,
): Promise<string> {
  return p.handle.db.transaction().execute(async (trx) => {
    const plan = await visitsRepo.plan(trx, ctx.actor.scope, planId);
    if (!plan) throw notFound();
    if (plan.status !== 'draft') throw conflict('plan_not_draft', 'visits.planNotDraft');
    let key = `manual:${uuidv7()}`;
    let orgId = plan.org_id;
    let orgPath = plan.org_path;
    let name = body.name ?? '';
    let householdId: string | null = null;
    let unitOrgId: string | null = null;
    let oldest = '9999-12-31';
    let alone = 1;
    if (body.kind === 'household') {
      const h = await deps.households.get(trx, ctx.actor.scope, body.householdId!);
      if (!h?.org_path.startsWith(plan.org_path)) throw notFound();
      const members = await deps.households.activeMembers(trx, SYSTEM_SCOPE, h.id);
      key = h.id;
      householdId = h.id;
      orgId = h.org_id;
      orgPath = h.org_path;
      name = body.name ?? members[0]?.name ?? name;
      oldest = members[0]?.birth_date ?? oldest;
      alone = members.length === 1 ? 0 : 1;
    } else if (body.unitOrgId) {
      const [unit] = await deps.orgs.byIds(trx, [body.unitOrgId]);
      if (unit?.side !== 'military') throw badRequest('unit_not_found', 'visits.unitNotFound');
      unitOrgId = unit.id;
      orgId = unit.id; // the unit's liaison sees visits to the unit and its families
      if (body.kind === 'unit') key = `org:${unit.id}`;
      name = body.name ?? unit.name;
    }
    const dup = await plansRepo.targetByKey(trx, SYSTEM_SCOPE, planId, key);
    if (dup) throw conflict('target_exists', 'visits.targetExists');
    const id = uuidv7();
    const reason: Reason = {
      ruleId: 'manual',
      label: t('visits.rule.manual'),
      detail: t('visits.rule.manualDetail', { user: ctx.actor.displayName }),
    };
    const now = nowIso();
    await plansRepo.addTarget(
      trx,
      {
        id,
        plan_id: planId,
        campaign_id: plan.campaign_id,
        org_id: orgId,
        org_path: orgPath,
        kind: body.kind,
        target_key: key,
        household_id: householdId,
        unit_org_id: unitOrgId,
        name,
        category: body.kind === 'household' ? 'household' : body.kind,
        reasons: JSON.stringify([reason]),
        manual: 1,
        note: body.note ?? null,
        oldest_birth: oldest,
        priority_rank: alone,
        team_id: '',
        planned_date: null,
        status: 'draft',
        owner_key: null,
        excluded_by: null,
        visit_count: 0,
        cash_fen: 0,
        goods_fen: 0,
        last_visit_at: null,
        version: 1,
        created_at: now,
      },
      now,
    );
    await p.audit.append(trx, auditActorOf(ctx), {
      action: 'visit_target.add',
      entityType: 'visit_target',
      entityId: id,
      changes: { plan: planId, kind: body.kind },
    });
    return id;
  });
}
